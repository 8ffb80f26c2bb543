// Taking part in the talk itself: reactions, and the moderator's pause on them (SPEC SC4).
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { AttendeePage, commandId, createLiveTalk, NodeClient } from './support/live-pages.js';
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
});
