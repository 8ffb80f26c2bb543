// Live polls on the moderator console (issue 14, part 2) against the real server: the
// moderator prepares a single-choice poll and a word cloud in the console, opens one at a
// time; three phones answer (one changes its answer) and the console's bars follow live; the
// moderator hides a word and the console marks it hidden. Without JavaScript the same panel
// prepares and opens a poll by plain form posts. Axe on the console with a poll open, in
// Danish and English at laptop size.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { cookieName } from '@gt/i18n/runtime';
import type { CommandAck } from '@gt/protocol';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  ModeratorPage,
  NodeClient,
  commandId,
  createLiveTalk,
  registerDevice,
} from './support/live-pages.js';
import type { LiveTalk } from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
const contexts: BrowserContext[] = [];
const phones: NodeClient[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  for (const phone of phones.splice(0)) phone.close();
});

async function newPage(
  locale: 'da' | 'en' = 'da',
  { javaScriptEnabled = true } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS.laptop, javaScriptEnabled });
  contexts.push(context);
  if (locale === 'en') await context.addCookies([{ name: cookieName, value: 'en', url: baseUrl }]);
  return context.newPage();
}

async function phone(): Promise<NodeClient> {
  const client = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
  phones.push(client);
  return client;
}

const answer = (
  client: NodeClient,
  talk: LiveTalk,
  pollId: string,
  value: CommandAck<'poll:answer'>['answer']['value'],
) =>
  client.send('poll:answer', {
    sessionId: talk.session.id,
    commandId: commandId(),
    pollId,
    answer: value,
  });

/** Prepare a poll in the console's "new poll" form. */
async function prepare(
  page: Page,
  locale: 'da' | 'en',
  fields: { question: string; kind: string; options?: string; hiddenUntilClose?: boolean },
) {
  const t = { locale };
  const form = page.locator('details.new');
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open)))
    await form.locator('summary').click();
  await form.getByLabel(m.poll_question_label({}, t)).fill(fields.question);
  await form.getByLabel(m.poll_kind_label({}, t)).selectOption(fields.kind);
  if (fields.options) await form.getByLabel(m.poll_options_label({}, t)).fill(fields.options);
  if (fields.hiddenUntilClose)
    await form.getByLabel(m.poll_hidden_until_close_label({}, t)).check();
  await form.getByRole('button', { name: m.poll_create({}, t) }).click();
}

const pollItem = (page: Page, question: string): Locator =>
  page.locator('li[data-poll-id]').filter({ has: page.getByRole('heading', { name: question }) });

async function pollIdOf(item: Locator): Promise<string> {
  await item.waitFor();
  return (await item.getAttribute('data-poll-id'))!;
}

