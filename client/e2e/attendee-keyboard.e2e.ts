// The attendee's pages for everyone: the whole journey with the keyboard only at phone size
// (join by code, post, upvote, react), and on the attendee page, the front page, the topics
// page and the receipt: axe in Danish and English at phone and laptop size, no sideways
// scrolling at 320 px or at 200% zoom, and every target at least 44×44 px.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { CONSENT_VERSION } from '@gt/core';
import { m } from '@gt/i18n';
import { cookieName } from '@gt/i18n/runtime';
import { createLiveTalk } from './support/live-pages.js';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { AttendeePage, commandId, NodeClient, registerDevice } from './support/live-pages.js';
import { FrontPage, VIEWPORTS } from './support/pages.js';
import { ReceiptPage, TopicsPage, createTopic } from './support/receipt-pages.js';

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

const isFocused = (locator: Locator) =>
  locator.evaluate((element) => element === document.activeElement);

/** Press Tab until `target` has the focus (a keyboard user's way there), at most `max` times. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    if (await isFocused(target)) break;
    await page.keyboard.press('Tab');
  }
  expect(await isFocused(target), 'reachable with Tab').toBe(true);
  // The focus can be seen: an outline or a box shadow drawn by the focus style.
  const style = await target.evaluate((element) => {
    const css = getComputedStyle(element);
    return { outline: css.outlineStyle, width: css.outlineWidth, shadow: css.boxShadow };
  });
  expect(
    (style.outline !== 'none' && style.width !== '0px') || style.shadow !== 'none',
    'the focus is visible',
  ).toBe(true);
}

/** A talk with a post from another phone in it. */
async function talkWithAPost(text: string) {
  const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
  const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
  clients.push(other);
  await other.send('session:join', { sessionId: talk.session.id });
  await other.send('post:create', {
    sessionId: talk.session.id,
    commandId: commandId(),
    kind: 'question',
    text,
  });
  return talk;
}

/** Sideways scrolling: the page is wider than the window. */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** Visible controls smaller than 44×44 CSS px (a radio counts by its whole label). */
const smallTargets = (page: Page) =>
  page.evaluate(() => {
    const selector = [
      'button',
      'a[href]',
      'input:not([type=hidden]):not([type=radio]):not([type=checkbox])',
      'textarea',
      'select',
      'label:has(> input[type=radio])',
      'label:has(> input[type=checkbox])',
    ].join(',');
    return Array.from(document.querySelectorAll<HTMLElement>(selector))
      .filter((element) => {
        const box = element.getBoundingClientRect();
        // Not shown (the skip link until focused, a visually hidden one): not a target.
        if (box.width <= 1 || box.height <= 1) return false;
        if (getComputedStyle(element).visibility === 'hidden') return false;
        return box.width < 44 || box.height < 44;
      })
      .map((element) => {
        const box = element.getBoundingClientRect();
        return `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`;
      });
  });

