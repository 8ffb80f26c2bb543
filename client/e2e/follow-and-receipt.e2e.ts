// The attendee's whole evening at phone size, in Danish and in English: join by code, post,
// upvote another post, react, follow a topic with consent, open the receipt link on a second
// device and withdraw there. Axe checks every page visited.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';
import { arrangeTalk, spaced } from './support/api.js';
import type { ArrangedTalk } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { AttendeePage, NodeClient, commandId, registerDevice } from './support/live-pages.js';
import { FrontPage, VIEWPORTS } from './support/pages.js';
import { ReceiptPage, TopicsPage, createTopic } from './support/receipt-pages.js';
import { decodeQrFromScreenshot } from './support/wall.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
});

async function phone(locale: Locale): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS.phone });
  contexts.push(context);
  if (locale !== 'da')
    await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseUrl }]);
  return context.newPage();
}

/** Another phone in the room posts through its own socket. */
async function anotherPhonePosts(sessionId: string, text: string): Promise<void> {
  const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
  try {
    await other.send('post:create', { sessionId, commandId: commandId(), kind: 'idea', text });
  } finally {
    other.close();
  }
}

/** The talk's moderator acts on a post, found by its text, through a socket of its own. */
async function moderate(
  talk: ArrangedTalk,
  text: string,
  action: 'post:highlight' | 'post:hide' | 'post:approve' | 'post:answer',
  extra: { reason?: string } = {},
): Promise<void> {
  const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
  try {
    const joined = await staff.send('session:join', { sessionId: talk.session.id });
    const post = joined.streams.staff?.posts.find((p) => p.text === text);
    if (!post) throw new Error(`no post "${text}" in the staff snapshot`);
    await staff.send(action, {
      sessionId: talk.session.id,
      commandId: commandId(),
      postId: post.id,
      version: post.version,
      ...extra,
    });
  } finally {
    staff.close();
  }
}

