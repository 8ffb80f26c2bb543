/**
 * The services over the in-memory store, through the command bus as a socket would call it:
 * the rules of the middle floor (authorise, idempotency, rate limit, store then publish,
 * conflicts, organisations) without a server. The same rules are proven against SQLite and
 * Redis through real sockets in the integration tier.
 */
import { asId } from '@gt/core';
import type { OrgId } from '@gt/core';
import type { Credentials } from '@gt/protocol';
import { describe, expect, it } from 'vitest';
import { memoryApp } from './testing/memory-app.js';

const id = () => `cmd_${Math.random().toString(36).slice(2)}`;

async function post(
  t: ReturnType<typeof memoryApp>,
  creds: Credentials,
  sessionId: string,
  text = 'Hvornår kommer cykelstien?',
  commandId = id(),
) {
  return t.app.command(creds, 'post:create', { sessionId, commandId, kind: 'question', text });
}

describe('posts through the command bus', () => {
  it('[S6] a pre-moderated post goes to staff and its author, never to the public stream', async () => {
    const t = memoryApp();
    const { session } = await t.session({ moderation: 'pre' });
    const result = await post(t, t.device(), session.id);
    expect(result.ok && result.data.post.status).toBe('pending');
    await t.settle();
    const streams = t.published.map((e) => e.stream);
    expect(streams).toContain('staff');
    expect(streams.some((s) => s.startsWith('private:'))).toBe(true);
    expect(streams).not.toContain('public');
  });

  it('[I2] a repeated command id stores one post and answers the same acknowledgement', async () => {
    const t = memoryApp();
    const { session } = await t.session();
    const phone = t.device();
    const first = await post(t, phone, session.id, 'Mere lys på stien', 'cmd_same');
    const again = await post(t, phone, session.id, 'Mere lys på stien', 'cmd_same');
    expect(again).toEqual(first);
    expect(await t.store.listPosts(session.id)).toHaveLength(1);
  });

  it('[T2] the sixth post in a minute from one device is rate limited; a replay is not', async () => {
    const t = memoryApp();
    const { session } = await t.session();
    const phone = t.device();
    for (let i = 0; i < 5; i++)
      expect((await post(t, phone, session.id, `Spørgsmål ${i}`, `cmd_post_${i}`)).ok).toBe(true);
    const sixth = await post(t, phone, session.id, 'Spørgsmål 6');
    expect(!sixth.ok && sixth.error.code).toBe('rate_limited');
    expect((await post(t, phone, session.id, 'Spørgsmål 0', 'cmd_post_0')).ok).toBe(true);
  });

  it('[R1] an attendee may not approve; a moderator link of the session may', async () => {
    const t = memoryApp();
    const { session, moderator } = await t.session({ moderation: 'pre' });
    const created = await post(t, t.device(), session.id);
    if (!created.ok) throw new Error(created.error.message);
    const approve = (creds: Credentials) =>
      t.app.command(creds, 'post:approve', {
        sessionId: session.id,
        commandId: id(),
        postId: created.data.post.id,
        version: created.data.post.version,
      });
    const byAttendee = await approve(t.device());
    expect(!byAttendee.ok && byAttendee.error.code).toBe('forbidden');
    const byModerator = await approve(moderator);
    expect(byModerator.ok && byModerator.data.post.status).toBe('visible');
  });

  it('[M4] a change at a stale version is a conflict carrying the current post', async () => {
    const t = memoryApp();
    const { session, moderator } = await t.session();
    const created = await post(t, t.device(), session.id);
    if (!created.ok) throw new Error(created.error.message);
    const { id: postId, version } = created.data.post;
    const pin = await t.app.command(moderator, 'post:pin', {
      sessionId: session.id,
      commandId: id(),
      postId,
      version,
    });
    expect(pin.ok).toBe(true);
    const stale = await t.app.command(moderator, 'post:answer', {
      sessionId: session.id,
      commandId: id(),
      postId,
      version,
    });
    expect(!stale.ok && stale.error.code).toBe('conflict');
    expect(!stale.ok && (stale.error.details?.current as { isPinned: boolean }).isPinned).toBe(
      true,
    );
  });

  it('[ML1] a floor question is logged with the moderator link that typed it', async () => {
    const t = memoryApp();
    const { session, moderator } = await t.session();
    const result = await t.app.command(moderator, 'post:create-from-room', {
      sessionId: session.id,
      commandId: id(),
      kind: 'question',
      text: 'Fra salen: hvad med parkeringen?',
    });
    expect(result.ok).toBe(true);
    await t.settle();
    expect(t.logged.map((e) => [e.action, e.actor])).toEqual([['create-from-room', 'Ordstyrer 1']]);
  });

  it('answers internal, and throws nothing, when the store fails under a command', async () => {
    const t = memoryApp();
    const { session } = await t.session();
    t.store.insertPost = () => Promise.reject(new Error('disk full'));
    const result = await post(t, t.device(), session.id);
    expect(!result.ok && result.error.code).toBe('internal');
  });
});

describe('the organiser operations', () => {
  it('[O1] refuse anyone without an organiser login', async () => {
    const t = memoryApp();
    const result = await t.app.createEvent(t.device(), { title: 'Kulturnat' });
    expect(!result.ok && result.error.code).toBe('forbidden');
  });

  it("[O2] an organiser of another organisation is forbidden this one's sessions and links", async () => {
    const t = memoryApp();
    const { session } = await t.session();
    const stranger = t.organiser(asId<OrgId>('org_other'));
    const links = await t.app.listModeratorLinks(stranger, session.id);
    expect(!links.ok && links.error.code).toBe('forbidden');
    const own = await t.app.listModeratorLinks(t.organiser(), session.id);
    expect(own.ok && own.data.map((l) => l.label)).toEqual(['Ordstyrer 1']);
  });
});
