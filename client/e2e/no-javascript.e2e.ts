// Without JavaScript everything on these screens still works as plain HTML forms, through
// adapter-node inside Express on plain http (ORIGIN from PUBLIC_URL: no 403).
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessibleWithoutScripts } from './support/axe.js';
import { arrangeTalk, createTalk, spaced, unusedCode } from './support/api.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  NodeClient,
  commandId,
  registerDevice,
  storedVote,
} from './support/live-pages.js';
import { FrontPage, OrganiserPage, VIEWPORTS } from './support/pages.js';
import { ReceiptPage, TopicsPage, createTopic } from './support/receipt-pages.js';
import { ORGANISER } from './support/server.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let statuses: number[];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
});

async function noScriptPage(viewport: (typeof VIEWPORTS)[keyof typeof VIEWPORTS]) {
  context = await browser.newContext({ viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  statuses = [];
  page.on('response', (response: Response) => {
    if (response.request().method() === 'POST') statuses.push(response.status());
  });
  return page;
}

describeInBrowser('without JavaScript', () => {
  it('the join form opens the talk, and explains a wrong code keeping the text', async () => {
    const talk = await createTalk(baseUrl);
    const front = new FrontPage(await noScriptPage(VIEWPORTS.phone));
    await front.goto(baseUrl, { isJavaScriptEnabled: false });
    expect(await front.page.locator('body').getAttribute('data-hydrated')).toBeNull();

    const unknown = spaced(await unusedCode(baseUrl));
    await front.join(unknown);
    await front.notFoundError(unknown).waitFor();
    expect(await front.codeField.inputValue()).toBe(unknown);
    await expectAccessibleWithoutScripts(front.page, browser);

    await front.join(spaced(talk.joinCode));
    await front.page.waitForURL(`${baseUrl}/s/${talk.id}`);
    expect(statuses).not.toContain(403);
    expect(statuses).toHaveLength(2);
  });

  it('the language switch works, and the organiser logs in and creates an event', async () => {
    const organiser = new OrganiserPage(await noScriptPage(VIEWPORTS.laptop));
    await organiser.goto(baseUrl, { isJavaScriptEnabled: false });
    await organiser.switchLanguage('en', { isJavaScriptEnabled: false });
    expect(new URL(organiser.page.url()).pathname).toBe('/organiser');
    await organiser.heading(m.login_heading({}, { locale: 'en' })).waitFor();

    await organiser.logIn(ORGANISER.email, ORGANISER.password);
    await organiser.createEvent('Borgermøde om skolerne');
    await expectAccessibleWithoutScripts(organiser.page, browser);
    expect(statuses).not.toContain(403);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
  });

  it('[I2] [V1] [F6] [F7] a phone posts, upvotes and takes a vote back, follows a topic and withdraws with plain forms; double submits act once, refusals keep the typing', async () => {
    const da = { locale: 'da' } as const;
    const talk = await arrangeTalk(baseUrl, { title: 'Skoler og fritid', moderation: 'post' });
    const topicTitle = 'Skolevejen';
    await createTopic(baseUrl, talk, { title: topicTitle, ofSession: true });
    const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    const otherText = 'Lys på stien bag skolen om vinteren';
    const { post: otherPost } = await other.send('post:create', {
      sessionId: talk.session.id,
      commandId: commandId(),
      kind: 'idea',
      text: otherText,
    });
    other.close();

    const page = await noScriptPage(VIEWPORTS.phone);
    const attendee = new AttendeePage(page);
    await attendee.goto(baseUrl, talk.session.id, { isJavaScriptEnabled: false });

    // Post, and the same form sent again: one post.
    const text = 'Kan skolebussen køre en halv time senere?';
    const postForm = page.locator('form[action="?/post"]');
    const postFields = {
      commandId: await postForm.locator('input[name="commandId"]').inputValue(),
      kind: 'question',
      text,
      displayName: '',
    };
    await attendee.post(text);
    await page.waitForURL(/\?sent=1#my-posts$/);
    const again = await page.request.post(`${baseUrl}/s/${talk.session.id}?/post`, {
      form: postFields,
      headers: { origin: baseUrl, accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    await page.reload();
    await expect(attendee.myPost(text).count()).resolves.toBe(1);

    // Upvote another post.
    await attendee.upvoteButton(otherText).click();
    await page.waitForURL(`${baseUrl}/s/${talk.session.id}`);
    await expect(attendee.upvoteButton(otherText).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await attendee.upvoteButton(otherText).getByText(m.attendee_votes_one({}, da)).waitFor();
    expect(await storedVote(baseUrl, page, talk.session.id, otherPost.id)).toEqual({
      count: 1,
      isMine: true,
    });
    // [V1] The same button again takes the vote back: the count drops, the vote is gone.
    await attendee.upvoteButton(otherText).click();
    // The same address again: wait for the new page's answer rather than for the URL.
    await expect
      .poll(() => attendee.upvoteButton(otherText).getAttribute('aria-pressed'))
      .toBe('false');
    await attendee
      .upvoteButton(otherText)
      .getByText(m.attendee_votes({ count: 0 }, da))
      .waitFor();
    expect(await storedVote(baseUrl, page, talk.session.id, otherPost.id)).toEqual({
      count: 0,
      isMine: false,
    });
    await expectAccessibleWithoutScripts(page, browser);

    // Follow: a bad e-mail and no consent are both explained, next to their fields, typing kept.
    await page.getByRole('link', { name: m.attendee_link_topics({}, da) }).click();
    await page.waitForURL(`${baseUrl}/s/${talk.session.id}/topics`);
    const topics = new TopicsPage(page);
    await topics.fill(topicTitle, {
      name: 'Jens Lund',
      email: 'jens.lund@',
      phone: '',
      age: 'parent',
    });
    await topics.submitButton(topicTitle).click();
    const emailError = topics.topic(topicTitle).getByText(m.topics_error_email({}, da));
    await emailError.waitFor();
    await topics.topic(topicTitle).getByText(m.topics_error_consent({}, da)).waitFor();
    expect(await topics.field(topicTitle, 'name').inputValue()).toBe('Jens Lund');
    expect(await topics.field(topicTitle, 'email').inputValue()).toBe('jens.lund@');
    expect(await topics.ageChoice(topicTitle, 'parent').isChecked()).toBe(true);
    expect(await topics.consentBox(topicTitle).isChecked()).toBe(false);
    expect(
      (await topics.field(topicTitle, 'email').getAttribute('aria-describedby'))?.split(' '),
    ).toContain(await emailError.getAttribute('id'));
    await expectAccessibleWithoutScripts(page, browser);

    await topics.field(topicTitle, 'email').fill('jens.lund@example.dk');
    await topics.consentBox(topicTitle).check();
    const followForm = topics.topic(topicTitle).locator('form');
    const followFields: Record<string, string> = {
      topicId: await followForm.locator('input[name="topicId"]').inputValue(),
      commandId: await followForm.locator('input[name="commandId"]').inputValue(),
      consentVersion: await followForm.locator('input[name="consentVersion"]').inputValue(),
      name: 'Jens Lund',
      email: 'jens.lund@example.dk',
      phone: '',
      ageBasis: 'parent',
      consent: 'yes',
    };
    await topics.submitButton(topicTitle).click();
    await topics.followed(topicTitle);
    await expectAccessibleWithoutScripts(page, browser);
    // The same sign-up sent again (a double tap): still one follow-up.
    const followAgain = await page.request.post(`${baseUrl}/s/${talk.session.id}/topics?/follow`, {
      form: followFields,
      headers: { origin: baseUrl, accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(followAgain.status()).toBe(303);

    // The receipt: one follow-up, withdrawn with one plain form post.
    await topics.receiptLink.click();
    await page.waitForURL(`${baseUrl}/receipt`);
    const receipt = new ReceiptPage(page);
    await receipt.post(text).getByText(m.attendee_status_visible({}, da)).waitFor();
    await expect(receipt.followUps.getByRole('listitem').count()).resolves.toBe(1);
    await receipt.followUp(topicTitle).getByText('j•••@example.dk').waitFor();
    await expectAccessibleWithoutScripts(page, browser);
    await receipt.withdrawButton(topicTitle).click();
    await page.getByText(m.receipt_withdrawn_notice({}, da)).waitFor();
    expect(await receipt.followUps.getByText('j•••@example.dk').count()).toBe(0);
    await expectAccessibleWithoutScripts(page, browser);
    expect(statuses).not.toContain(403);
  }, 120_000);
});
