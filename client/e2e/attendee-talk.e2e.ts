// Taking part in the talk itself: reactions and the moderator's pause on them (SPEC SC4), and
// the speaker queue, "I'd rather say it myself" (SPEC Q1-Q5, AP6).
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  commandId,
  createLiveTalk,
  NodeClient,
  registerDevice,
} from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';

const baseUrl = inject('baseUrl');
const da = { locale: 'da' } as const;
let browser: Browser;
let context: BrowserContext;
const clients: NodeClient[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
  for (const client of clients.splice(0)) client.close();
});

describeInBrowser('taking part in the talk', () => {
  it('[SC4] paused reactions are shown on the bar, its buttons rest, and come back', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const moderator = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    clients.push(moderator);
    const configure = async (reactionsPaused: boolean) => {
      const { session } = await moderator.send('session:join', { sessionId });
      await moderator.send('session:configure', {
        sessionId,
        commandId: commandId(),
        version: session.version,
        settings: { reactionsPaused },
      });
    };

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, sessionId);
    const applause = attendee.page.getByRole('button', {
      name: m.attendee_reaction_applause({}, da),
    });
    expect(await applause.isEnabled()).toBe(true);

    await configure(true);
    await attendee.page.getByText(m.attendee_reactions_paused({}, da)).waitFor();
    await expect.poll(() => applause.isDisabled()).toBe(true);
    await expectAccessible(attendee.page, 'attendee page with reactions paused');

    await configure(false);
    await expect.poll(() => applause.isEnabled()).toBe(true);
    await expect(
      attendee.page.getByText(m.attendee_reactions_paused({}, da)).count(),
    ).resolves.toBe(0);
    await applause.click();
    await expect.poll(() => applause.textContent(), { timeout: 15_000 }).toMatch(/1\s*$/);
  });
  it("[SC7] [SC6] the reaction bar follows the session's set of reactions live", async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const moderator = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    clients.push(moderator);
    const offer = async (reactions: string[]) => {
      const { session } = await moderator.send('session:join', { sessionId });
      await moderator.send('session:configure', {
        sessionId,
        commandId: commandId(),
        version: session.version,
        settings: { reactions },
      });
    };

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, sessionId);
    const bar = attendee.page.getByRole('region', { name: m.attendee_reactions_heading({}, da) });
    const names = (reactions: ((inputs: object, options: typeof da) => string)[]) =>
      reactions.map((name) => name({}, da));
    /** The names of the bar's buttons, in order (the count follows the name). */
    const offered = async () =>
      (await bar.getByRole('button').allTextContents()).map((text) =>
        text.replace(/[^\p{L} ]/gu, '').trim(),
      );
    expect(await offered()).toEqual(
      names([
        m.attendee_reaction_applause,
        m.attendee_reaction_heart,
        m.attendee_reaction_agree,
        m.attendee_reaction_disagree,
        m.attendee_reaction_question,
      ]),
    );

    await offer(['laugh', 'heart']);
    await expect
      .poll(offered)
      .toEqual(names([m.attendee_reaction_laugh, m.attendee_reaction_heart]));
    const laugh = bar.getByRole('button', { name: m.attendee_reaction_laugh({}, da) });
    await laugh.click();
    await expect.poll(() => laugh.textContent(), { timeout: 15_000 }).toMatch(/1\s*$/);
    await expectAccessible(attendee.page, 'attendee page with another set of reactions');

    // No reactions at all: the bar leaves the page.
    await offer([]);
    await expect.poll(() => bar.count()).toBe(0);
  });

  it('[Q1][Q2][AP6] a phone takes a number, sees its place, is told when next, and gives it up', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const moderator = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    clients.push(moderator);
    await moderator.send('session:join', { sessionId });
    const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    clients.push(other);
    await other.send('session:join', { sessionId });
    const first = await other.send('mic:request', { sessionId, commandId: commandId() });
    expect(first.ticket.number).toBe(1);

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    // Record the buzzes (headless Chromium has no motor).
    await context.addInitScript(() => {
      const buzzes: unknown[] = [];
      (window as unknown as { buzzes: unknown[] }).buzzes = buzzes;
      navigator.vibrate = (pattern: VibratePattern) => {
        buzzes.push(pattern);
        return true;
      };
    });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, sessionId);
    const queue = attendee.page.getByRole('region', { name: m.attendee_mic_heading({}, da) });
    await queue.getByText(m.attendee_mic_waiting({ count: 1 }, da)).waitFor();
    await expectAccessible(attendee.page, 'attendee page with the speaker queue');

    await queue.getByRole('button', { name: m.attendee_mic_request({}, da) }).click();
    await queue.getByText(m.attendee_mic_your_number({ number: 2 }, da)).waitFor();
    await queue.getByText(m.attendee_mic_position({ position: 2 }, da)).waitFor();
    const waiting = async () =>
      (await moderator.send('session:join', { sessionId })).streams.public.queue?.waiting;
    expect(await waiting()).toBe(2);

    // The first speaker goes to the microphone: this phone is next, and is told so at once.
    await moderator.send('mic:call-next', { sessionId, commandId: commandId() });
    const call = attendee.page.locator('[aria-live="assertive"]', {
      hasText: m.attendee_mic_next({}, da),
    });
    await call.waitFor();
    await expect
      .poll(() => attendee.page.evaluate(() => (window as unknown as { buzzes: unknown[] }).buzzes))
      .toHaveLength(1);
    await queue.getByText(m.attendee_mic_now({ number: 1 }, da)).waitFor();
    await expectAccessible(attendee.page, 'attendee page, next at the microphone');

    // Giving it up: the line is shorter, and the phone may take a new number.
    await queue.getByRole('button', { name: m.attendee_mic_cancel({}, da) }).click();
    await queue.getByRole('button', { name: m.attendee_mic_request({}, da) }).waitFor();
    await expect.poll(waiting).toBe(0);
    expect(await call.count()).toBe(0);
  });
});