describeInBrowser('the attendee page for everyone', () => {
  it('[AP4] [F6] [F7] one keyboard-only journey at phone size: join by code, post, upvote, react, follow with consent, open the receipt on a second phone and withdraw', async () => {
    const theirs = 'Kan der komme flere bænke langs Øresundsstien?';
    const talk = await talkWithAPost(theirs);
    const title = 'Grønne områder i Gentofte';
    await createTopic(baseUrl, talk, { title, contactName: 'Ole Berg' });
    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await context.newPage();
    const front = new FrontPage(page);
    await front.goto(baseUrl);

    // Join by code.
    await tabTo(page, front.codeField);
    await page.keyboard.type(talk.session.joinCode.replace(/^(\d{3})/, '$1 '));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/s/${talk.session.id}`);
    const attendee = new AttendeePage(page);
    await attendee.hydrated();

    // Post.
    await tabTo(page, attendee.textField);
    const mine = 'Hvornår kommer der toiletter ved Bellevue Strand?';
    await page.keyboard.type(mine);
    await tabTo(page, attendee.sendButton);
    await page.keyboard.press('Enter');
    await attendee.myPost(mine).getByText(m.attendee_status_visible({}, da)).waitFor();
    expect(await attendee.textField.inputValue()).toBe('');

    // Upvote another post, react.
    const upvote = attendee.upvoteButton(theirs);
    await tabTo(page, upvote);
    await page.keyboard.press('Space');
    await expect.poll(() => upvote.getAttribute('aria-pressed')).toBe('true');
    await attendee.roomPost(theirs).getByText(m.attendee_votes_one({}, da)).waitFor();
    const applause = page.getByRole('button', { name: m.attendee_reaction_applause({}, da) });
    await tabTo(page, applause);
    await page.keyboard.press('Enter');
    await expect.poll(() => applause.textContent(), { timeout: 15_000 }).toMatch(/1\s*$/);
    await expectAccessible(page, 'attendee page after a keyboard journey');

    // Follow the topic, with consent.
    await tabTo(page, page.getByRole('link', { name: m.attendee_link_topics({}, da) }), 80);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/s/${talk.session.id}/topics`);
    const topics = new TopicsPage(page);
    await topics.hydrated();
    await tabTo(page, topics.field(title, 'name'));
    await page.keyboard.type('Birthe Mortensen');
    await tabTo(page, topics.field(title, 'email'));
    await page.keyboard.type('birthe@example.dk');
    await tabTo(page, topics.ageChoice(title, 'self'));
    await page.keyboard.press('Space');
    await tabTo(page, topics.consentBox(title));
    await page.keyboard.press('Space');
    expect(await topics.consentBox(title).isChecked()).toBe(true);
    await tabTo(page, topics.submitButton(title));
    await page.keyboard.press('Enter');
    await topics.followed(title);

    // The receipt, and its personal link.
    await tabTo(page, topics.receiptLink);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/receipt`);
    const receipt = new ReceiptPage(page);
    await receipt.hydrated();
    await receipt.post(mine).waitFor();
    await receipt.followUp(title).getByText('b•••@example.dk').waitFor();
    const link = (await receipt.personalLink.textContent()) ?? '';
    expect(link).toMatch(/\/r\/[\w-]+\.[\w-]+$/);

    // A second phone opens the link (scanned or typed) and withdraws, by keyboard.
    const second = await browser.newContext({ viewport: VIEWPORTS.phone });
    try {
      const other = await second.newPage();
      await other.goto(link);
      await other.waitForURL(`${baseUrl}/receipt`);
      const elsewhere = new ReceiptPage(other);
      await elsewhere.hydrated();
      await elsewhere.post(mine).waitFor();
      await tabTo(other, elsewhere.withdrawButton(title), 80);
      await other.keyboard.press('Enter');
      await other.getByRole('status').getByText(m.receipt_withdrawn_notice({}, da)).waitFor();
      expect(await elsewhere.followUps.getByText('b•••@example.dk').count()).toBe(0);
      await expectAccessible(other, 'receipt on a second phone after withdrawing');
    } finally {
      await second.close();
    }

    // The first phone sees it withdrawn too.
    await page.reload();
    await receipt.hydrated();
    expect(await receipt.followUps.getByText('b•••@example.dk').count()).toBe(0);
    await expectAccessible(page, 'receipt after withdrawing elsewhere');
  }, 120_000);

  it('[AP4] passes axe in Danish and English at phone and laptop size, with no sideways scrolling and big targets', async () => {
    const theirs =
      'Hvorfor tager det så lang tid at få svar fra kommunen på en ansøgning om byggetilladelse til en carport?';
    const talk = await talkWithAPost(theirs);
    for (const locale of ['da', 'en'] as const) {
      context = await browser.newContext({ viewport: VIEWPORTS.phone });
      await context.addCookies([{ name: cookieName, value: locale, url: baseUrl }]);
      const attendee = new AttendeePage(await context.newPage(), locale);
      await attendee.goto(baseUrl, talk.session.id);
      await attendee.roomPost(theirs).waitFor();
      // A long word must wrap, not widen the page.
      await attendee.textField.fill(`Vejvedligeholdelsesbudgetforhandlingerne ${theirs}`);
      for (const [name, size] of Object.entries({
        phone: VIEWPORTS.phone,
        laptop: VIEWPORTS.laptop,
        narrow: { width: 320, height: 640 },
      })) {
        await attendee.page.setViewportSize(size);
        await expectAccessible(attendee.page, `attendee page, ${locale}, ${name}`);
        expect(await scrollsSideways(attendee.page), `${locale} ${name}: sideways scroll`).toBe(
          false,
        );
        expect(await smallTargets(attendee.page), `${locale} ${name}: small targets`).toEqual([]);
      }
      await context.close();

      // 200% zoom on a laptop: the same page in half the CSS pixels, drawn twice as large.
      context = await browser.newContext({
        viewport: { width: VIEWPORTS.laptop.width / 2, height: VIEWPORTS.laptop.height / 2 },
        deviceScaleFactor: 2,
      });
      await context.addCookies([{ name: cookieName, value: locale, url: baseUrl }]);
      const zoomed = new AttendeePage(await context.newPage(), locale);
      await zoomed.goto(baseUrl, talk.session.id);
      await zoomed.roomPost(theirs).waitFor();
      expect(await scrollsSideways(zoomed.page), `${locale} 200%: sideways scroll`).toBe(false);
      await context.close();
    }
  }, 120_000);

  it('[AP4] the front page, the topics page and the receipt pass axe in Danish and English at phone and laptop size, with no sideways scrolling and big targets', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    // Long Danish words and a long description: they must wrap, not widen the page.
    const title = 'Trafiksikkerhedsforanstaltningerne omkring Gentofte Rådhus og Bernstorffsparken';
    const topic = await createTopic(baseUrl, talk, { title });
    const mine =
      'Hvornår bliver fodgængerovergangen ved Gentoftegade gjort sikrere for skolebørnene?';

    /** A phone in this language whose device has a post and a follow-up: the receipt has both. */
    async function personIn(locale: 'da' | 'en', viewport: { width: number; height: number }) {
      const options =
        viewport.width === VIEWPORTS.laptop.width / 2
          ? { viewport, deviceScaleFactor: 2 }
          : { viewport };
      context = await browser.newContext(options);
      await context.addCookies([{ name: cookieName, value: locale, url: baseUrl }]);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/`);
      const device = (await context.cookies()).find((c) => c.name === 'gt_device')?.value;
      if (!device) throw new Error('the front page issued no device');
      const phone = await NodeClient.connect(baseUrl, { device });
      clients.push(phone);
      await phone.send('post:create', {
        sessionId,
        commandId: commandId(),
        kind: 'question',
        text: mine,
      });
      await phone.send('followup:create', {
        sessionId,
        commandId: commandId(),
        topicId: topic.id,
        name: 'Marie-Louise Vestergaard-Christiansen',
        email: 'marie-louise.vestergaard-christiansen@eksempel-forening.dk',
        phone: '+45 40 50 60 70',
        hasConsented: true,
        ageBasis: 'self_13_or_older',
        consentVersion: CONSENT_VERSION,
      });
      return page;
    }

    /** Each page, in the order a person meets them; `ready` waits for its content. */
    const pages = (page: Page, locale: 'da' | 'en') => [
      {
        name: 'front page',
        open: async () => {
          await new FrontPage(page, locale).goto(baseUrl);
        },
      },
      {
        name: 'topics page',
        open: async () => {
          const topics = new TopicsPage(page, locale);
          await topics.goto(baseUrl, sessionId);
          await topics.topic(title).waitFor();
        },
      },
      {
        name: 'receipt',
        open: async () => {
          await page.goto(`${baseUrl}/receipt`);
          const receipt = new ReceiptPage(page, locale);
          await receipt.hydrated();
          await receipt.post(mine).waitFor();
          await receipt.withdrawButton(title).waitFor();
          await receipt.qrCode.waitFor();
        },
      },
    ];

    for (const locale of ['da', 'en'] as const) {
      const page = await personIn(locale, VIEWPORTS.phone);
      for (const { name, open } of pages(page, locale)) {
        await page.setViewportSize(VIEWPORTS.phone);
        await open();
        for (const [size, viewport] of Object.entries({
          phone: VIEWPORTS.phone,
          laptop: VIEWPORTS.laptop,
          narrow: { width: 320, height: 640 },
        })) {
          await page.setViewportSize(viewport);
          await expectAccessible(page, `${name}, ${locale}, ${size}`);
          expect(await scrollsSideways(page), `${name} ${locale} ${size}: sideways scroll`).toBe(
            false,
          );
          expect(await smallTargets(page), `${name} ${locale} ${size}: small targets`).toEqual([]);
        }
      }
      await context.close();

      // 200% zoom on a laptop: the same pages in half the CSS pixels, drawn twice as large.
      const zoomed = await personIn(locale, {
        width: VIEWPORTS.laptop.width / 2,
        height: VIEWPORTS.laptop.height / 2,
      });
      for (const { name, open } of pages(zoomed, locale)) {
        await open();
        expect(await scrollsSideways(zoomed), `${name} ${locale} 200%: sideways scroll`).toBe(
          false,
        );
      }
      await context.close();
    }
  }, 180_000);
});
