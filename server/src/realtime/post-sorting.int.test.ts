/**
 * Tag, direct, and turn a post into a topic (SPEC M8-M11) end to end: real app, real SQLite
 * and Redis, real socket.io-client connections.
 */
import { describe, expect, it } from 'vitest';
import { commandId, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp } from '../testing/test-app.js';

describe.each(STORE_KINDS)('sorting posts on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  async function setup() {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const phone = await t.attendee();
    await phone.must('session:join', { sessionId: session.id });
    const { post } = await phone.must('post:create', {
      sessionId: session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvornår bliver cykelstien på Bernstorffsvej færdig, og hvem betaler for den nye belysning langs stien?',
    });
    expect([post.topicId, post.directedTo]).toEqual([null, null]);
    return { session, moderator, phone, post };
  }

  it('[M8] [M4] a post is tagged with a topic of its event, untagged again; another event’s topic and a stale version are refused', async () => {
    const { session, moderator, phone, post } = await setup();
    const organiser = { staff: t.organiserToken };
    const topic = await t.app.service.createTopic(organiser, {
      eventId: session.eventId,
      title: 'Cykelstier',
      contactName: 'Mette',
    });
    if (!topic.ok) throw new Error(topic.error.message);
    const { session: other } = await t.createSession();
    const foreign = await t.app.service.createTopic(organiser, {
      eventId: other.eventId,
      title: 'Andet',
      contactName: 'Ole',
    });
    if (!foreign.ok) throw new Error(foreign.error.message);
    const tag = (topicId: string | null, version: number) =>
      moderator.call('post:tag', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version,
        topicId,
      });
    expect(await tag(foreign.data.id, 1)).toMatchObject({
      ok: false,
      error: { code: 'not_found', details: { field: 'topicId' } },
    });
    const tagged = await tag(topic.data.id, 1);
    expect(tagged).toMatchObject({
      ok: true,
      data: { post: { topicId: topic.data.id, version: 2 } },
    });
    await waitFor('the phone to see the tag', () =>
      phone.updates.some(
        (u) =>
          u.name === 'post:updated' &&
          u.payload.stream === 'public' &&
          (u.payload.post as { topicId: string | null }).topicId === topic.data.id,
      ),
    );
    expect(await tag(null, 1)).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { current: { topicId: topic.data.id, version: 2 } } },
    });
    expect(await tag(null, 2)).toMatchObject({ ok: true, data: { post: { topicId: null } } });
  });

  it('[M9] a post is directed to a member of the panel; someone not on the panel is refused', async () => {
    const { session, moderator, post } = await setup();
    await moderator.must('session:configure', {
      sessionId: session.id,
      commandId: commandId(),
      version: session.version,
      settings: { panel: [{ id: 'pm_anne0001', name: 'Anne Åse', party: 'Venstre' }] },
    });
    const direct = (panelMemberId: string | null, version: number) =>
      moderator.call('post:direct', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version,
        panelMemberId,
      });
    expect(await direct('pm_somebody', 1)).toMatchObject({
      ok: false,
      error: { code: 'not_found', details: { field: 'panelMemberId' } },
    });
    expect(await direct('pm_anne0001', 1)).toMatchObject({
      ok: true,
      data: { post: { directedTo: 'pm_anne0001', version: 2 } },
    });
    const { entries } = await moderator.must('log:list', { sessionId: session.id, limit: 1 });
    expect(entries[0]).toMatchObject({ action: 'direct', postId: post.id });
  });

  it('[M11] a post becomes a topic of its session, titled from its text, and is tagged with it', async () => {
    const { session, moderator, phone, post } = await setup();
    const { post: tagged, topic } = await moderator.must('post:to-topic', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: 1,
    });
    expect(topic).toMatchObject({ sessionId: session.id, eventId: session.eventId });
    expect(topic.title.endsWith('…')).toBe(true);
    expect(post.text.startsWith(topic.title.slice(0, -1))).toBe(true);
    expect(tagged).toMatchObject({ topicId: topic.id, version: 2 });
    const { topics } = await phone.must('topic:list', { sessionId: session.id });
    expect(topics.map((x) => x.id)).toContain(topic.id);
    const named = await moderator.must('post:to-topic', {
      sessionId: session.id,
      commandId: commandId(),
      postId: post.id,
      version: 2,
      title: '  Belysning  ',
    });
    expect(named.topic.title).toBe('Belysning');
    expect(
      await moderator.call('post:to-topic', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version: 3,
        title: '   ',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', details: { field: 'title' } } });
    const { entries } = await moderator.must('log:list', { sessionId: session.id, limit: 2 });
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['to-topic', 'Belysning'],
      ['to-topic', topic.title],
    ]);
  });
});
