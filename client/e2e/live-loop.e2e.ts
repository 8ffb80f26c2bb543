// Issue 3's live loop, end to end against the real server: a phone posts, a moderator approves
// and highlights, the wall shows it large. Then the server is killed with SIGKILL; while the
// three pages cannot reach it, another phone (a Node socket) posts and a second moderator
// approves; when the pages can reach the server again they show the new post without a
// reload, and each has applied exactly the server's last sequence number of each of its
// streams. Every page is checked with axe at its size, in Danish and in English.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { m } from '@gt/i18n';
import { cookieName } from '@gt/i18n/runtime';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  commandId,
  createLiveTalk,
  createModeratorLink,
  expectCaughtUp,
  ModeratorPage,
  NodeClient,
  registerDevice,
  streamHeads,
  WallPage,
} from './support/live-pages.js';
import type { LiveTalk } from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';
import { startServer } from './support/server.js';
import type { RunningServer } from './support/server.js';

const WALL = { width: 1920, height: 1080 };
const da = { locale: 'da' } as const;
const FIRST = 'Hvornår kommer der en sikker cykelsti langs Strandvejen?';
const SECOND = 'Kan biblioteket holde åbent om søndagen hele året?';

// This file kills its server, so it starts its own instead of sharing the global one.
let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** A browser context per person; `isCut` keeps it from reaching the server's socket. */
async function person(viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const state = { isCut: false };
  // Socket.IO tries a WebSocket first and HTTP long-polling after it: both ways are closed
  // while the person is cut off, and open again afterwards, with nothing else changed.
  await context.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (state.isCut) ws.close({ code: 1006, reason: 'cut off by the test' });
    else ws.connectToServer();
  });
  await context.route(/\/socket\.io\//, (route) =>
    state.isCut ? route.abort('connectionrefused') : route.fallback(),
  );
  return { context, page: await context.newPage(), state };
}

