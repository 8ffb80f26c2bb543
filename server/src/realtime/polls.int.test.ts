/**
 * Live polls (SPEC PL1-PL10) end to end: real app, real SQLite and Redis, real
 * socket.io-client connections for phones, a moderator and the wall; and two nodes on one
 * Redis answering one poll.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRequest, PollResultsWire } from '@gt/protocol';
import {
  commandId,
  makeTestStore,
  startTestApp,
  STORE_KINDS,
  useTestApp,
  waitFor,
} from '../testing/test-app.js';
import type { TestApp, TestClient, TestStore } from '../testing/test-app.js';

type Results = PollResultsWire & { sessionId: string };

/** The newest results a client holds for a poll: the highest revision, as a reader keeps it. */
function resultsOf(client: TestClient, pollId: string): Results | undefined {
  return client.updates
    .filter((u) => u.name === 'poll:results' && u.payload.pollId === pollId)
    .map((u) => u.payload as unknown as Results)
    .reduce<Results | undefined>(
      (best, r) => (!best || r.revision >= best.revision ? r : best),
      undefined,
    );
}

const counts = (r: Results | undefined) =>
  r?.tally.kind === 'single' || r?.tally.kind === 'multiple'
    ? r.tally.options.map((o) => o.count)
    : null;
const words = (r: Results | undefined) =>
  r?.tally.kind === 'words' ? r.tally.words.map((w) => [w.word, w.count]) : null;

async function createPoll(
  moderator: TestClient,
  sessionId: string,
  spec: CommandRequest<'poll:create'>['spec'],
  isResultsHiddenUntilClose = false,
) {
  const { poll } = await moderator.must('poll:create', {
    sessionId,
    commandId: commandId(),
    question: 'Hvad skal kommunen gøre først?',
    spec,
    isResultsHiddenUntilClose,
  });
  return poll.id;
}