/** Press Tab until this control has the focus (as a keyboard user would), at most 80 times. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  const handle = await target.elementHandle();
  for (let presses = 0; presses < 80; presses += 1) {
    if (await page.evaluate((el) => el === document.activeElement, handle)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** At 320 px nothing may scroll sideways (WCAG 1.4.10); back to the phone's size after. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  const widths = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(widths[0], `page width at 320 px on ${new URL(page.url()).pathname}`).toBe(widths[1]);
  await page.setViewportSize(VIEWPORTS.phone);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TEXTS = {
  da: {
    topic: 'Cykelstier i Gentofte',
    mine: 'Hvornår bliver cykelstien på Bernstorffsvej færdig?',
    other: 'Flere bænke ved stranden i Hellerup',
    legalBasis: 'artikel 6, stk. 1, litra a',
    reason: 'Er allerede besvaret i aften',
  },
  en: {
    topic: 'Cycle paths in Gentofte',
    mine: 'When will the cycle path on Bernstorffsvej be finished?',
    other: 'More benches by the beach in Hellerup',
    legalBasis: 'article 6(1)(a)',
    reason: 'Already answered this evening',
  },
} as const;

describeInBrowser('following a topic and the receipt', () => {
  it.each(['da', 'en'] as const)(
    '[F2] [F5] [F6] [F7] in %s at phone size: join by code, post, upvote, react, follow with consent, open the receipt on a second device and withdraw',
    async (locale) => {
      const t = { locale };
      const texts = TEXTS[locale];
      const talk = await arrangeTalk(baseUrl, { title: 'Trafik og byliv', moderation: 'post' });
      await createTopic(baseUrl, talk, { title: texts.topic, retentionDays: 90 });
      await anotherPhonePosts(talk.session.id, texts.other);

      // Join by code, in the person's language.
      const page = await phone(locale);
      const front = new FrontPage(page, locale);
      await front.goto(baseUrl);
      expect(await front.htmlLang()).toBe(locale);
      await expectAccessible(page, `front page (${locale})`);
      await front.join(spaced(talk.session.joinCode));
      await page.waitForURL(`${baseUrl}/s/${talk.session.id}`);

      // Post, upvote another post, react.
      const attendee = new AttendeePage(page, locale);
      await attendee.hydrated();
      await attendee.post(texts.mine);
      await attendee.myPost(texts.mine).getByText(m.attendee_status_visible({}, t)).waitFor();
      await attendee.upvoteButton(texts.other).click();
      await expect
        .poll(() => attendee.upvoteButton(texts.other).getAttribute('aria-pressed'))
        .toBe('true');
      const applause = page.getByRole('button', {
        name: new RegExp(`^${escape(m.attendee_reaction_applause({}, t))}`),
      });
      await applause.click();
      await expect.poll(() => applause.textContent(), { timeout: 10_000 }).toMatch(/1\s*$/);
      await expectAccessible(page, `attendee page after post, upvote and reaction (${locale})`);

      // Follow the topic: the consent box starts unticked and says who, why, on which basis
      // and until when.
      await page.getByRole('link', { name: m.attendee_link_topics({}, t) }).click();
      await page.waitForURL(`${baseUrl}/s/${talk.session.id}/topics`);
      const topics = new TopicsPage(page, locale);
      await topics.hydrated();
      const consent = topics.consentBox(texts.topic);
      expect(await consent.isChecked()).toBe(false);
      const consentText = await topics
        .topic(texts.topic)
        .locator('label:has(input[type=checkbox])')
        .innerText();
      for (const part of [
        'Mette Holm, sparringsagent',
        'Gentofte Kommune',
        texts.topic,
        texts.legalBasis,
      ])
        expect(consentText).toContain(part);
      // The deletion date: the topic keeps sign-ups 90 days.
      const deleteBy = new Intl.DateTimeFormat(locale === 'da' ? 'da-DK' : 'en-GB', {
        dateStyle: 'long',
        timeZone: 'Europe/Copenhagen',
      }).format(Date.now() + 90 * 86_400_000);
      expect(consentText).toContain(deleteBy);
      await expectAccessible(page, `topics page (${locale})`);

      // Without the tick nothing is saved; the message sits next to the box, the typing stays.
      await topics.fill(texts.topic, {
        name: 'Karoline Skovgaard',
        email: 'karoline@example.dk',
        age: 'self',
      });
      await topics.submitButton(texts.topic).click();
      const consentError = topics.topic(texts.topic).getByText(m.topics_error_consent({}, t));
      await consentError.waitFor();
      expect(await topics.field(texts.topic, 'name').inputValue()).toBe('Karoline Skovgaard');
      expect(await topics.field(texts.topic, 'email').inputValue()).toBe('karoline@example.dk');
      expect((await consent.getAttribute('aria-describedby'))?.split(' ')).toContain(
        await consentError.getAttribute('id'),
      );
      await expectAccessible(page, `topics page with a refusal (${locale})`);
      await expectNoSidewaysScroll(page);

      await consent.check();
      await topics.submitButton(texts.topic).click();
      await topics.followed(texts.topic);

      // The receipt on this phone: the post's status, the follow-up, the personal link and QR.
      await topics.receiptLink.click();
      await page.waitForURL(`${baseUrl}/receipt`);
      const receipt = new ReceiptPage(page, locale);
      await receipt.hydrated();
      await receipt.post(texts.mine).getByText(m.attendee_status_visible({}, t)).waitFor();
      // Recognisable, not usable: the page never carries the whole address.
      await receipt.followUp(texts.topic).getByText('k•••@example.dk').waitFor();
      expect(await page.content()).not.toContain('karoline@example.dk');
      await receipt.qrCode.waitFor();
      const link = (await receipt.personalLink.textContent()) ?? '';
      expect(link).toMatch(new RegExp(`^${escape(baseUrl)}/r/[\\w-]+\\.[\\w-]+$`));
      // The QR code a phone camera reads is that same link.
      await receipt.qrCode.scrollIntoViewIfNeeded();
      expect(await decodeQrFromScreenshot(page)).toBe(link);
      await expectAccessible(page, `receipt (${locale})`);
      await expectNoSidewaysScroll(page);

      // A second device opens the link: the token becomes an HttpOnly cookie and leaves the URL.
      const other = await phone(locale);
      await other.goto(link);
      await other.waitForURL(`${baseUrl}/receipt`);
      const cookie = (await other.context().cookies()).find((c) => c.name === 'gt_receipt');
      expect(cookie).toMatchObject({ httpOnly: true, path: '/receipt' });
      const elsewhere = new ReceiptPage(other, locale);
      await elsewhere.hydrated();
      await elsewhere.post(texts.mine).getByText(m.attendee_status_visible({}, t)).waitFor();
      await expectAccessible(other, `receipt opened from the link (${locale})`);

      // What the moderator does shows on the receipt: on the wall, then hidden with the reason.
      await moderate(talk, texts.mine, 'post:highlight');
      await other.reload();
      await elsewhere.post(texts.mine).getByText(m.attendee_status_on_wall({}, t)).waitFor();
      await moderate(talk, texts.mine, 'post:hide', { reason: texts.reason });
      await other.reload();
      await elsewhere
        .post(texts.mine)
        .getByText(m.attendee_status_hidden_reason({ reason: texts.reason }, t))
        .waitFor();

      // One tap withdraws; the contact details are gone, on both devices.
      await elsewhere.withdrawButton(texts.topic).click();
      await other.getByRole('status').getByText(m.receipt_withdrawn_notice({}, t)).waitFor();
      const withdrawn = new RegExp(
        escape(m.receipt_withdrawn({ date: '§' }, t)).replace('§', '.+'),
      );
      await elsewhere.followUp(texts.topic).getByText(withdrawn).waitFor();
      expect(await elsewhere.followUps.getByText('k•••@example.dk').count()).toBe(0);
      await expectAccessible(other, `receipt after withdrawal (${locale})`);

      await page.reload();
      await receipt.followUp(texts.topic).getByText(withdrawn).waitFor();
      expect(await receipt.followUps.getByText('k•••@example.dk').count()).toBe(0);
    },
  );

  it.each(['da', 'en'] as const)(
    '[F7] [P2] in %s, the receipt says a pre-moderated post awaits moderation, then that it was answered',
    async (locale) => {
      const t = { locale };
      const talk = await arrangeTalk(baseUrl, { moderation: 'pre' });
      const text =
        locale === 'da'
          ? 'Hvornår åbner den nye svømmehal i Gentofte?'
          : 'When does the new swimming pool in Gentofte open?';
      const page = await phone(locale);
      const attendee = new AttendeePage(page, locale);
      await attendee.goto(baseUrl, talk.session.id);
      await attendee.post(text);
      await attendee.myPost(text).getByText(m.attendee_status_pending({}, t)).waitFor();

      await page.goto(`${baseUrl}/receipt`);
      const receipt = new ReceiptPage(page, locale);
      await receipt.hydrated();
      await receipt.post(text).getByText(m.attendee_status_pending({}, t)).waitFor();
      await expectAccessible(page, `receipt with a post awaiting moderation (${locale})`);

      await moderate(talk, text, 'post:approve');
      await moderate(talk, text, 'post:answer');
      await page.reload();
      await receipt.hydrated();
      await receipt.post(text).getByText(m.attendee_status_answered({}, t)).waitFor();
      expect(await receipt.post(text).getByText(m.attendee_status_pending({}, t)).count()).toBe(0);
      await expectAccessible(page, `receipt with an answered post (${locale})`);
    },
  );

  it('[F6] [F7] with the keyboard only, at laptop size: follow a topic from the talk and withdraw on the receipt', async () => {
    const t = { locale: 'da' } as const;
    const talk = await arrangeTalk(baseUrl, { title: 'Ældre og fællesskab', moderation: 'post' });
    const title = 'Seniorbofællesskaber';
    await createTopic(baseUrl, talk, { title, contactName: 'Ole Berg' });
    const context = await browser.newContext({ viewport: VIEWPORTS.laptop });
    contexts.push(context);
    const page = await context.newPage();
    const attendee = new AttendeePage(page);
    await attendee.goto(baseUrl, talk.session.id);

    await tabTo(page, page.getByRole('link', { name: m.attendee_link_topics({}, t) }));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/s/${talk.session.id}/topics`);
    const topics = new TopicsPage(page);
    await topics.hydrated();
    await expectAccessible(page, 'topics page at laptop size');

    await tabTo(page, topics.field(title, 'name'));
    await page.keyboard.type('Birthe Mortensen');
    await tabTo(page, topics.field(title, 'phone'));
    await page.keyboard.type('+45 40 50 60 70');
    await tabTo(page, topics.ageChoice(title, 'self'));
    await page.keyboard.press('Space');
    await tabTo(page, topics.submitButton(title));
    await page.keyboard.press('Enter');
    // Refused without consent: the focus goes to the box that needs attention.
    await topics.topic(title).getByText(m.topics_error_consent({}, t)).waitFor();
    await expect
      .poll(() => topics.consentBox(title).evaluate((el) => el === document.activeElement))
      .toBe(true);
    await page.keyboard.press('Space');
    await tabTo(page, topics.submitButton(title));
    await page.keyboard.press('Enter');
    await topics.followed(title);

    await tabTo(page, topics.receiptLink);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/receipt`);
    const receipt = new ReceiptPage(page);
    await receipt.hydrated();
    await receipt.followUp(title).getByText('+45 ••• 70').waitFor();
    await expectAccessible(page, 'receipt at laptop size');
    await tabTo(page, receipt.withdrawButton(title));
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(m.receipt_withdrawn_notice({}, t)).waitFor();
    expect(await receipt.followUps.getByText('+45 ••• 70').count()).toBe(0);
  });

  it('[F7] a tampered receipt link opens nothing and leaves no cookie; "forget" drops a working one', async () => {
    const t = { locale: 'da' } as const;
    const talk = await arrangeTalk(baseUrl, { moderation: 'post' });
    const device = await registerDevice(baseUrl);
    const author = await NodeClient.connect(baseUrl, { device });
    const text = 'Hvem passer træerne i Bernstorffsparken?';
    await author.send('post:create', {
      sessionId: talk.session.id,
      commandId: commandId(),
      kind: 'question',
      text,
    });
    const { path } = await author.send('receipt:link', {});
    author.close();

    const page = await phone('da');
    const [body, mac] = path.slice('/r/'.length).split('.') as [string, string];
    const forged = `${body}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    await page.goto(`${baseUrl}/r/${forged}`);
    await page.waitForURL(`${baseUrl}/receipt?link=invalid`);
    await page.getByRole('alert').getByText(m.receipt_invalid_link({}, t)).waitFor();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('gt_receipt');
    const receipt = new ReceiptPage(page);
    expect(await receipt.post(text).count()).toBe(0);
    await expectAccessible(page, 'receipt after a tampered link');

    await page.goto(`${baseUrl}${path}`);
    await page.waitForURL(`${baseUrl}/receipt`);
    await receipt.hydrated();
    await receipt.post(text).waitFor();
    await page.getByRole('button', { name: m.receipt_forget({}, t) }).click();
    await page.getByText(m.receipt_posts_empty({}, t)).waitFor();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('gt_receipt');
  });
});
