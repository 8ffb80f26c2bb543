// Losing nothing on a bad network, with the connection cut for real: a TCP proxy the test
// controls sits between the browser and the real server and drops every Socket.IO
// connection (TOOLCHAIN: `setOffline` does not close a WebSocket). A post and an upvote made
// while cut show "sending", survive a reload, and once the connection is back each is stored
// exactly once, as the server itself reports. An action the server can no longer take (the
// talk closed meanwhile) shows "not sent" with its text. A phone that slept with a dead socket
// catches up when it is woken.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  commandId,
  createLiveTalk,
  NodeClient,
  registerDevice,
  streamHeads,
} from './support/live-pages.js';
import type { LiveTalk } from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';
import { startServer } from './support/server.js';
import type { RunningServer } from './support/server.js';
import { SocketCutProxy } from './support/socket-cut-proxy.js';

const da = { locale: 'da' } as const;
let server: RunningServer;
let proxy: SocketCutProxy;
let browser: Browser;
let context: BrowserContext;
const clients: NodeClient[] = [];

beforeAll(async () => {
  // The browser reaches the server only through the proxy, and the server knows that
  // address as its own (WebSocket origin check, form posts).
  proxy = await SocketCutProxy.listen();
  server = await startServer({ publicUrl: proxy.url });
  proxy.target(Number(new URL(server.url).port));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.dispose();
});
afterEach(async () => {
  proxy.restore();
  await context?.close();
  for (const client of clients.splice(0)) client.close();
});

/** A plain Socket.IO client straight to the server (not through the proxy). */
async function client(tokens: { device?: string; staff?: string }, sessionId: string) {
  const connected = await NodeClient.connect(server.url, tokens);
  clients.push(connected);
  await connected.send('session:join', { sessionId });
  return connected;
}

/** What the server has stored: the room's post texts and the vote counts, read afresh. */
async function stored(sessionId: string) {
  const reader = await NodeClient.connect(server.url, { device: await registerDevice(server.url) });
  try {
    const ack = await reader.send('session:join', { sessionId });
    return { texts: ack.streams.public.posts.map((p) => p.text), votes: ack.counts.votes ?? {} };
  } finally {
    reader.close();
  }
}

async function phone() {
  context = await browser.newContext({ viewport: VIEWPORTS.phone });
  return new AttendeePage(await context.newPage());
}

async function outboxInStorage(attendee: AttendeePage): Promise<unknown[]> {
  return attendee.page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('gt:outbox:v1:'))
      .flatMap((key) => {
        const stored = JSON.parse(localStorage.getItem(key) ?? '{}') as { items?: unknown[] };
        return stored.items ?? [];
      }),
  );
}

