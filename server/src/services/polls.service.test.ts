/**
 * Live polls through the command bus over the in-memory store: who hears what, one open poll,
 * one answer per device, results as each reader may see them. The same rules run against
 * SQLite and Redis through real sockets in realtime/polls.int.test.ts.
 */
import type { Credentials, CommandRequest } from '@gt/protocol';
import { describe, expect, it } from 'vitest';
import { memoryApp } from './testing/memory-app.js';

const id = () => `cmd_${Math.random().toString(36).slice(2)}`;

async function setup() {
  const t = memoryApp({ rateLimits: false });
  const { session, moderator } = await t.session();
  const staff = async (
    name: 'poll:open' | 'poll:close' | 'poll:reopen' | 'poll:show-results' | 'poll:hide-results',
    pollId: string,
  ) => t.app.command(moderator, name, { sessionId: session.id, commandId: id(), pollId });
  const create = async (
    spec: CommandRequest<'poll:create'>['spec'],
    isResultsHiddenUntilClose = false,
  ) => {
    const result = await t.app.command(moderator, 'poll:create', {
      sessionId: session.id,
      commandId: id(),
      question: 'Hvad skal kommunen gøre først?',
      spec,
      isResultsHiddenUntilClose,
    });
    if (!result.ok) throw new Error(result.error.message);
    return result.data.poll.id;
  };
  const answer = (
    phone: Credentials,
    pollId: string,
    value: CommandRequest<'poll:answer'>['answer'],
    commandId = id(),
  ) =>
    t.app.command(phone, 'poll:answer', {
      sessionId: session.id,
      commandId,
      pollId,
      answer: value,
    });
  return { t, session, moderator, staff, create, answer };
}

const SINGLE = { kind: 'single' as const, options: ['Cykelstier', 'Skoler'] };

describe('running a poll', () => {
  it('[PL9] a draft goes to staff only; an opened poll to the public stream too', async () => {
    const { t, staff, create } = await setup();
    const pollId = await create(SINGLE);
    await t.settle();
    expect(t.published.map((e) => [e.stream, e.update.type])).toEqual([['staff', 'poll:updated']]);
    t.published.length = 0;
    expect(await staff('poll:open', pollId)).toMatchObject({
      ok: true,
      data: { poll: { status: 'open' } },
    });
    await t.settle();
    expect(t.published.map((e) => [e.stream, e.update.type])).toEqual([
      ['public', 'poll:updated'],
      ['staff', 'poll:updated'],
    ]);
  });

  it('[PL2] [ML1] only one poll is open at a time; opening, closing and reopening are logged', async () => {
    const { t, staff, create } = await setup();
    const first = await create(SINGLE);
    const second = await create({ kind: 'words', maxAnswers: 2 });
    expect((await staff('poll:open', first)).ok).toBe(true);
    expect(await staff('poll:open', second)).toMatchObject({
      ok: false,
      error: { code: 'invalid_state', details: { reason: 'another_open' } },
    });
    expect((await staff('poll:close', first)).ok).toBe(true);
    expect((await staff('poll:reopen', first)).ok).toBe(true);
    await t.settle();
    expect(t.logged.map((e) => [e.action, e.detail])).toEqual([
      ['poll-open', 'Hvad skal kommunen gøre først?'],
      ['poll-close', 'Hvad skal kommunen gøre først?'],
      ['poll-reopen', 'Hvad skal kommunen gøre først?'],
    ]);
  });
});