describeInBrowser('live polls on the console', () => {
  it('[PL1] [PL2] [PL7] [PL8] prepared and opened in the console; three phones answer and the bars follow; a hidden word is marked', async () => {
    const talk = await createLiveTalk(baseUrl);
    const page = await newPage();
    const moderator = new ModeratorPage(page, 'da');
    await moderator.goto(talk.moderatorUrl);

    const question = 'Hvad skal kommunen gøre først?';
    await prepare(page, 'da', {
      question,
      kind: 'single',
      options: 'Cykelstier\nSkoler\nBibliotek',
    });
    const single = pollItem(page, question);
    const singleId = await pollIdOf(single);
    await expect.poll(() => single.getAttribute('data-poll-status')).toBe('draft');

    const cloudQuestion = 'Hvad vil du have mere af?';
    await prepare(page, 'da', { question: cloudQuestion, kind: 'words' });
    const cloud = pollItem(page, cloudQuestion);
    const cloudId = await pollIdOf(cloud);

    // [PL2] One open at a time: once the first opens, the other offers no "open".
    await single.getByRole('button', { name: m.poll_open() }).click();
    await expect.poll(() => single.getAttribute('data-poll-status')).toBe('open');
    await expect.poll(() => cloud.getByRole('button', { name: m.poll_open() }).count()).toBe(0);

    const [a, b, c] = [await phone(), await phone(), await phone()];
    await answer(a, talk, singleId, { kind: 'single', optionId: 'o1' });
    await answer(b, talk, singleId, { kind: 'single', optionId: 'o2' });
    await answer(c, talk, singleId, { kind: 'single', optionId: 'o2' });
    await answer(b, talk, singleId, { kind: 'single', optionId: 'o1' });
    await single.getByText(m.poll_count_percent({ count: 2, percent: 67 })).waitFor();
    await single.getByText(m.poll_count_percent({ count: 1, percent: 33 })).waitFor();
    await single.getByText(m.poll_responses({ count: 3 })).waitFor();
    await page.screenshot({ path: '/tmp/polls-console-single.png', fullPage: true });

    await single.getByRole('button', { name: m.poll_close() }).click();
    await expect.poll(() => single.getAttribute('data-poll-status')).toBe('closed');
    await cloud.getByRole('button', { name: m.poll_open() }).click();
    await expect.poll(() => cloud.getAttribute('data-poll-status')).toBe('open');
    await answer(a, talk, cloudId, { kind: 'words', entries: ['Cykelstier', 'grønne områder'] });
    await answer(b, talk, cloudId, { kind: 'words', entries: ['cykelsti'] });
    const word = cloud.locator('.cloud li').filter({ hasText: 'cykelsti' });
    await word.getByText('(2)').waitFor();
    await word.getByRole('button', { name: m.poll_hide_word() }).click();
    await word.getByText(m.poll_word_hidden()).waitFor();
    await word.getByRole('button', { name: m.poll_show_word() }).waitFor();
    await page.screenshot({ path: '/tmp/polls-console-cloud.png', fullPage: true });
  });

  it('[PL4] a refused draft keeps its reason beside the form, translated', async () => {
    const talk = await createLiveTalk(baseUrl);
    const page = await newPage('en');
    const moderator = new ModeratorPage(page, 'en');
    await moderator.goto(talk.moderatorUrl);
    await prepare(page, 'en', { question: 'Which first?', kind: 'single', options: 'Only one' });
    await page
      .getByRole('alert')
      .filter({ hasText: m.poll_reason_too_few_options({}, { locale: 'en' }) })
      .waitFor();
  });

  it('without JavaScript the panel prepares, opens and closes polls and hides a word by plain form posts', async () => {
    const talk = await createLiveTalk(baseUrl);
    const page = await newPage('da', { javaScriptEnabled: false });
    await page.goto(talk.moderatorUrl);
    await prepare(page, 'da', { question: 'Uden script?', kind: 'single', options: 'Ja\nNej' });
    const item = pollItem(page, 'Uden script?');
    await item.waitFor();
    await item.getByRole('button', { name: m.poll_open() }).click();
    await expect.poll(() => item.getAttribute('data-poll-status')).toBe('open');
    expect(new URL(page.url()).search).toBe('');

    // [PL8] A word hidden by a plain form post, too.
    await item.getByRole('button', { name: m.poll_close() }).click();
    await prepare(page, 'da', { question: 'Ord uden script?', kind: 'words' });
    const cloud = pollItem(page, 'Ord uden script?');
    await cloud.getByRole('button', { name: m.poll_open() }).click();
    await expect.poll(() => cloud.getAttribute('data-poll-status')).toBe('open');
    await answer(await phone(), talk, await pollIdOf(cloud), { kind: 'words', entries: ['bænke'] });
    const word = cloud.locator('.cloud li').filter({ hasText: 'bænke' });
    await expect
      .poll(async () => {
        await page.reload();
        return word.count();
      })
      .toBe(1);
    await word.getByRole('button', { name: m.poll_hide_word() }).click();
    await word.getByText(m.poll_word_hidden()).waitFor();
  });

  it('passes axe with a poll open and results showing, in Danish and English at laptop size', async () => {
    const talk = await createLiveTalk(baseUrl);
    for (const locale of ['da', 'en'] as const) {
      const page = await newPage(locale);
      const moderator = new ModeratorPage(page, locale);
      await moderator.goto(talk.moderatorUrl);
      if (locale === 'da') {
        await prepare(page, 'da', { question: 'Axe?', kind: 'single', options: 'Ja\nNej' });
        await pollItem(page, 'Axe?').getByRole('button', { name: m.poll_open() }).click();
        const id = await pollIdOf(pollItem(page, 'Axe?'));
        await answer(await phone(), talk, id, { kind: 'single', optionId: 'o1' });
      }
      const item = pollItem(page, 'Axe?');
      await item.getByText(m.poll_responses({ count: 1 }, { locale })).waitFor();
      await page.locator('details.new summary').click();
      await expectAccessible(page, `console with a poll open (${locale}, laptop)`);
      await page.screenshot({ path: `/tmp/polls-console-${locale}.png`, fullPage: true });
    }
  });
});
