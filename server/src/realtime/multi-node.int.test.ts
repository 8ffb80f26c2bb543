/**
 * [S7] Several nodes serve one session: two apps share a Redis store and the Redis fan-out;
 * whatever is committed on one node reaches the sockets held by the other, in order.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, commands } from '@gt/protocol';
import { commandId, makeTestStore, startTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient, TestStore } from '../testing/test-app.js';
import { commandFactories } from './testing/command-factories.js';

/** The staff commands, from the table: a new one is covered the day it is added. */
const STAFF_COMMANDS = COMMAND_NAMES.filter(
  (n) => commands[n].capability === 'moderate' || commands[n].capability === 'configure',
);

describe('[S7] two nodes behind one Redis', () => {
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

  it('a post made on node A reaches the moderator and attendees on node B, counts included', async () => {
    const { session, moderatorToken } = await nodeA.createSession({ moderation: 'pre' });
    const author = await nodeA.attendee();
    const moderator = await nodeB.client({ staff: moderatorToken });
    const reader = await nodeB.attendee();
    for (const c of [author, moderator, reader])
      await c.must('session:join', { sessionId: session.id });

    const texts = ['Et', 'To', 'Tre', 'Fire', 'Fem'];
    const posts: { id: string; version: number }[] = [];
    for (const text of texts)
      posts.push(
        (
          await author.must('post:create', {
            sessionId: session.id,
            commandId: commandId(),
            kind: 'question',
            text,
          })
        ).post,
      );
    await waitFor(
      'all five on node B staff stream',
      () => moderator.updates.filter((u) => u.name === 'post:created').length === 5,
    );
    expect(
      moderator.updates.filter((u) => u.name === 'post:created').map((u) => u.payload.seq),
    ).toEqual([1, 2, 3, 4, 5]);

    for (const post of posts)
      await moderator.must('post:approve', {
        sessionId: session.id,
        commandId: commandId(),
        postId: post.id,
        version: post.version,
      });
    await waitFor(
      'approvals made on node B to reach the author on node A',
      () =>
        author.updates.filter((u) => u.name === 'post:created' && u.payload.stream === 'public')
          .length === 5,
    );
    expect(
      reader.updates
        .filter((u) => u.name === 'post:created')
        .map((u) => (u.payload.post as { text: string }).text),
    ).toEqual(texts);

    await reader.must('post:upvote', {
      sessionId: session.id,
      commandId: commandId(),
      postId: posts[0]!.id,
      isOn: true,
    });
    await waitFor('a vote cast on node B to reach node A as a count', () =>
      author.updates.some(
        (u) =>
          u.name === 'counts' &&
          JSON.stringify(u.payload.votes) === JSON.stringify({ [posts[0]!.id]: 1 }),
      ),
    );
  });

  it('[V3] reaction taps counted on both nodes end as the exact total on every screen', async () => {
    const { session } = await nodeA.createSession();
    const tapperA = await nodeA.attendee();
    const tapperB = await nodeB.attendee();
    const screenA = await nodeA.attendee();
    const screenB = await nodeB.attendee();
    for (const c of [tapperA, tapperB, screenA, screenB])
      await c.must('session:join', { sessionId: session.id });
    const tap = (tapper: typeof tapperA) =>
      tapper.must('reaction:send', {
        sessionId: session.id,
        commandId: commandId(),
        reaction: 'applause',
      });
    // Interleaved, so each node's counts are sent while the other node still holds taps of
    // its own in memory.
    for (let i = 0; i < 6; i++) {
      await tap(tapperA);
      await tap(tapperB);
    }
    await tap(tapperB);
    const lastApplause = (screen: typeof screenA) =>
      (
        screen.updates.filter((u) => u.name === 'counts').at(-1)?.payload.reactions as
          Record<string, number> | undefined
      )?.applause;
    // Both nodes write their taps to the store every 2 s. Once all 13 are stored, every
    // screen's latest counts must hold all 13 too, whichever node sent them last.
    await waitFor(
      'both nodes to write their taps to the store',
      async () => (await store.store.getCounts(session.id)).reactions.applause === 13,
      10_000,
    );
    await waitFor(
      'the last counts on both nodes to hold all 13 taps',
      () => lastApplause(screenA) === 13 && lastApplause(screenB) === 13,
      10_000,
    );
  });

  it('[SC5] the participant count adds up the attendees connected to both nodes', async () => {
    const { session, moderatorToken } = await nodeA.createSession({ showParticipantCount: true });
    const wall = await nodeA.client();
    await wall.must('session:join', { sessionId: session.id });
    const onA = await nodeA.attendee();
    const onB = await nodeB.attendee();
    const moderator = await nodeB.client({ staff: moderatorToken });
    for (const c of [onA, onB, moderator]) await c.must('session:join', { sessionId: session.id });
    const latest = () =>
      [...wall.updates].reverse().find((u) => u.name === 'counts')?.payload.participants;
    await waitFor('the wall on node A to count the attendees of both nodes', () => latest() === 2);
    const join = await moderator.must('session:join', { sessionId: session.id });
    expect(join.counts.participants).toBe(2);
  });

  /** A session made on node A, its first link's id and token, and a second link. */
  async function sessionWithTwoLinks() {
    const organiser = { staff: nodeA.organiserToken };
    const { session, moderatorToken } = await nodeA.createSession({ moderation: 'pre' });
    const links = await nodeA.app.service.listModeratorLinks(organiser, session.id);
    if (!links.ok) throw new Error(links.error.message);
    const other = await nodeA.app.service.createModeratorLink(organiser, {
      sessionId: session.id,
      label: 'Frivillig',
    });
    if (!other.ok) throw new Error(other.error.message);
    return {
      organiser,
      session,
      link: links.data[0]!,
      token: moderatorToken,
      otherToken: other.data.moderatorToken,
    };
  }

  const closedFlag = (client: TestClient) => {
    const flag = { isClosed: false };
    client.socket.on('disconnect', () => (flag.isClosed = true));
    return flag;
  };

  it('[T5] revoking a moderator link on node A closes its sockets on node B too, and no other', async () => {
    const { organiser, session, link, token, otherToken } = await sessionWithTwoLinks();
    const onB = await nodeB.client({ staff: token });
    const onA = await nodeA.client({ staff: token });
    const kept = await nodeB.client({ staff: otherToken });
    for (const c of [onB, onA, kept]) await c.must('session:join', { sessionId: session.id });
    const [closedOnB, closedOnA] = [closedFlag(onB), closedFlag(onA)];

    expect(await nodeA.app.service.revokeModeratorLink(organiser, link.id)).toMatchObject({
      ok: true,
    });
    await waitFor(
      'the link’s socket on node B to be closed by the server',
      () => closedOnB.isClosed,
    );
    await waitFor('the link’s socket on node A to be closed too', () => closedOnA.isClosed);
    expect(kept.socket.connected).toBe(true);
    const payload = await commandFactories['post:approve']({ t: nodeA, session });
    expect(await kept.call('post:approve', payload)).toMatchObject({ ok: true });
  });

  it('[T5] [R4] every staff command sent on a link’s socket after its revocation is stored, before the socket is closed, is refused as forbidden and changes nothing', async () => {
    const { organiser, session, link, token } = await sessionWithTwoLinks();
    const socket = await nodeB.client({ staff: token });
    await socket.must('session:join', { sessionId: session.id });
    const closed = closedFlag(socket);
    const payloads = new Map<string, unknown>();
    for (const name of STAFF_COMMANDS)
      payloads.set(name, await commandFactories[name]({ t: nodeA, session }));
    const answers: [string, unknown][] = [];
    // The service stores the revocation, then asks every node to close the link's sockets.
    // Between the two, the socket on node B is still open: send every staff command on it
    // right then, through the real revocation.
    const store = nodeA.store;
    const save = store.saveModeratorLink.bind(store);
    store.saveModeratorLink = async (saved) => {
      await save(saved);
      if (saved.id !== link.id || saved.revokedAt === null) return;
      expect(socket.socket.connected).toBe(true);
      for (const [name, payload] of payloads)
        answers.push([name, await socket.call(name as never, payload as never)]);
    };
    try {
      expect(await nodeA.app.service.revokeModeratorLink(organiser, link.id)).toMatchObject({
        ok: true,
      });
    } finally {
      store.saveModeratorLink = save;
    }
    expect(answers.map(([name]) => name)).toEqual(STAFF_COMMANDS);
    for (const [name, answer] of answers)
      expect(answer, name).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await waitFor('the socket to be closed afterwards', () => closed.isClosed);

    // Nothing was done in the link's name: the log holds only the organiser's setup.
    const log = await nodeA.app.service.command({ staff: nodeA.organiserToken }, 'log:list', {
      sessionId: session.id,
      limit: 200,
    });
    if (!log.ok) throw new Error(log.error.message);
    expect(log.data.entries.length).toBeGreaterThan(0);
    expect(log.data.entries.filter((e) => e.actor === link.label)).toEqual([]);
  });
});