describe.each(STORE_KINDS)('live polls on %s', (kind) => {
  let t: TestApp;
  let testStore: TestStore;
  useTestApp(kind, (app, store) => ((t = app), (testStore = store)));

  it('[PL2] [PL5] [PL6] [PL9] [PL10] phones answer and change their answers; the wall sees the results only once the poll closes', async () => {
    const { session, moderatorToken } = await t.createSession();
    const sessionId = session.id;
    const moderator = await t.client({ staff: moderatorToken });
    const wall = await t.client();
    const phones = [await t.attendee(), await t.attendee(), await t.attendee()];
    for (const c of [moderator, wall, ...phones]) await c.must('session:join', { sessionId });
    const staff = (name: 'poll:open' | 'poll:close' | 'poll:show-results', pollId: string) =>
      moderator.must(name, { sessionId, commandId: commandId(), pollId });

    const pollId = await createPoll(
      moderator,
      sessionId,
      { kind: 'single', options: ['Cykelstier', 'Skoler'] },
      true,
    );
    await waitFor('the draft on the staff stream', () =>
      moderator.updates.some((u) => u.name === 'poll:updated'),
    );
    expect(wall.updates.filter((u) => u.name === 'poll:updated')).toEqual([]);
    await staff('poll:open', pollId);
    await staff('poll:show-results', pollId);
    await waitFor('the open poll on the wall', () =>
      wall.updates.some(
        (u) =>
          u.name === 'poll:updated' && (u.payload.poll as { status: string }).status === 'open',
      ),
    );

    const answer = (phone: TestClient, optionId: string, id = commandId()) =>
      phone.must('poll:answer', {
        sessionId,
        commandId: id,
        pollId,
        answer: { kind: 'single', optionId },
      });
    await answer(phones[0]!, 'o1', 'cmd_first_answer_0');
    await answer(phones[1]!, 'o1');
    await answer(phones[2]!, 'o2');
    // The first phone changes its mind; its first answer arrives again (an outbox resending).
    await answer(phones[0]!, 'o2');
    await answer(phones[0]!, 'o1', 'cmd_first_answer_0');
    await waitFor(
      'staff to see 1 and 2',
      () => JSON.stringify(counts(resultsOf(moderator, pollId))) === JSON.stringify([1, 2]),
    );
    expect(resultsOf(moderator, pollId)?.tally.responses).toBe(3);
    expect(wall.updates.filter((u) => u.name === 'poll:results')).toEqual([]);
    await waitFor('the phone’s own answer on its private stream', () =>
      phones[2]!.updates.some((u) => u.name === 'poll:answered' && u.payload.stream === 'private'),
    );
    expect(wall.updates.filter((u) => u.name === 'poll:answered')).toEqual([]);

    await staff('poll:close', pollId);
    await waitFor(
      'the wall to get the results once closed',
      () => JSON.stringify(counts(resultsOf(wall, pollId))) === JSON.stringify([1, 2]),
    );
    expect(
      await phones[1]!.call('poll:answer', {
        sessionId,
        commandId: commandId(),
        pollId,
        answer: { kind: 'single', optionId: 'o1' },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_state', details: { reason: 'not_open' } },
    });

    // A phone that joins now finds the poll, its results and its own answer in the snapshot.
    const rejoined = await phones[0]!.must('session:join', { sessionId });
    expect(rejoined.streams.public.polls?.map((p) => [p.id, p.status])).toEqual([
      [pollId, 'closed'],
    ]);
    expect(rejoined.streams.private?.pollAnswers).toMatchObject([
      { pollId, value: { optionId: 'o2' } },
    ]);
    expect(counts(rejoined.pollResults?.[0] as Results)).toEqual([1, 2]);
  });

  it('[PL3] [PL8] [ML1] the word cloud folds spellings; a hidden word leaves the wall; the log names who opened, closed and hid', async () => {
    const { session, moderatorToken } = await t.createSession();
    const sessionId = session.id;
    const moderator = await t.client({ staff: moderatorToken });
    const wall = await t.client();
    const phones = [await t.attendee(), await t.attendee(), await t.attendee()];
    for (const c of [moderator, wall, ...phones]) await c.must('session:join', { sessionId });
    const pollId = await createPoll(moderator, sessionId, { kind: 'words', maxAnswers: 2 });
    for (const name of ['poll:open', 'poll:show-results'] as const)
      await moderator.must(name, { sessionId, commandId: commandId(), pollId });
    const entries = [['Cykelstier', 'Parker'], ['cykelsti'], ['CYKELSTIER!', 'parker']];
    await Promise.all(
      phones.map((phone, i) =>
        phone.must('poll:answer', {
          sessionId,
          commandId: commandId(),
          pollId,
          answer: { kind: 'words', entries: entries[i]! },
        }),
      ),
    );
    await waitFor(
      'the cloud on the wall',
      () =>
        JSON.stringify(words(resultsOf(wall, pollId))) ===
        JSON.stringify([
          ['cykelstier', 3],
          ['parker', 2],
        ]),
    );
    await moderator.must('poll:hide-word', {
      sessionId,
      commandId: commandId(),
      pollId,
      word: 'Parker',
      isHidden: true,
    });
    await waitFor(
      'the hidden word to leave the wall',
      () => JSON.stringify(words(resultsOf(wall, pollId))) === JSON.stringify([['cykelstier', 3]]),
    );
    expect(words(resultsOf(moderator, pollId))).toEqual([
      ['cykelstier', 3],
      ['parker', 2],
    ]);
    await moderator.must('poll:close', { sessionId, commandId: commandId(), pollId });
    const log = await moderator.must('log:list', { sessionId });
    expect(log.entries.map((e) => [e.action, e.actor])).toEqual([
      ['poll-close', 'Ordstyrer 1'],
      ['poll-hide-word', 'Ordstyrer 1'],
      ['poll-open', 'Ordstyrer 1'],
    ]);
  });
  it('[PL6] [PL9] a poll, its answers and their counts survive a restart', async () => {
    const { session, moderatorToken } = await t.createSession();
    const sessionId = session.id;
    const moderator = await t.client({ staff: moderatorToken });
    const pollId = await createPoll(moderator, sessionId, {
      kind: 'multiple',
      options: ['Cykelstier', 'Skoler', 'Bibliotek'],
      maxChoices: 2,
    });
    for (const name of ['poll:open', 'poll:show-results'] as const)
      await moderator.must(name, { sessionId, commandId: commandId(), pollId });
    const phones = await Promise.all(Array.from({ length: 12 }, () => t.attendee()));
    await Promise.all(
      phones.map((phone, i) =>
        phone.must('poll:answer', {
          sessionId,
          commandId: commandId(),
          pollId,
          answer: { kind: 'multiple', optionIds: i % 2 ? ['o1', 'o3'] : ['o2'] },
        }),
      ),
    );

    await t.close();
    await t.store.close();
    t = await startTestApp(await testStore.reopen());
    const wall = await t.client();
    const join = await wall.must('session:join', { sessionId });
    expect(join.streams.public.polls?.map((p) => [p.id, p.status])).toEqual([[pollId, 'open']]);
    expect(join.pollResults).toMatchObject([
      {
        pollId,
        revision: 12,
        tally: {
          responses: 12,
          options: [
            { count: 6, percent: 50 },
            { count: 6, percent: 50 },
            { count: 6, percent: 50 },
          ],
        },
      },
    ]);
    const again = await t.client({ device: phones[1]!.deviceToken });
    const mine = await again.must('session:join', { sessionId });
    expect(mine.streams.private?.pollAnswers).toMatchObject([
      { pollId, value: { kind: 'multiple', optionIds: ['o1', 'o3'] } },
    ]);
  });
});

describe('[PL10] two nodes behind one Redis answering one poll', () => {
  let store: TestStore;
  let nodeA: TestApp;
  let nodeB: TestApp;

  beforeAll(async () => {
    store = await makeTestStore('redis');
    const channel = `gt-test-fanout:${randomBytes(6).toString('hex')}`;
    nodeA = await startTestApp(store.store, { fanOutChannel: channel });
    nodeB = await startTestApp(await store.reopen(), { fanOutChannel: channel });
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    await store.cleanup();
  });

  it('keeps the counts exact: the wall on one node ends with the store’s count of answers given on both', async () => {
    const { session, moderatorToken } = await nodeA.createSession();
    const sessionId = session.id;
    const moderator = await nodeB.client({ staff: moderatorToken });
    const wall = await nodeA.client();
    await moderator.must('session:join', { sessionId });
    await wall.must('session:join', { sessionId });
    const pollId = await createPoll(moderator, sessionId, {
      kind: 'single',
      options: ['Cykelstier', 'Skoler', 'Bibliotek'],
    });
    for (const name of ['poll:open', 'poll:show-results'] as const)
      await moderator.must(name, { sessionId, commandId: commandId(), pollId });

    const phones = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? nodeA : nodeB).attendee()),
    );
    await Promise.all(
      phones.map((phone, i) =>
        phone.must('poll:answer', {
          sessionId,
          commandId: commandId(),
          pollId,
          answer: { kind: 'single', optionId: `o${(i % 3) + 1}` },
        }),
      ),
    );
    // Every fourth phone changes its answer to the third option, on both nodes at once.
    await Promise.all(
      phones
        .filter((_, i) => i % 4 === 0)
        .map((phone) =>
          phone.must('poll:answer', {
            sessionId,
            commandId: commandId(),
            pollId,
            answer: { kind: 'single', optionId: 'o3' },
          }),
        ),
    );
    const { answers, revision } = await store.store.listAnswers(sessionId, pollId);
    expect(answers).toHaveLength(40);
    expect(revision).toBe(50);
    const stored = ['o1', 'o2', 'o3'].map(
      (o) => answers.filter((a) => a.value.kind === 'single' && a.value.optionId === o).length,
    );
    for (const [screen, name] of [
      [wall, 'the wall on node A'],
      [moderator, 'the moderator on node B'],
    ] as const)
      await waitFor(`${name} to show the store’s counts`, () => {
        const held = resultsOf(screen, pollId);
        return (
          held?.revision === revision && JSON.stringify(counts(held)) === JSON.stringify(stored)
        );
      });
  });
});
