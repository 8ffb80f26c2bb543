// The attendee's post form: without JavaScript a plain form post that creates one post however
// often it is sent, keeps the text and explains a refusal next to the field; with JavaScript a
// counter that counts what a person sees. Either way, a closed talk and posting too fast (the
// server runs with its rate limits on) are explained next to the field, and nothing typed is
// lost or sent twice.
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';
import { arrangeTalk, createTalk } from './support/api.js';
import type { ArrangedTalk } from './support/api.js';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  NodeClient,
  commandId,
  registerDevice,
  storedVote,
  streamHeads,
} from './support/live-pages.js';
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

async function phone(locale: Locale, { isJavaScriptEnabled = true } = {}) {
  context = await browser.newContext({
    viewport: VIEWPORTS.phone,
    javaScriptEnabled: isJavaScriptEnabled,
  });
  if (locale !== 'da')
    await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseUrl }]);
  return new AttendeePage(await context.newPage(), locale);
}

/** The moderator opens or closes the talk, through a socket of their own. */
async function setOpen(talk: ArrangedTalk, isOpen: boolean): Promise<void> {
  const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
  try {
    const { session } = await staff.send('session:join', { sessionId: talk.session.id });
    await staff.send('session:configure', {
      sessionId: talk.session.id,
      commandId: commandId(),
      version: session.version,
      settings: { isOpen },
    });
  } finally {
    staff.close();
  }
}