describe('answers', () => {
  it('[PL6] one answer per device, changed while open, a replay counted once; to its private stream', async () => {
    const { t, session, staff, create, answer } = await setup();
    const pollId = await create(SINGLE);
    await staff('poll:open', pollId);
    const [a, b] = [t.device(), t.device()];
    expect(
      await answer(a, pollId, { kind: 'single', optionId: 'o1' }, 'cmd_same_answer'),
    ).toMatchObject({
      ok: true,
      data: { answer: { pollId, value: { kind: 'single', optionId: 'o1' } } },
    });
    await answer(a, pollId, { kind: 'single', optionId: 'o1' }, 'cmd_same_answer');
    await answer(b, pollId, { kind: 'single', optionId: 'o1' });
    await answer(b, pollId, { kind: 'single', optionId: 'o2' });
    const { answers, revision } = await t.store.listAnswers(session.id, pollId);
    expect(
      answers
        .map((x) => x.value)
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    ).toEqual([
      { kind: 'single', optionId: 'o1' },
      { kind: 'single', optionId: 'o2' },
    ]);
    expect(revision).toBe(3);
    await t.settle();
    const answered = t.published.filter((e) => e.update.type === 'poll:answered');
    expect(answered).toHaveLength(3);
    expect(answered.every((e) => e.stream.startsWith('private:'))).toBe(true);
    expect(
      t.pollResultsChanged.filter((x) => x === `${session.id} ${pollId}`).length,
    ).toBeGreaterThanOrEqual(3);
    const mine = await t.app.command(b, 'poll:my-answers', { sessionId: session.id });
    expect(mine).toMatchObject({
      ok: true,
      data: { answers: [{ pollId, value: { optionId: 'o2' } }] },
    });
  });

  it('[PL4] an answer to a closed or unknown poll, or breaking its rules, is refused with its reason', async () => {
    const { t, staff, create, answer } = await setup();
    const pollId = await create({ kind: 'words', maxAnswers: 1 });
    const phone = t.device();
    const refused = async (value: CommandRequest<'poll:answer'>['answer'], poll = pollId) => {
      const result = await answer(phone, poll, value);
      return result.ok ? null : [result.error.code, result.error.details?.['reason']];
    };
    expect(await refused({ kind: 'words', entries: ['cykler'] })).toEqual([
      'invalid_state',
      'not_open',
    ]);
    await staff('poll:open', pollId);
    expect(await refused({ kind: 'words', entries: ['og det'] })).toEqual([
      'invalid_input',
      'only_stop_words',
    ]);
    expect(await refused({ kind: 'words', entries: ['a', 'b'] })).toEqual([
      'invalid_input',
      'too_many_answers',
    ]);
    expect(await refused({ kind: 'scale', value: 3 })).toEqual(['invalid_input', 'wrong_kind']);
    expect(await refused({ kind: 'words', entries: ['cykler'] }, 'pol_nonexistent')).toEqual([
      'not_found',
      'no_such_poll',
    ]);
    await staff('poll:close', pollId);
    expect(await refused({ kind: 'words', entries: ['cykler'] })).toEqual([
      'invalid_state',
      'not_open',
    ]);
  });
});

describe('results', () => {
  it('[PL5] [PL10] the public sees results only when shown, and after close when hidden until then', async () => {
    const { t, session, staff, create, answer } = await setup();
    const pollId = await create(SINGLE, true);
    await staff('poll:open', pollId);
    await answer(t.device(), pollId, { kind: 'single', optionId: 'o2' });
    await staff('poll:show-results', pollId);
    let views = await t.app.pollResultsViews(session.id, pollId);
    expect(views?.staff).toMatchObject({ revision: 1, tally: { responses: 1 } });
    expect(views?.public).toBeNull();
    await staff('poll:close', pollId);
    views = await t.app.pollResultsViews(session.id, pollId);
    expect(views?.public).toMatchObject({
      pollId,
      revision: 1,
      tally: { kind: 'single', options: [{ count: 0 }, { count: 1, percent: 100 }] },
    });
    await staff('poll:hide-results', pollId);
    expect((await t.app.pollResultsViews(session.id, pollId))?.public).toBeNull();
  });

  it('[PL8] a hidden word leaves the public results, staff keep it flagged', async () => {
    const { t, session, moderator, staff, create, answer } = await setup();
    const pollId = await create({ kind: 'words', maxAnswers: 2 });
    await staff('poll:open', pollId);
    await staff('poll:show-results', pollId);
    await answer(t.device(), pollId, { kind: 'words', entries: ['Cykelstier', 'Parker'] });
    await answer(t.device(), pollId, { kind: 'words', entries: ['cykelsti'] });
    const hidden = await t.app.command(moderator, 'poll:hide-word', {
      sessionId: session.id,
      commandId: id(),
      pollId,
      word: 'parker',
      isHidden: true,
    });
    expect(hidden.ok).toBe(true);
    const views = await t.app.pollResultsViews(session.id, pollId);
    const words = (tally: unknown) =>
      (tally as { words: { word: string; count: number; isShown: boolean }[] }).words.map((w) => [
        w.word,
        w.count,
        w.isShown,
      ]);
    expect(words(views?.staff.tally)).toEqual([
      ['cykelsti', 2, true],
      ['parker', 1, false],
    ]);
    expect(words(views?.public?.tally)).toEqual([['cykelsti', 2, true]]);
    await t.settle();
    expect(t.logged.at(-1)).toMatchObject({ action: 'poll-hide-word', detail: 'parker' });
  });

  it('[PL9] [PL10] a join carries the polls and results each principal may see, and the device’s answers', async () => {
    const { t, session, moderator, staff, create, answer } = await setup();
    await create(SINGLE);
    const open = await create(SINGLE);
    await staff('poll:open', open);
    await staff('poll:show-results', open);
    const phone = t.device();
    await answer(phone, open, { kind: 'single', optionId: 'o1' });
    const attendee = await t.app.command(phone, 'session:join', { sessionId: session.id });
    const mod = await t.app.command(moderator, 'session:join', { sessionId: session.id });
    if (!attendee.ok || !mod.ok) throw new Error('join failed');
    expect(attendee.data.streams.public.polls?.map((p) => p.id)).toEqual([open]);
    expect(attendee.data.streams.private?.pollAnswers).toMatchObject([{ pollId: open }]);
    expect(attendee.data.pollResults).toMatchObject([{ pollId: open, revision: 1 }]);
    expect(mod.data.streams.staff?.polls).toHaveLength(2);
  });
});
