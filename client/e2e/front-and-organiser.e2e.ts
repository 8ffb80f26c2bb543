// The front page and the organiser's first steps, at phone and laptop size, in Danish and in
// English, with an axe check of every page visited.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { FrontPage, OrganiserPage, VIEWPORTS } from './support/pages.js';
import { ORGANISER } from './support/server.js';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const journeys = (['phone', 'laptop'] as const).flatMap((size) =>
  (['da', 'en'] as const).map((locale) => ({ size, locale })),
);

describeInBrowser('front page and organiser', () => {
  it.each(journeys)(
    'on a $size in $locale: the front page explains and offers the join form; the organiser logs in, creates an event and a talk, and gets its code and QR image',
    async ({ size, locale }: { size: keyof typeof VIEWPORTS; locale: Locale }) => {
      const context = await browser.newContext({ viewport: VIEWPORTS[size] });
      try {
        const page = await context.newPage();
        const front = new FrontPage(page);
        await front.goto(baseUrl);
        // Danish first: no cookie, no URL prefix, and the server-rendered <html lang> says so.
        expect(await front.htmlLang()).toBe('da');
        await expect.poll(() => page.title()).toContain('Gentofte Talks');

        // The language switch is the first thing the keyboard reaches.
        await page.keyboard.press('Tab');
        expect(
          await front.languageSwitch('en').evaluate((button) => button === document.activeElement),
        ).toBe(true);
        await expectAccessible(page);

        if (locale === 'en') {
          await front.switchLanguage('en');
          await front.heading('Ask your question').waitFor();
          expect(await front.languageSwitch('da').isVisible()).toBe(true);
          await expectAccessible(page);
        } else {
          await front.heading('Stil dit spørgsmål').waitFor();
        }
        expect(await front.codeField.getAttribute('inputmode')).toBe('numeric');

        const organiser = new OrganiserPage(page, locale);
        await organiser.goto(baseUrl);
        expect(await organiser.htmlLang()).toBe(locale);
        await organiser.heading(m.login_heading({}, { locale })).waitFor();
        await expectAccessible(page);

        await organiser.logIn(ORGANISER.email, ORGANISER.password);
        await expectAccessible(page);

        const eventTitle = `Kulturnatten ${size} ${locale}`;
        await organiser.createEvent(eventTitle);
        const talkTitle = `Trafik på Strandvejen (${size}, ${locale})`;
        await organiser.createTalk(eventTitle, talkTitle, locale === 'da' ? 'pre' : 'post');
        const talk = await organiser.readCreatedTalk(talkTitle);
        expect(talk.code).toMatch(/^[0-9]{6}$/);
        expect(talk.joinUrl).toBe(`${baseUrl}/j/${talk.code}`);
        expect(await organiser.qrImageSize(talkTitle)).toBeGreaterThan(100);
        // Ready for the next talk: the moderation choice is back on its default.
        expect(
          await page
            .getByRole('radio', { name: m.session_moderation_pre({}, { locale }) })
            .isChecked(),
        ).toBe(true);
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    },
  );
});