/** The room's post texts as the server holds them now. */
async function storedTexts(sessionId: string): Promise<string[]> {
  const reader = await NodeClient.connect(baseUrl, {});
  try {
    const ack = await reader.send('session:join', { sessionId });
    return ack.streams.public.posts.map((p) => p.text);
  } finally {
    reader.close();
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A message with a {seconds} placeholder as a pattern that matches any number of seconds. */
const withSeconds = (message: (inputs: { seconds: string }) => string) =>
  new RegExp(`^${escape(message({ seconds: '§' })).replace('§', '(\\d+)')}$`);

/** Another phone's post in the talk. */
async function anotherPhonePosts(sessionId: string, text: string) {
  const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
  try {
    const { post } = await other.send('post:create', {
      sessionId,
      commandId: commandId(),
      kind: 'idea',
      text,
    });
    return post;
  } finally {
    other.close();
  }
}

/** The per-device post limit the server runs with (server/src/services/rate-limits.ts). */
const POSTS_PER_MINUTE = 5;
const question = (n: number) => `Spørgsmål nummer ${n} om trafikken på Jægersborg Allé?`;

/** The text field's description, as a screen reader reads it with the field: ids to texts. */
async function fieldDescription(attendee: AttendeePage): Promise<string[]> {
  const ids = ((await attendee.textField.getAttribute('aria-describedby')) ?? '').split(' ');
  return Promise.all(
    ids.map(
      async (id) => (await attendee.page.locator(`[id="${id}"]`).textContent())?.trim() ?? '',
    ),
  );
}

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

  // That it then goes out by itself, once, when the server's minute is over is shown against
  // the real server by session-connection.int.test.ts ([AP8] [T2]): waiting out that minute
  // here would cost the browser tier a minute of its budget.
  it.each(['da', 'en'] as const)(
    '[AP8] [T2] with JavaScript in %s, a post over the rate limit is explained next to the field with the seconds the server named, and waits, kept',
    async (locale) => {
      const t = { locale };
      const talk = await createTalk(baseUrl, { moderation: 'post' });
      const attendee = await phone(locale);
      await attendee.goto(baseUrl, talk.id);
      for (let n = 1; n <= POSTS_PER_MINUTE; n += 1) await attendee.post(question(n));
      await expect.poll(() => storedTexts(talk.id)).toHaveLength(POSTS_PER_MINUTE);

      const over = question(POSTS_PER_MINUTE + 1);
      await attendee.post(over);
      // Said next to the field: part of its description, with the seconds counting down.
      const pattern = withSeconds((i) => m.attendee_notice_rate_limited(i, t));
      await expect
        .poll(async () => (await fieldDescription(attendee)).some((text) => pattern.test(text)))
        .toBe(true);
      const seconds = Number(
        (await fieldDescription(attendee)).map((text) => pattern.exec(text)?.[1]).find(Boolean),
      );
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(61);
      // A screen reader hears it once, from a live region, not every second.
      const announced = attendee.page.locator('[aria-live="polite"]').getByText(pattern);
      expect(await announced.count()).toBe(1);
      // The post waits under "your posts", kept.
      await attendee.myPost(over).getByText(m.attendee_status_sending({}, t)).waitFor();
      expect(await storedTexts(talk.id)).not.toContain(over);
      await expectAccessible(attendee.page, `attendee page, posting too fast (${locale})`);
      // Still waiting, and still kept, after a reload.
      await attendee.page.reload();
      await attendee.hydrated();
      await attendee.myPost(over).getByText(m.attendee_status_sending({}, t)).waitFor();
      expect(await storedTexts(talk.id)).toHaveLength(POSTS_PER_MINUTE);
    },
  );

  it.each(['da', 'en'] as const)(
    '[AP8] [T2] without JavaScript in %s, a post over the rate limit says how many seconds to wait, next to the field, and keeps the text',
    async (locale) => {
      const t = { locale };
      const talk = await createTalk(baseUrl, { moderation: 'post' });
      const attendee = await phone(locale, { isJavaScriptEnabled: false });
      await attendee.goto(baseUrl, talk.id, { isJavaScriptEnabled: false });
      for (let n = 1; n <= POSTS_PER_MINUTE; n += 1) {
        await attendee.post(question(n));
        await attendee.page.waitForURL(/\?sent=1#my-posts$/);
      }
      const over = question(POSTS_PER_MINUTE + 1);
      await attendee.post(over);
      const pattern = withSeconds((i) => m.attendee_error_rate_limited_wait(i, t));
      const error = attendee.page.getByText(pattern);
      await error.waitFor();
      const seconds = Number(pattern.exec((await error.textContent()) ?? '')?.[1]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(61);
      expect(await attendee.textField.inputValue()).toBe(over);
      const describedBy = (await attendee.textField.getAttribute('aria-describedby')) ?? '';
      expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
      expect(await storedTexts(talk.id)).toHaveLength(POSTS_PER_MINUTE);
      await expectAccessibleWithoutScripts(attendee.page, browser);
    },
  );

  it.each(['da', 'en'] as const)(
    '[AP8] [P7] with JavaScript in %s, a talk that closes while the person types keeps the form and the text, says so next to the field, and takes the post once it reopens',
    async (locale) => {
      const t = { locale };
      const talk = await arrangeTalk(baseUrl, { moderation: 'post' });
      const attendee = await phone(locale);
      await attendee.goto(baseUrl, talk.session.id);
      const text = 'Hvorfor er der ikke flere cykelparkeringer ved Gentofte Station?';
      await attendee.textField.fill(text);

      await setOpen(talk, false);
      await attendee.page.getByText(m.attendee_closed({}, t)).waitFor();
      const closed = attendee.page
        .locator('form[action="?/post"]')
        .getByText(m.attendee_error_closed({}, t));
      await closed.waitFor();
      expect(await attendee.textField.inputValue()).toBe(text);
      expect(await fieldDescription(attendee)).toContain(m.attendee_error_closed({}, t));
      await expectAccessible(attendee.page, `attendee page, closed while typing (${locale})`);

      // Sending now does nothing but say so again; the text stays for later.
      await attendee.sendButton.click();
      expect(await attendee.textField.inputValue()).toBe(text);
      expect(await attendee.myPost(text).count()).toBe(0);
      expect(await storedTexts(talk.session.id)).toEqual([]);

      await setOpen(talk, true);
      await attendee.page.getByText(m.attendee_open({}, t)).waitFor();
      await attendee.sendButton.click();
      await attendee.myPost(text).getByText(m.attendee_status_visible({}, t)).waitFor();
      expect(await storedTexts(talk.session.id)).toEqual([text]);
      expect(await closed.count()).toBe(0);
    },
  );

  it.each(['da', 'en'] as const)(
    '[AP8] [P7] without JavaScript in %s, a post sent after the talk closed is explained next to the field and the text stays',
    async (locale) => {
      const t = { locale };
      const talk = await arrangeTalk(baseUrl, { moderation: 'post' });
      const attendee = await phone(locale, { isJavaScriptEnabled: false });
      await attendee.goto(baseUrl, talk.session.id, { isJavaScriptEnabled: false });
      await setOpen(talk, false);

      const text = 'Kan Øregårdsparken få flere affaldsspande?';
      await attendee.post(text);
      const error = attendee.page.getByText(m.attendee_error_closed({}, t));
      await error.waitFor();
      expect(await attendee.textField.inputValue()).toBe(text);
      const describedBy = (await attendee.textField.getAttribute('aria-describedby')) ?? '';
      expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
      expect(await storedTexts(talk.session.id)).toEqual([]);
      await expectAccessibleWithoutScripts(attendee.page, browser);
    },
  );

  it('[V1] with JavaScript, a second tap takes the vote back: the count goes down and the stored vote is gone', async () => {
    const talk = await createTalk(baseUrl, { moderation: 'post' });
    const text = 'Flere træer langs Lyngbyvej';
    const theirs = await anotherPhonePosts(talk.id, text);
    const attendee = await phone('da');
    await attendee.goto(baseUrl, talk.id);
    const upvote = attendee.upvoteButton(text);

    await upvote.click();
    await expect.poll(() => upvote.getAttribute('aria-pressed')).toBe('true');
    await upvote.getByText(m.attendee_votes_one({}, da)).waitFor();
    await expect
      .poll(() => storedVote(baseUrl, attendee.page, talk.id, theirs.id))
      .toEqual({ count: 1, isMine: true });

    await upvote.click();
    await expect.poll(() => upvote.getAttribute('aria-pressed')).toBe('false');
    await upvote.getByText(m.attendee_votes({ count: 0 }, da)).waitFor();
    await expect
      .poll(() => storedVote(baseUrl, attendee.page, talk.id, theirs.id))
      .toEqual({ count: 0, isMine: false });
    // And so it stays, read afresh.
    await attendee.page.reload();
    await attendee.hydrated();
    expect(await upvote.getAttribute('aria-pressed')).toBe('false');
    await upvote.getByText(m.attendee_votes({ count: 0 }, da)).waitFor();
    await expectAccessible(attendee.page, 'a vote taken back');
  });

  it("[L3] [SC6] the counter follows the talk's own length limit, also when the moderator changes it", async () => {
    const talk = await arrangeTalk(baseUrl, { moderation: 'post' });
    const configure = async (maxLength: number) => {
      const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
      try {
        const { session } = await staff.send('session:join', { sessionId: talk.session.id });
        await staff.send('session:configure', {
          sessionId: talk.session.id,
          commandId: commandId(),
          version: session.version,
          settings: { maxLength },
        });
      } finally {
        staff.close();
      }
    };
    await configure(40);
    const attendee = await phone('da');
    await attendee.goto(baseUrl, talk.session.id);
    await attendee.page.getByText(m.attendee_text_counter({ length: 0, max: 40 }, da)).waitFor();

    const text = `${'Cykelsti langs Strandvejen, tak! '.repeat(2)}`.trim(); // 65 characters
    await attendee.textField.fill(text);
    await attendee.page.getByText(m.attendee_text_counter({ length: 65, max: 40 }, da)).waitFor();
    await attendee.page.getByText(m.attendee_text_over({ count: 25 }, da)).waitFor();
    expect(await attendee.textField.getAttribute('aria-invalid')).toBe('true');
    await attendee.sendButton.click();
    await attendee.page.getByText(m.attendee_error_too_long({ max: 40 }, da)).waitFor();
    expect(await attendee.textField.inputValue()).toBe(text);

    // The moderator allows longer posts: the counter says so at once, and the post goes.
    await configure(80);
    await attendee.page.getByText(m.attendee_text_counter({ length: 65, max: 80 }, da)).waitFor();
    expect(await attendee.textField.getAttribute('aria-invalid')).toBeNull();
    // The refusal spoke of the old limit; it is gone with it.
    expect(await attendee.page.getByText(m.attendee_error_too_long({ max: 40 }, da)).count()).toBe(
      0,
    );
    await attendee.sendButton.click();
    await attendee.myPost(text).getByText(m.attendee_status_visible({}, da)).waitFor();
  });

  it('[W1] [P2] [S6] a post the word filter holds: its author sees it awaiting moderation, nobody else sees it', async () => {
    const talk = await createTalk(baseUrl, { moderation: 'post' });
    const held = 'Hvorfor er kommunen så fucking langsom til at svare?';
    const innocent = 'Pistacieis og pisket flødeskum ved havnen til sommer';
    // Another phone reads the room from the start, live.
    const readerContext = await browser.newContext({ viewport: VIEWPORTS.phone });
    try {
      const reader = new AttendeePage(await readerContext.newPage());
      await reader.goto(baseUrl, talk.id);
      await expect.poll(() => reader.connectionStatus(), { timeout: 15_000 }).toBe('online');

      const author = await phone('da');
      await author.goto(baseUrl, talk.id);
      await author.post(held);
      await author.myPost(held).getByText(m.attendee_status_pending({}, da)).waitFor();
      await author.post(innocent);
      await author.myPost(innocent).getByText(m.attendee_status_visible({}, da)).waitFor();
      // Not in the room's list, even on the author's own phone: only the moderator decides.
      expect(await author.roomTexts()).toEqual([innocent]);
      await expectAccessible(author.page, 'attendee page with a post held by the word filter');

      // The reader gets the innocent post and never the held one: not live, not on reload.
      await reader.showNewButton(1).click();
      await reader.roomPost(innocent).waitFor();
      expect(await reader.roomTexts()).toEqual([innocent]);
      expect(await reader.page.content()).not.toContain('fucking');
      await reader.page.reload();
      await reader.hydrated();
      await reader.roomPost(innocent).waitFor();
      expect(await reader.page.content()).not.toContain('fucking');
      expect(await reader.myPosts.count()).toBe(0);
      // And the author still sees it waiting, after a reload too.
      await author.page.reload();
      await author.hydrated();
      await author.myPost(held).getByText(m.attendee_status_pending({}, da)).waitFor();
    } finally {
      await readerContext.close();
    }
  });
});
