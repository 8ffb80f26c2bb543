/**
 * Merging duplicates (SPEC M13, ST16) end to end: real app, real SQLite and Redis, real
 * socket.io-client connections.
 */
import { describe, expect, it } from 'vitest';
import { commandId, STORE_KINDS, useTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient } from '../testing/test-app.js';

describe.each(STORE_KINDS)('merging duplicates on %s', (kind) => {
  let t: TestApp;
  useTestApp(kind, (app) => (t = app));

  const latestCounts = (c: TestClient) =>
    [...c.updates].reverse().find((u) => u.name === 'counts')?.payload as
      { votes?: Record<string, number> } | undefined;

  it('[M13] [ST16] votes move to the target once per device, the sources leave the room, the target shows their texts and voices; a stale version conflicts', async () => {
    const { session, moderatorToken } = await t.createSession();
    const moderator = await t.client({ staff: moderatorToken });
    const [ib, else_, ole, voter] = await Promise.all([
      t.attendee(),
      t.attendee(),
      t.attendee(),
      t.attendee(),
    ]);
    await moderator.must('session:join', { sessionId: session.id });
    const deviceIds: string[] = [];
    for (const c of [ib, else_, ole]) {
      const join = await c.must('session:join', { sessionId: session.id });
      deviceIds.push(join.you.deviceId!);
    }
    await voter.must('session:join', { sessionId: session.id });
    const ask = (c: TestClient, text: string, displayName: string | null = null) =>
      c.must('post:create', {
        sessionId: session.id,
        commandId: commandId(),
        kind: 'question',
        text,
        displayName,
      });
    const { post: target } = await ask(ib, 'Hvornår kommer der cykelsti på Bernstorffsvej?');
    const { post: a } = await ask(else_, 'Cykelsti på Bernstorffsvej – hvornår?', 'Else');
    const { post: b } = await ask(ole, 'Hvad med cykelstien på Bernstorffsvej?');
    const { post: own } = await ask(ib, 'Bernstorffsvej og cykler?');
    const upvote = (c: TestClient, postId: string) =>
      c.must('post:upvote', { sessionId: session.id, commandId: commandId(), postId, isOn: true });
    // voter: target, a and b; else_: a; ole: b and target.
    await upvote(voter, target.id);
    await upvote(voter, a.id);
    await upvote(voter, b.id);
    await upvote(else_, a.id);
    await upvote(ole, b.id);
    await upvote(ole, target.id);

    const merge = (targetVersion: number, sources: { id: string; version: number }[]) =>
      moderator.call('post:merge', {
        sessionId: session.id,
        commandId: commandId(),
        targetId: target.id,
        targetVersion,
        sourceIds: sources.map((s) => s.id),
        sourceVersions: sources.map((s) => s.version),
      });
    // The schema refuses the target among the sources.
    expect(
      await moderator.call('post:merge', {
        sessionId: session.id,
        commandId: commandId(),
        targetId: target.id,
        targetVersion: 1,
        sourceIds: [target.id],
        sourceVersions: [1],
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const merged = await merge(target.version, [a, b, own]);
    expect(merged).toMatchObject({
      ok: true,
      data: {
        post: {
          id: target.id,
          version: target.version + 1,
          status: 'visible',
          merged: [
            { id: a.id, text: a.text, authorName: 'Else' },
            { id: b.id, text: b.text, authorName: null },
            { id: own.id, text: own.text, authorName: null },
          ],
          // ib (target and own), else_, ole.
          voices: 3,
        },
      },
    });

    // Attendee sockets: the sources leave, the target shows the merged texts.
    for (const phone of [ib, voter]) {
      for (const source of [a, b, own])
        await waitFor(`${source.id} to leave the room`, () =>
          phone.updates.some(
            (u) =>
              u.name === 'post:withdrawn' &&
              u.payload.stream === 'public' &&
              u.payload.postId === source.id,
          ),
        );
      await waitFor('the target with the merged texts', () =>
        phone.updates.some(
          (u) =>
            u.name === 'post:updated' &&
            u.payload.stream === 'public' &&
            (u.payload.post as { id: string; merged: unknown[]; voices: number }).id ===
              target.id &&
            (u.payload.post as { merged: unknown[] }).merged.length === 3 &&
            (u.payload.post as { voices: number }).voices === 3,
        ),
      );
    }
    // Votes: voter, else_ and ole each count once for the target; the sources keep none.
    await waitFor('merged counts at an attendee', () => {
      const votes = latestCounts(voter)?.votes ?? {};
      return votes[target.id] === 3 && !votes[a.id] && !votes[b.id];
    });
    const rejoin = await voter.must('session:join', { sessionId: session.id });
    expect(rejoin.counts.votes).toEqual({ [target.id]: 3 });
    expect(rejoin.myVotes).toEqual([target.id]);
    expect(rejoin.streams.public.posts.map((p) => p.id)).toEqual([target.id]);
    // The author of a merged source sees it hidden and pointing at the target.
    const author = await else_.must('session:join', { sessionId: session.id });
    expect(author.streams.private?.posts.find((p) => p.id === a.id)).toMatchObject({
      status: 'hidden',
      mergedInto: target.id,
    });
    // No author's device id reaches another socket (staff included).
    for (const deviceId of deviceIds)
      for (const raw of [...voter.raw, ...moderator.raw]) expect(raw).not.toContain(deviceId);
    const { entries } = await moderator.must('log:list', { sessionId: session.id, limit: 1 });
    expect(entries[0]).toMatchObject({ action: 'merge', postId: target.id });

    // A stale version conflicts and changes nothing.
    const { post: c } = await ask(ole, 'Og cykelstien ved Lyngby Allé?');
    await upvote(voter, c.id);
    expect(await merge(target.version, [c])).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { current: { id: target.id, version: 2 } } },
    });
    const after = await voter.must('session:join', { sessionId: session.id });
    expect(after.counts.votes).toEqual({ [target.id]: 3, [c.id]: 1 });
    expect(after.streams.public.posts.map((p) => p.id).sort()).toEqual([target.id, c.id].sort());
    // A hidden source is refused by the core rule.
    expect(await merge(2, [{ id: a.id, version: 2 }])).toMatchObject({
      ok: false,
      error: { code: 'invalid_state' },
    });
    // A merged post is not restored: its votes live on in the target.
    expect(
      await moderator.call('post:restore', {
        sessionId: session.id,
        commandId: commandId(),
        postId: a.id,
        version: 2,
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
  });
});
