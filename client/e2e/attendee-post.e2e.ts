// The attendee's post form: without JavaScript a plain form post that creates one post however
// often it is sent, keeps the text and explains a refusal next to the field; with JavaScript a
// counter that counts what a person sees.
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { createTalk } from './support/api.js';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { AttendeePage, streamHeads } from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';

const baseUrl = inject('baseUrl');
const da = { locale: 'da' } as const;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
});

describeInBrowser('posting from a phone', () => {
  it('without JavaScript a form post creates the post once, even when sent twice', async () => {
    const talk = await createTalk(baseUrl, { moderation: 'post' });
    context = await browser.newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false });
    const attendee = new AttendeePage(await context.newPage());
    const statuses: number[] = [];
    attendee.page.on('response', (response: Response) => {
      if (response.request().method() === 'POST') statuses.push(response.status());
    });
    await attendee.goto(baseUrl, talk.id, { isJavaScriptEnabled: false });
    await expectAccessibleWithoutScripts(attendee.page, browser);

    const text = 'Hvorfor lukker svømmehallen allerede klokken 20?';
    // What the form would send, read before sending it: the same command id goes twice.
    const form = attendee.page.locator('form[action="?/post"]');
    const fields = {
      commandId: await form.locator('input[name="commandId"]').inputValue(),
      kind: 'question',
      text,
      displayName: '',
    };
    await attendee.post(text);
    await attendee.page.waitForURL(/\?sent=1#my-posts$/);
    expect(statuses).toEqual([303]);
    await attendee.myPost(text).getByText(m.attendee_status_visible({}, da)).waitFor();
    await attendee.roomPost(text).waitFor();
    await expectAccessibleWithoutScripts(attendee.page, browser);

    // The same form sent again (a double tap, a resubmitted POST): still one post.
    const again = await attendee.page.request.post(`${baseUrl}/s/${talk.id}?/post`, {
      form: fields,
      headers: { origin: baseUrl, accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    await attendee.page.reload();
    await expect(attendee.roomPost(text).count()).resolves.toBe(1);
    await expect(attendee.myPost(text).count()).resolves.toBe(1);
    expect((await streamHeads(baseUrl, talk.id, {})).public).toBe(1);

    // Upvoting works as a form too; the button then says it is pressed.
    await attendee.upvoteButton(text).click();
    await attendee.page.waitForURL(`${baseUrl}/s/${talk.id}`);
    await expect(attendee.upvoteButton(text).getAttribute('aria-pressed')).resolves.toBe('true');
    await attendee.roomPost(text).getByText(m.attendee_votes_one({}, da)).waitFor();
    expect(statuses).not.toContain(403);
  });

  it.each(['da', 'en'] as const)(
    'in %s, a refused post is explained next to the field and the text stays',
    async (locale) => {
      const talk = await createTalk(baseUrl);
      context = await browser.newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false });
      await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseUrl }]);
      const attendee = new AttendeePage(await context.newPage(), locale);
      await attendee.goto(baseUrl, talk.id, { isJavaScriptEnabled: false });

      const tooLong = `${'Lang tekst. '.repeat(25)}Slut!`; // 305 characters, the limit is 300
      await attendee.post(tooLong);
      const error = attendee.page.getByText(m.attendee_error_too_long({ max: 300 }, { locale }));
      await error.waitFor();
      expect(await attendee.textField.inputValue()).toBe(tooLong);
      expect(await attendee.textField.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await attendee.textField.getAttribute('aria-describedby')) ?? '';
      expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
      await expectAccessibleWithoutScripts(attendee.page, browser);

      await attendee.textField.fill('   ');
      await attendee.sendButton.click();
      await attendee.page.getByText(m.attendee_error_empty({}, { locale })).waitFor();
    },
  );

  it('with JavaScript the counter counts what a person sees, and the post goes live', async () => {
    const talk = await createTalk(baseUrl);
    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, talk.id);

    // A thumb with a skin tone and a flag are one character each to a reader (SPEC L1).
    await attendee.textField.fill('Tak 👍🏽🇩🇰');
    await attendee.page.getByText(m.attendee_text_counter({ length: 6, max: 300 }, da)).waitFor();

    await attendee.nameField.fill('Søren');
    await attendee.post('Kommer der flere bænke ved stranden?');
    const mine = attendee.myPost('Kommer der flere bænke ved stranden?');
    await mine.getByText(m.attendee_status_pending({}, da)).waitFor();
    // The name is remembered on this phone for the next post.
    await attendee.page.reload();
    await attendee.hydrated();
    await expect.poll(() => attendee.nameField.inputValue()).toBe('Søren');
    await mine.getByText(m.attendee_status_pending({}, da)).waitFor();
    await expectAccessible(attendee.page, 'attendee page with a waiting post');
  });
});