describeInBrowser('the outbox with the connection cut for real', () => {
  let talk: LiveTalk;

  it('[AP3][I2] a post and an upvote made while cut show "sending", survive a reload and are stored once', async () => {
    talk = await createLiveTalk(server.url, { moderation: 'post' });
    const sessionId = talk.session.id;
    const other = await client({ device: await registerDevice(server.url) }, sessionId);
    const theirs = 'Kan der komme en fodgængerovergang ved Hellerup Station?';
    const { post: theirPost } = await other.send('post:create', {
      sessionId,
      commandId: commandId(),
      kind: 'question',
      text: theirs,
    });

    const attendee = await phone();
    await attendee.goto(proxy.url, sessionId);
    await attendee.roomPost(theirs).waitFor();
    await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');

    proxy.cut();
    await expect.poll(() => attendee.connectionStatus(), { timeout: 30_000 }).toBe('offline');
    const mine = 'Hvornår bliver legepladsen i Dyssegården færdig?';
    await attendee.post(mine);
    await attendee.myPost(mine).getByText(m.attendee_status_sending({}, da)).waitFor();
    await attendee.upvoteButton(theirs).click();
    await attendee.upvoteButton(theirs).getByText(m.attendee_status_sending({}, da)).waitFor();
    expect(await attendee.upvoteButton(theirs).getAttribute('aria-pressed')).toBe('true');
    expect(await outboxInStorage(attendee)).toHaveLength(2);
    // Really cut: the server has neither.
    const before = await stored(sessionId);
    expect(before.texts).toEqual([theirs]);
    expect(before.votes[theirPost.id] ?? 0).toBe(0);

    // A reload while still cut: both are still there, still sending.
    await attendee.page.reload();
    await attendee.hydrated();
    await attendee.myPost(mine).getByText(m.attendee_status_sending({}, da)).waitFor();
    await attendee.upvoteButton(theirs).getByText(m.attendee_status_sending({}, da)).waitFor();
    await expectAccessible(attendee.page, 'attendee page with actions waiting to be sent');
    expect((await stored(sessionId)).texts).toEqual([theirs]);

    // The connection is back: each is sent, and stored exactly once.
    proxy.restore();
    await attendee.myPost(mine).getByText(m.attendee_status_visible({}, da)).waitFor({
      timeout: 30_000,
    });
    await expect
      .poll(() =>
        attendee.upvoteButton(theirs).getByText(m.attendee_status_sending({}, da)).count(),
      )
      .toBe(0);
    await attendee.roomPost(theirs).getByText(m.attendee_votes_one({}, da)).waitFor();
    expect(await outboxInStorage(attendee)).toEqual([]);
    const after = await stored(sessionId);
    expect(after.texts.filter((text) => text === mine)).toHaveLength(1);
    expect(after.texts).toHaveLength(2);
    expect(after.votes[theirPost.id]).toBe(1);

    // Another reload sends nothing again.
    await attendee.page.reload();
    await attendee.hydrated();
    await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');
    expect(await stored(sessionId)).toEqual(after);
  }, 120_000);

  it('[AP3][AP8][P7] a post not sent before the talk closed shows "not sent", with its text kept, and says so next to the field', async () => {
    const sessionId = talk.session.id;
    const attendee = await phone();
    await attendee.goto(proxy.url, sessionId);
    await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');

    proxy.cut();
    await expect.poll(() => attendee.connectionStatus(), { timeout: 30_000 }).toBe('offline');
    const late = 'Hvem sørger for, at stierne bliver ryddet for sne?';
    await attendee.post(late);
    await attendee.myPost(late).getByText(m.attendee_status_sending({}, da)).waitFor();

    // Meanwhile the moderator closes the talk.
    const moderator = await client({ staff: talk.moderatorToken }, sessionId);
    const { session } = await moderator.send('session:join', { sessionId });
    await moderator.send('session:configure', {
      sessionId,
      commandId: commandId(),
      version: session.version,
      settings: { isOpen: false },
    });

    proxy.restore();
    const notSent = m.attendee_status_failed({ reason: m.attendee_error_closed({}, da) }, da);
    await attendee.myPost(late).getByText(notSent).waitFor({ timeout: 30_000 });
    await attendee.myPost(late).getByText(late).waitFor();
    // Next to the field too, although the talk is closed: the form stays to say why.
    const besideField = attendee.page
      .locator('form[action="?/post"]')
      .getByText(m.attendee_notice_not_sent({ reason: m.attendee_error_closed({}, da) }, da));
    await besideField.waitFor();
    const describedBy = (await attendee.textField.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await besideField.getAttribute('id'));
    expect((await stored(sessionId)).texts).not.toContain(late);
    await attendee.page.reload();
    await attendee.hydrated();
    await attendee.myPost(late).getByText(notSent).waitFor({ timeout: 15_000 });
    await expectAccessible(attendee.page, 'attendee page with a post not sent');
  }, 90_000);

  it('[AP3][S4] a phone that slept with a dead connection catches up when it wakes', async () => {
    const woken = await createLiveTalk(server.url, { moderation: 'post' });
    const sessionId = woken.session.id;
    const attendee = await phone();
    const sent: string[] = [];
    attendee.page.on('websocket', (ws) =>
      ws.on('framesent', (frame) => {
        if (typeof frame.payload === 'string') sent.push(frame.payload);
      }),
    );
    await attendee.goto(proxy.url, sessionId);
    await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');

    // The screen locks; the connection dies without anyone noticing; the room goes on.
    await attendee.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    proxy.freeze();
    const other = await client({ device: await registerDevice(server.url) }, sessionId);
    const missed = 'Kommer der flere affaldsspande langs stranden?';
    await other.send('post:create', {
      sessionId,
      commandId: commandId(),
      kind: 'idea',
      text: missed,
    });
    const head = (await streamHeads(server.url, sessionId, {})).public;
    expect(await attendee.lastSeq('public')).toBeLessThan(head);
    expect(await attendee.connectionStatus()).toBe('online');

    // The screen comes back on: the page asks what it missed, and gets it.
    await attendee.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => sent.some((frame) => frame.includes('"stream:catchup"'))).toBe(true);
    await expect.poll(() => attendee.lastSeq('public'), { timeout: 60_000 }).toBe(head);
    await attendee.showNewButton(1).click();
    await attendee.roomPost(missed).waitFor();
  }, 120_000);
});
