// The front page and the organiser's first steps, at phone and laptop size, in Danish and in
// English, with an axe check of every page visited.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';
import type { Result, SessionWire } from '@gt/protocol';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { AttendeePage, NodeClient, commandId, registerDevice } from './support/live-pages.js';
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

  it('[SC8] [V2] [AP1] the organiser sets a talk’s defaults at creation, with and without JavaScript: a talk with hidden votes shows a phone no counts, and only the chosen reactions', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.laptop });
    const noScript = await browser.newContext({
      viewport: VIEWPORTS.laptop,
      javaScriptEnabled: false,
    });
    try {
      const organiser = new OrganiserPage(await context.newPage());
      await organiser.goto(baseUrl);
      await organiser.logIn(ORGANISER.email, ORGANISER.password);
      const eventTitle = 'Borgermøde om skoledistrikter';
      await organiser.createEvent(eventTitle);
      const hidden = 'Skolevej uden stemmetal';
      await organiser.createTalk(eventTitle, hidden, 'post', {
        hideVotes: true,
        reactions: ['heart', 'laugh'],
      });
      const hiddenTalk = await organiser.readCreatedTalk(hidden);
      await expectAccessible(organiser.page, 'organiser page with the talk defaults');
      const shown = 'Skolevej med stemmetal';
      await organiser.createTalk(eventTitle, shown, 'post');
      const shownTalk = await organiser.readCreatedTalk(shown);

      // Without JavaScript the same form sets the same defaults.
      const plain = new OrganiserPage(await noScript.newPage());
      await plain.goto(baseUrl, { isJavaScriptEnabled: false });
      await plain.logIn(ORGANISER.email, ORGANISER.password);
      const plainTitle = 'Skolevej uden script';
      await plain.createTalk(eventTitle, plainTitle, 'pre', {
        hideVotes: true,
        reactions: ['agree', 'disagree', 'question'],
      });
      const plainTalk = await plain.readCreatedTalk(plainTitle);
      await expectAccessibleWithoutScripts(plain.page, browser);

      const settingsOf = async (code: string) => {
        const result = (await (
          await fetch(`${baseUrl}/api/sessions/by-code/${code}`)
        ).json()) as Result<SessionWire>;
        if (!result.ok) throw new Error(result.error.message);
        return result.data;
      };
      const sessions = {
        hidden: await settingsOf(hiddenTalk.code),
        shown: await settingsOf(shownTalk.code),
        plain: await settingsOf(plainTalk.code),
      };
      expect(sessions.hidden.settings).toMatchObject({
        moderation: 'post',
        hideVotes: true,
        reactions: ['heart', 'laugh'],
      });
      expect(sessions.shown.settings).toMatchObject({
        hideVotes: false,
        reactions: ['applause', 'heart', 'agree', 'disagree', 'question'],
      });
      expect(sessions.plain.settings).toMatchObject({
        moderation: 'pre',
        hideVotes: true,
        reactions: ['agree', 'disagree', 'question'],
      });

      // Another phone asks in both talks and upvotes its question.
      const text = 'Hvorfor skal børnene fra Vangede gå over Vangedevej?';
      const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
      try {
        for (const session of [sessions.hidden, sessions.shown]) {
          const { post } = await other.send('post:create', {
            sessionId: session.id,
            commandId: commandId(),
            kind: 'question',
            text,
          });
          await other.send('post:upvote', {
            sessionId: session.id,
            commandId: commandId(),
            postId: post.id,
            isOn: true,
          });
        }
      } finally {
        other.close();
      }

      const phone = new AttendeePage(await context.newPage());
      await phone.page.setViewportSize(VIEWPORTS.phone);
      const oneVote = m.attendee_votes_one({}, { locale: 'da' });
      // The talk with the usual defaults shows the count (so its absence below means something).
      await phone.goto(baseUrl, sessions.shown.id);
      await phone.roomPost(text).getByText(oneVote).waitFor();
      expect(await phone.orderButton('top').count()).toBe(1);

      await phone.goto(baseUrl, sessions.hidden.id);
      await phone.roomPost(text).waitFor();
      await phone.upvoteButton(text).click();
      await expect.poll(() => phone.upvoteButton(text).getAttribute('aria-pressed')).toBe('true');
      expect(
        await phone
          .roomPost(text)
          .getByText(/stemme/)
          .count(),
      ).toBe(0);
      expect(await phone.orderButton('top').count()).toBe(0);
      const reactions = phone.page.getByRole('region', {
        name: m.attendee_reactions_heading({}, { locale: 'da' }),
      });
      expect(await reactions.getByRole('button').allInnerTexts()).toEqual([
        expect.stringContaining(m.attendee_reaction_heart({}, { locale: 'da' })),
        expect.stringContaining(m.attendee_reaction_laugh({}, { locale: 'da' })),
      ]);
      await expectAccessible(phone.page, 'phone in a talk with hidden votes');
    } finally {
      await context.close();
      await noScript.close();
    }
  }, 120_000);
});