describeInBrowser('the live loop from phone to wall', () => {
  let talk: LiveTalk;

  it('[S4] phone posts, moderator approves and highlights, the wall shows it; all survive a SIGKILL', async () => {
    const base = server.url;
    talk = await createLiveTalk(base, { moderation: 'pre' });
    const sessionId = talk.session.id;

    const phone = await person(VIEWPORTS.phone);
    const laptop = await person(VIEWPORTS.laptop);
    const projector = await person(WALL);
    const attendee = new AttendeePage(phone.page);
    const moderator = new ModeratorPage(laptop.page);
    const wall = new WallPage(projector.page);

    // The three screens, each checked where it is used.
    await attendee.goto(base, sessionId);
    await expectAccessible(attendee.page);
    await moderator.goto(talk.moderatorUrl);
    // The link's token became a cookie, and the address bar no longer shows it.
    expect(moderator.page.url()).toBe(`${base}/moderator/${sessionId}`);
    const cookies = await laptop.context.cookies();
    const linkCookie = cookies.find((c) => c.name === `gt_mod_${sessionId}`);
    expect(linkCookie).toMatchObject({ httpOnly: true, path: `/moderator/${sessionId}` });
    await expectAccessible(moderator.page);
    await wall.goto(base, sessionId);
    await expectAccessible(wall.page);

    // Post → approve → highlight → the wall shows it, large.
    await attendee.post(FIRST);
    await expect.poll(() => attendee.textField.inputValue()).toBe('');
    await attendee.myPost(FIRST).getByText(m.attendee_status_pending({}, da)).waitFor();
    await moderator.card('pending', FIRST).waitFor();
    await expectAccessible(moderator.page, 'moderator console with a waiting post');
    await moderator.act('pending', FIRST, 'approve');
    await moderator.show('visible');
    await moderator.card('visible', FIRST).waitFor();
    await moderator.act('visible', FIRST, 'highlight');
    await moderator.onWall.getByText(FIRST).waitFor();
    await wall.highlighted.getByText(FIRST).waitFor({ timeout: 15_000 });
    // Readable from the back of the room: at 1920×1080 the text is at least 56 px.
    expect(await wall.highlightedFontSize()).toBeGreaterThanOrEqual(56);
    await attendee.myPost(FIRST).getByText(m.attendee_status_on_wall({}, da)).waitFor();
    await attendee.roomPost(FIRST).waitFor();
    await expectAccessible(attendee.page, 'attendee page with a post on the wall');
    await expectAccessible(wall.page, 'wall with a highlighted post');

    // Cut the pages off, then kill the server: no graceful shutdown at all.
    for (const p of [phone, laptop, projector]) p.state.isCut = true;
    await server.stop('SIGKILL');
    await expect.poll(() => attendee.connectionStatus(), { timeout: 30_000 }).toBe('offline');
    await expect.poll(() => moderator.connectionStatus(), { timeout: 30_000 }).toBe('offline');
    await wall.page.getByRole('status').getByText(m.wall_reconnecting({}, da)).waitFor();
    const seen = {
      attendee: await attendee.lastSeq('public'),
      moderator: await moderator.lastSeq('staff'),
      wall: await wall.lastSeq('public'),
    };

    // The server comes back on the same port and data. Before the pages can reach it, another
    // phone posts and a second moderator approves, both as plain Node Socket.IO clients.
    await server.restart();
    const otherPhone = await NodeClient.connect(base, { device: await registerDevice(base) });
    const secondModerator = await NodeClient.connect(base, {
      staff: await createModeratorLink(base, talk, 'Ordstyrer 2'),
    });
    try {
      await otherPhone.send('session:join', { sessionId });
      const { post } = await otherPhone.send('post:create', {
        sessionId,
        commandId: commandId(),
        kind: 'question',
        text: SECOND,
      });
      expect(post.status).toBe('pending');
      await secondModerator.send('session:join', { sessionId });
      const approved = await secondModerator.send('post:approve', {
        sessionId,
        commandId: commandId(),
        postId: post.id,
        version: post.version,
      });
      expect(approved.post.status).toBe('visible');
    } finally {
      otherPhone.close();
      secondModerator.close();
    }
    // The pages really were disconnected all this time: nothing new reached them.
    expect(await attendee.connectionStatus()).toBe('offline');
    expect(await attendee.lastSeq('public')).toBe(seen.attendee);
    expect(await moderator.lastSeq('staff')).toBe(seen.moderator);
    expect(await wall.lastSeq('public')).toBe(seen.wall);
    await expect(attendee.roomPost(SECOND).count()).resolves.toBe(0);

    // The network is back: every page reconnects by itself, catches up, and shows the post.
    for (const p of [phone, laptop, projector]) p.state.isCut = false;
    // The phone's list does not jump: the new post waits behind "1 new" until asked for (AP2).
    await attendee.showNewButton(1).click({ timeout: 30_000 });
    await attendee.roomPost(SECOND).waitFor();
    await moderator.card('visible', SECOND).waitFor({ timeout: 30_000 });
    await wall.next.getByText(SECOND).waitFor({ timeout: 30_000 });
    await wall.highlighted.getByText(FIRST).waitFor();
    expect(await attendee.connectionStatus()).toBe('online');

    // Each page holds exactly the server's last sequence number of each of its streams.
    const deviceToken = (await phone.context.cookies()).find((c) => c.name === 'gt_device')?.value;
    expect(deviceToken).toBeTruthy();
    const staffHeads = await streamHeads(base, sessionId, { staff: talk.moderatorToken });
    const deviceHeads = await streamHeads(base, sessionId, { device: deviceToken });
    await expectCaughtUp(attendee, 'public', staffHeads.public);
    await expectCaughtUp(attendee, 'private', deviceHeads.private);
    await expectCaughtUp(moderator, 'public', staffHeads.public);
    await expectCaughtUp(moderator, 'staff', staffHeads.staff);
    await expectCaughtUp(wall, 'public', staffHeads.public);

    await expectAccessible(attendee.page, 'attendee page after the restart');
    await expectAccessible(moderator.page, 'moderator console after the restart');
    await expectAccessible(wall.page, 'wall after the restart');
    // And each at the other size too.
    await attendee.page.setViewportSize(VIEWPORTS.laptop);
    await expectAccessible(attendee.page, 'attendee page (laptop)');
    await moderator.page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(moderator.page, 'moderator console (phone)');
    await wall.page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(wall.page, 'wall (phone)');
  }, 180_000);

  it('every live screen passes axe in English too, at phone and laptop size', async () => {
    const base = server.url;
    const sessionId = talk.session.id;
    const english = async (viewport: { width: number; height: number }) => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      await context.addCookies([{ name: cookieName, value: 'en', url: base }]);
      return context.newPage();
    };

    // The attendee switches with the button at the top of the page (the cookie it sets is
    // what the other screens get directly).
    const attendee = new AttendeePage(
      await (await browser.newContext({ viewport: VIEWPORTS.phone })).newPage(),
    );
    contexts.push(attendee.page.context());
    await attendee.goto(base, sessionId);
    await attendee.switchLanguage('en');
    await attendee.roomPost(SECOND).waitFor();
    await expectAccessible(attendee.page, 'attendee page in English (phone)');
    await attendee.page.setViewportSize(VIEWPORTS.laptop);
    await expectAccessible(attendee.page, 'attendee page in English (laptop)');

    const moderator = new ModeratorPage(await english(VIEWPORTS.laptop), 'en');
    await moderator.goto(talk.moderatorUrl);
    await moderator.show('visible');
    await moderator.card('visible', SECOND).waitFor();
    await expectAccessible(moderator.page, 'moderator console in English (laptop)');
    await moderator.page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(moderator.page, 'moderator console in English (phone)');

    // The wall speaks the session's wall language, not the browser's (SPEC WL7).
    const staff = await NodeClient.connect(base, { staff: talk.moderatorToken });
    try {
      const { session } = await staff.send('session:join', { sessionId });
      await staff.send('session:configure', {
        sessionId,
        commandId: commandId(),
        version: session.version,
        settings: { wallLanguage: 'en' },
      });
    } finally {
      staff.close();
    }
    const wall = new WallPage(await english(WALL), 'en');
    await wall.goto(base, sessionId);
    await wall.highlighted.getByText(FIRST).waitFor();
    await expectAccessible(wall.page, 'wall in English (1920×1080)');
    await wall.page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(wall.page, 'wall in English (phone)');
  }, 120_000);
});
