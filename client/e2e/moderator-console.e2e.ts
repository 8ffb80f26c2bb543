// The moderator console (issue 5) against the real server: two moderators on one talk see each
// other's actions, and each action reaches the wall and the author's phone; undo and bulk
// actions; ten posts moderated with the keyboard alone, while letters typed into the
// floor-question field stay text; the floor question end to end; the session's controls
// taking effect live; waiting times; the speaker queue with the phone, the console and the
// wall all in the browser; axe on the console in Danish and English at laptop size, with the
// help overlay open.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { cookieName } from '@gt/i18n/runtime';
import type { CommandAck, Result } from '@gt/protocol';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  commandId,
  createLiveTalk,
  createModeratorLink,
  ModeratorPage,
  NodeClient,
  registerDevice,
  WallPage,
} from './support/live-pages.js';
import type { LiveTalk } from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';
import { createTopic } from './support/receipt-pages.js';

const baseUrl = inject('baseUrl');
const da = { locale: 'da' } as const;
const WALL = { width: 1920, height: 1080 };
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

async function newPage(viewport: { width: number; height: number }, locale?: 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  if (locale) await context.addCookies([{ name: cookieName, value: locale, url: baseUrl }]);
  return context.newPage();
}

/** Posts from phones (Node sockets), two per device: devices are rate-limited (SPEC T2). */
async function postFromPhones(talk: LiveTalk, texts: readonly string[]): Promise<void> {
  for (let i = 0; i < texts.length; i += 2) {
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    try {
      for (const text of texts.slice(i, i + 2))
        await phone.send('post:create', {
          sessionId: talk.session.id,
          commandId: commandId(),
          kind: 'question',
          text,
        });
    } finally {
      phone.close();
    }
  }
}

/** The posts as the server has them now, read by a moderator socket of its own. */
async function serverPosts(talk: LiveTalk) {
  const client = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
  try {
    const ack = await client.send('session:join', { sessionId: talk.session.id });
    return ack.streams.staff?.posts ?? [];
  } finally {
    client.close();
  }
}

/** The session's settings as the wall gets them (public join, no credentials). */
async function publicSettings(talk: LiveTalk) {
  const client = await NodeClient.connect(baseUrl, {});
  try {
    return (await client.send('session:join', { sessionId: talk.session.id })).session.settings;
  } finally {
    client.close();
  }
}

const focusedText = (page: Page) =>
  page.evaluate(() => {
    const card = document.activeElement?.closest('[data-post-card]');
    return card?.querySelector('.text')?.textContent ?? null;
  });

describeInBrowser('the moderator console', () => {
  it('[M3] [M6] [MC3] two moderators see each other; every action reaches the wall and the author, and undo takes it back', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const sessionId = talk.session.id;
    const QUESTION = 'Hvornår åbner svømmehallen i Gentofte igen efter renoveringen?';

    const attendee = new AttendeePage(await newPage(VIEWPORTS.phone));
    await attendee.goto(baseUrl, sessionId);
    const first = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await first.goto(talk.moderatorUrl);
    const second = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    const secondToken = await createModeratorLink(baseUrl, talk, 'Ordstyrer 2');
    await second.goto(`${baseUrl}/moderator/${sessionId}?token=${encodeURIComponent(secondToken)}`);
    const wall = new WallPage(await newPage(WALL));
    await wall.goto(baseUrl, sessionId);

    // The phone posts; both consoles see it waiting; the first approves, the second sees it.
    await attendee.post(QUESTION);
    await first.card('pending', QUESTION).waitFor();
    await second.card('pending', QUESTION).waitFor();
    await first.act('pending', QUESTION, 'approve');
    await second.show('visible');
    await second.card('visible', QUESTION).waitFor();
    await attendee.myPost(QUESTION).getByText(m.attendee_status_visible({}, da)).waitFor();

    // The second highlights: the first console, the wall and the author all show it.
    await second.act('visible', QUESTION, 'highlight');
    await first.onWall.getByText(QUESTION).waitFor();
    await wall.highlighted.getByText(QUESTION).waitFor();
    await attendee.myPost(QUESTION).getByText(m.attendee_status_on_wall({}, da)).waitFor();
    await first.show('live');
    await first.card('live', QUESTION).waitFor();

    // The first hides it with a preset reason: it leaves the wall (M2), the author reads why
    // (M6), the second console has it under hidden.
    const card = first.card('live', QUESTION);
    await card.getByText(m.moderator_hide_open({}, da)).click();
    await card.getByRole('radio', { name: m.moderator_reason_off_topic({}, da) }).check();
    await card.getByRole('button', { name: m.moderator_hide({}, da), exact: true }).click();
    const reason = m.moderator_reason_off_topic({}, da);
    await attendee
      .myPost(QUESTION)
      .getByText(m.attendee_status_hidden_reason({ reason }, da))
      .waitFor();
    await expect.poll(() => wall.highlighted.count(), { timeout: 15_000 }).toBe(0);
    await second.show('hidden');
    await second.card('hidden', QUESTION).waitFor();
    await expectAccessible(first.page, 'console with the undo offer');

    // Undo: restored, and highlighted again, as it was before the hide.
    await first.undoButton.click();
    await second.show('visible');
    await second.card('visible', QUESTION).waitFor();
    await wall.highlighted.getByText(QUESTION).waitFor({ timeout: 15_000 });
    await attendee.myPost(QUESTION).getByText(m.attendee_status_on_wall({}, da)).waitFor();
    await second.onWall.getByText(QUESTION).waitFor();

    // The second pins it, the first unpins it: each sees the other's change.
    await second.act('visible', QUESTION, 'pin');
    await first.show('visible');
    await first
      .card('visible', QUESTION)
      .getByRole('button', { name: m.moderator_unpin({}, da), exact: true })
      .waitFor();
    await first.act('visible', QUESTION, 'unpin');
    await second
      .card('visible', QUESTION)
      .getByRole('button', { name: m.moderator_pin({}, da), exact: true })
      .waitFor();

    // Answered: the author sees it; taken off the wall, the wall no longer shows it large.
    await second.act('visible', QUESTION, 'answer');
    await attendee.myPost(QUESTION).getByText(m.attendee_status_answered({}, da)).waitFor();
    await first.show('answered');
    await first.card('answered', QUESTION).waitFor();
    await first.act('answered', QUESTION, 'unhighlight');
    await expect.poll(() => wall.highlighted.count(), { timeout: 15_000 }).toBe(0);
    const [onServer] = await serverPosts(talk);
    expect(onServer).toMatchObject({ status: 'answered', isHighlighted: false, isPinned: false });
  });

  it('[MC4] bulk approve and bulk hide act on the selection; an edit keeps the original in the history', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const texts = [
      'Kan vi få flere cykelparkeringer ved Hellerup station?',
      'Hvad koster den nye skole på Ordrupvej?',
      'KØB BILLIGE UR HER!!!',
      'KØB BILLIGE SKO HER!!!',
    ];
    await postFromPhones(talk, texts);
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    const select = (text: string) =>
      moderator
        .card('pending', text)
        .getByRole('checkbox', { name: m.moderator_select({}, da) })
        .check();

    await select(texts[2]!);
    await select(texts[3]!);
    const bulk = moderator.page.getByRole('region', { name: m.moderator_bulk_label({}, da) });
    await bulk.getByText(m.moderator_bulk_count({ count: 2 }, da)).waitFor();
    await expectAccessible(moderator.page, 'console with a selection');
    await bulk
      .getByRole('combobox', { name: m.moderator_hide_reason_legend({}, da) })
      .selectOption('offensive');
    await bulk.getByRole('button', { name: m.moderator_bulk_hide({}, da) }).click();
    await moderator.show('hidden');
    await moderator.card('hidden', texts[2]!).waitFor();
    await moderator.card('hidden', texts[3]!).waitFor();

    await moderator.show('pending');
    await select(texts[0]!);
    await select(texts[1]!);
    await bulk.getByRole('button', { name: m.moderator_bulk_approve({}, da) }).click();
    await moderator.page.getByText(m.moderator_pending_empty({}, da)).waitFor();
    const posts = await serverPosts(talk);
    const statusOf = (text: string) => posts.find((p) => p.text === text)?.status;
    expect(texts.map(statusOf)).toEqual(['visible', 'visible', 'hidden', 'hidden']);
    expect(posts.find((p) => p.text === texts[2])?.hideReason).toBe(
      m.moderator_reason_offensive({}, da),
    );

    // A typo fixed: the new wording shows, the author's words stay in the history (M7).
    await moderator.show('visible');
    const card = moderator.card('visible', texts[0]!);
    await card.getByText(m.moderator_edit_open({}, da)).click();
    const fixed = 'Kan vi få flere cykelparkeringer ved Hellerup Station?';
    await card.getByRole('textbox', { name: m.moderator_edit_label({}, da) }).fill(fixed);
    await card.getByRole('button', { name: m.moderator_edit_save({}, da) }).click();
    const edited = moderator.card('visible', fixed);
    await edited.getByText(m.moderator_edited_from({ text: texts[0]! }, da)).waitFor();

    // Search narrows the tab to the posts with every typed word.
    await moderator.searchField.fill('ordrupvej');
    await moderator.card('visible', texts[1]!).waitFor();
    await expect.poll(() => moderator.card('visible', fixed).count()).toBe(0);
  });

  it('[M13] duplicates selected in the console merge into the chosen post: their texts show under it, their votes count for it', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const texts = [
      'Hvornår kommer cykelstien på Bernstorffsvej?',
      'Cykelsti på Bernstorffsvej – hvornår?',
      'Hvad sker der med cykelstien ved Bernstorffsvej?',
    ];
    await postFromPhones(talk, texts);
    const ids = (await serverPosts(talk)).map((p) => p.id);
    const voter = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    try {
      for (const postId of ids.slice(1))
        await voter.send('post:upvote', {
          sessionId: talk.session.id,
          commandId: commandId(),
          postId,
          isOn: true,
        });
    } finally {
      voter.close();
    }
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    await moderator.show('visible');
    for (const text of texts)
      await moderator
        .card('visible', text)
        .getByRole('checkbox', { name: m.moderator_select({}, da) })
        .check();
    const bulk = moderator.page.getByRole('region', { name: m.moderator_bulk_label({}, da) });
    await bulk
      .getByRole('combobox', { name: m.moderator_merge_target({}, da) })
      .selectOption({ label: texts[1]! });
    await bulk.getByRole('button', { name: m.moderator_merge({}, da) }).click();

    const target = moderator.card('visible', texts[1]!);
    // Two phones wrote the three posts (two per device): two voices.
    await target.getByText(m.moderator_merged_heading({ voices: 2 }, da)).waitFor();
    await target.getByText(texts[0]!).waitFor();
    await target.getByText(texts[2]!).waitFor();
    await expect.poll(() => moderator.card('visible', texts[0]!).count()).toBe(0);
    await expectAccessible(moderator.page, 'console with a merged post');
    await moderator.show('hidden');
    await moderator.card('hidden', texts[2]!).getByText(m.moderator_merged_into({}, da)).waitFor();

    const posts = await serverPosts(talk);
    const merged = posts.find((p) => p.text === texts[1]);
    expect(merged?.merged.map((p) => p.text)).toEqual([texts[0], texts[2]]);
    expect(posts.filter((p) => p.mergedInto === merged?.id)).toHaveLength(2);
    const client = await NodeClient.connect(baseUrl, {});
    try {
      const join = await client.send('session:join', { sessionId: talk.session.id });
      // The voter's two votes (for the target and a source) count once.
      expect(join.counts.votes).toEqual({ [merged!.id]: 1 });
    } finally {
      client.close();
    }
  });

  it("[MC4] [M7] [M13] bulk approve, pin and unpin, an edit, a merge and bulk hide each reach the wall and the authors' phones", async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const sessionId = talk.session.id;
    // Karen asks two questions (the second a duplicate of Jens's), Jens one; each on a phone.
    const KAREN = 'Kan vi få flere cykelparkeringer ved Hellerup staton?';
    const KAREN_FIXED = 'Kan vi få flere cykelparkeringer ved Hellerup station?';
    const JENS = 'Hvornår bliver Ordrupvej sikker for skolebørn?';
    const DUPLICATE = 'Hvad gør I for skolebørnene på Ordrupvej?';
    const karen = new AttendeePage(await newPage(VIEWPORTS.phone));
    await karen.goto(baseUrl, sessionId);
    const jens = new AttendeePage(await newPage(VIEWPORTS.phone));
    await jens.goto(baseUrl, sessionId);
    await karen.post(KAREN);
    await karen.myPost(KAREN).getByText(m.attendee_status_pending({}, da)).waitFor();
    await jens.post(JENS);
    await jens.myPost(JENS).getByText(m.attendee_status_pending({}, da)).waitFor();
    await karen.post(DUPLICATE);
    await karen.myPost(DUPLICATE).getByText(m.attendee_status_pending({}, da)).waitFor();
    const wall = new WallPage(await newPage(WALL));
    await wall.goto(baseUrl, sessionId);
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    const bulk = moderator.page.getByRole('region', { name: m.moderator_bulk_label({}, da) });
    const select = async (tab: 'pending' | 'visible', texts: readonly string[]) => {
      for (const text of texts)
        await moderator
          .card(tab, text)
          .getByRole('checkbox', { name: m.moderator_select({}, da) })
          .check();
      await bulk.getByText(m.moderator_bulk_count({ count: texts.length }, da)).waitFor();
    };
    /** The wall's list under the highlighted post, top to bottom (top votes, pinned first). */
    const wallList = () => wall.next.getByRole('listitem').allTextContents();

    // Bulk approve: all three reach the wall (equal votes: oldest first) and both phones.
    await select('pending', [KAREN, JENS, DUPLICATE]);
    await bulk.getByRole('button', { name: m.moderator_bulk_approve({}, da) }).click();
    await expect.poll(wallList, { timeout: 15_000 }).toEqual([KAREN, JENS, DUPLICATE]);
    await karen.myPost(KAREN).getByText(m.attendee_status_visible({}, da)).waitFor();
    await karen.myPost(DUPLICATE).getByText(m.attendee_status_visible({}, da)).waitFor();
    await jens.myPost(JENS).getByText(m.attendee_status_visible({}, da)).waitFor();

    // Pin: Jens's question goes first on the wall, and his phone marks it pinned; unpin
    // puts it back.
    const pinnedBadge = () =>
      jens.roomPost(JENS).getByText(m.attendee_badge_pinned({}, da), { exact: true });
    await moderator.act('visible', JENS, 'pin');
    await expect.poll(wallList, { timeout: 15_000 }).toEqual([JENS, KAREN, DUPLICATE]);
    await pinnedBadge().waitFor();
    await moderator.act('visible', JENS, 'unpin');
    await expect.poll(wallList, { timeout: 15_000 }).toEqual([KAREN, JENS, DUPLICATE]);
    await pinnedBadge().waitFor({ state: 'detached' });

    // A typo fixed: the wall and Karen's phone show the new wording (M7).
    const card = moderator.card('visible', KAREN);
    await card.getByText(m.moderator_edit_open({}, da)).click();
    await card.getByRole('textbox', { name: m.moderator_edit_label({}, da) }).fill(KAREN_FIXED);
    await card.getByRole('button', { name: m.moderator_edit_save({}, da) }).click();
    await expect.poll(wallList, { timeout: 15_000 }).toEqual([KAREN_FIXED, JENS, DUPLICATE]);
    await karen.myPost(KAREN_FIXED).getByText(m.attendee_status_visible({}, da)).waitFor();
    // The old wording is no longer what the phone shows as the post's text.
    expect(await karen.myPosts.getByText(KAREN, { exact: true }).count()).toBe(0);

    // Merge Karen's duplicate into Jens's question: it leaves the wall, Karen's phone says it
    // was merged; on the wall, Jens's question carries both voices.
    await select('visible', [JENS, DUPLICATE]);
    await bulk
      .getByRole('combobox', { name: m.moderator_merge_target({}, da) })
      .selectOption({ label: JENS });
    await bulk.getByRole('button', { name: m.moderator_merge({}, da) }).click();
    await expect.poll(wallList, { timeout: 15_000 }).toEqual([KAREN_FIXED, JENS]);
    await karen.myPost(DUPLICATE).getByText(m.attendee_status_merged({}, da)).waitFor();
    await moderator.act('visible', JENS, 'highlight');
    await wall.highlighted.getByText(JENS).waitFor({ timeout: 15_000 });
    await wall.page
      .getByRole('region', { name: m.wall_now_heading({}, da) })
      .getByText(m.wall_voices({ count: 2 }, da))
      .waitFor();
    await jens.myPost(JENS).getByText(m.attendee_status_on_wall({}, da)).waitFor();
    await expectAccessible(wall.page, 'wall with a merged post highlighted');
    await expectAccessible(karen.page, "phone with a post merged into another's");

    // Bulk hide both with one reason: the wall empties and invites questions; each author
    // reads the reason; the merged duplicate still says merged.
    await moderator.show('visible');
    await select('visible', [KAREN_FIXED, JENS]);
    await bulk
      .getByRole('combobox', { name: m.moderator_hide_reason_legend({}, da) })
      .selectOption('off_topic');
    await bulk.getByRole('button', { name: m.moderator_bulk_hide({}, da) }).click();
    await wall.page.getByText(m.wall_invite({}, da)).waitFor({ timeout: 15_000 });
    expect(await wall.next.count()).toBe(0);
    const hidden = m.attendee_status_hidden_reason(
      { reason: m.moderator_reason_off_topic({}, da) },
      da,
    );
    await karen.myPost(KAREN_FIXED).getByText(hidden).waitFor();
    await jens.myPost(JENS).getByText(hidden).waitFor();
    await karen.myPost(DUPLICATE).getByText(m.attendee_status_merged({}, da)).waitFor();
    await expectAccessible(jens.page, 'phone with a hidden post');
  }, 120_000);

  it('[MC2] [P8] ten posts moderated with the keyboard alone; letters typed into the floor question stay text', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const texts = Array.from(
      { length: 10 },
      (_, i) => `Spørgsmål nummer ${i + 1} om trafikken på Jægersborg Allé`,
    );
    await postFromPhones(talk, texts);
    const page = await newPage(VIEWPORTS.laptop);
    const moderator = new ModeratorPage(page);
    await moderator.goto(talk.moderatorUrl);
    await moderator.card('pending', texts[9]!).waitFor();
    const wall = new WallPage(await newPage(WALL));
    await wall.goto(baseUrl, talk.session.id);

    // Letters typed into the floor question are text: nothing is approved or hidden.
    const FLOOR = 'Ja, hvad vil I gøre ved parkeringen? (spurgt højt af en borger)';
    await moderator.floorText.focus();
    await page.keyboard.type(FLOOR);
    expect(await moderator.floorText.inputValue()).toBe(FLOOR);
    expect(await moderator.tab('pending').innerText()).toBe(
      m.moderator_pending_heading({ count: 10 }, da),
    );
    // Sent from the keyboard too: Tab to the name, then to the button.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => moderator.floorText.inputValue()).toBe('');
    await wall.next.getByText(FLOOR).waitFor({ timeout: 15_000 });
    expect((await serverPosts(talk)).find((p) => p.text === FLOOR)).toMatchObject({
      isFromRoom: true,
      status: 'visible',
    });

    // Into the queue with Tab alone: the first card is its tab stop.
    await moderator.searchField.focus();
    for (let i = 0; i < 10 && !(await focusedText(page)); i++) await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe(texts[0]);

    // j/k move; "a" approves the focused post and the focus stays at that place in the list.
    await page.keyboard.press('j');
    expect(await focusedText(page)).toBe(texts[1]);
    await page.keyboard.press('k');
    expect(await focusedText(page)).toBe(texts[0]);
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press('a');
      await expect.poll(() => focusedText(page)).toBe(texts[i + 1]);
    }
    // The tenth is hidden: "h" opens the reasons, an arrow picks one, Enter in the field hides.
    await page.keyboard.press('h');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await moderator.page.getByText(m.moderator_pending_empty({}, da)).waitFor();

    // "2" opens the visible tab; on its first post "w" shows it on the wall, "p" pins, "u" undoes.
    await moderator.queue('pending').getByRole('heading').focus();
    await page.keyboard.press('2');
    await moderator.queue('visible').waitFor();
    await expect.poll(() => focusedText(page)).toBe(texts[0]);
    await page.keyboard.press('w');
    await wall.highlighted.getByText(texts[0]!).waitFor({ timeout: 15_000 });
    const top = moderator.card('visible', texts[0]!);
    await page.keyboard.press('p');
    await top.getByRole('button', { name: m.moderator_unpin({}, da), exact: true }).waitFor();
    await moderator.undoButton.waitFor();
    await page.keyboard.press('u');
    await top.getByRole('button', { name: m.moderator_pin({}, da), exact: true }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('b');
    await expect
      .poll(() => moderator.tab('answered').innerText())
      .toBe(m.moderator_answered_heading({ count: 1 }, da));
    // "e" edits: the field opens with the text, Tab reaches the save button.
    await expect.poll(() => focusedText(page)).toBe(texts[2]);
    await page.keyboard.press('e');
    await page.keyboard.press('End');
    await page.keyboard.type(' Tak.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await moderator.card('visible', `${texts[2]} Tak.`).waitFor();
    // "x" selects for a bulk action.
    await moderator.card('visible', `${texts[2]} Tak.`).focus();
    await page.keyboard.press('x');
    await moderator.page
      .getByRole('region', { name: m.moderator_bulk_label({}, da) })
      .getByText(m.moderator_bulk_count({ count: 1 }, da))
      .waitFor();
    // "4" then "r" restores the hidden one.
    await page.keyboard.press('4');
    await expect.poll(() => focusedText(page)).toBe(texts[9]);
    await page.keyboard.press('r');
    await moderator.page.getByText(m.moderator_none({}, da)).waitFor();

    const posts = await serverPosts(talk);
    const byText = (text: string) => posts.find((p) => p.text === text);
    expect(byText(texts[0]!)).toMatchObject({
      status: 'visible',
      isHighlighted: true,
      isPinned: false,
    });
    expect(byText(texts[1]!)?.status).toBe('answered');
    expect(byText(`${texts[2]} Tak.`)?.history.map((h) => h.text)).toEqual([texts[2]]);
    for (const text of texts.slice(3, 9)) expect(byText(text)?.status).toBe('visible');
    expect(byText(texts[9]!)).toMatchObject({ status: 'visible', hideReason: null });
    expect(posts.filter((p) => p.status === 'pending')).toEqual([]);
  });

  it('[MC2] the shortcuts can be turned off, and stay off after a reload; "?" opens the help, Esc closes it', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const TEXT = 'Hvorfor lukker biblioteket i Dyssegård om lørdagen?';
    await postFromPhones(talk, [TEXT]);
    const page = await newPage(VIEWPORTS.laptop);
    const moderator = new ModeratorPage(page);
    await moderator.goto(talk.moderatorUrl);
    const card = moderator.card('pending', TEXT);
    await card.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: m.moderator_shortcuts_heading({}, da) });
    await dialog.waitFor();
    await expectAccessible(page, 'console with the shortcut help open (Danish)');
    // Focus stays in the dialog (the page behind is inert) ...
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    // ... Esc closes it, and the focus is back on the card.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await focusedText(page)).toBe(TEXT);

    await page.getByRole('checkbox', { name: m.moderator_shortcuts_toggle({}, da) }).uncheck();
    await page.reload();
    await moderator.hydrated();
    await expect
      .poll(() =>
        page.getByRole('checkbox', { name: m.moderator_shortcuts_toggle({}, da) }).isChecked(),
      )
      .toBe(false);
    await card.focus();
    await page.keyboard.press('a');
    await page.keyboard.press('?');
    // Nothing happened: still waiting, no dialog. A button press still works.
    await moderator.act('pending', TEXT, 'approve');
    await moderator.page.getByText(m.moderator_pending_empty({}, da)).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    const [post] = await serverPosts(talk);
    expect(post?.version).toBe(2);
    // [MC3] Undo takes an approval back: the post waits again.
    await moderator.undoButton.click();
    await moderator.card('pending', TEXT).waitFor();
    expect((await serverPosts(talk))[0]).toMatchObject({ status: 'pending', version: 3 });
  });

  it('[SC1] [ML2] one key freezes the wall, one shows only the QR; settings, panel and the log reach the other console live', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const first = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await first.goto(talk.moderatorUrl);
    const secondToken = await createModeratorLink(baseUrl, talk, 'Ordstyrer 2');
    const second = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await second.goto(
      `${baseUrl}/moderator/${talk.session.id}?token=${encodeURIComponent(secondToken)}`,
    );
    const freeze = (page: ModeratorPage) =>
      page.page.getByRole('button', { name: m.moderator_wall_freeze({}, da) });
    const qrOnly = (page: ModeratorPage) =>
      page.page.getByRole('button', { name: m.moderator_wall_qr({}, da) });
    const override = async () => (await publicSettings(talk)).wallOverride;

    // Letters typed into the search field are text, not the wall's keys.
    await first.searchField.focus();
    await first.page.keyboard.type('fq');
    expect(await first.searchField.inputValue()).toBe('fq');
    await first.searchField.fill('');
    expect(await override()).toBe('none');

    // "f" freezes the wall, from anywhere but a text field; the colleague sees it pressed.
    await first.queue('pending').getByRole('heading').focus();
    await first.page.keyboard.press('f');
    await expect.poll(() => freeze(second).getAttribute('aria-pressed')).toBe('true');
    expect(await override()).toBe('freeze');
    await second.page.getByText(m.moderator_wall_state_freeze({}, da)).waitFor();
    await first.page.keyboard.press('f');
    await expect.poll(() => freeze(second).getAttribute('aria-pressed')).toBe('false');
    expect(await override()).toBe('none');
    // "q": only the join QR on the wall; the button does the same.
    await first.page.keyboard.press('q');
    await expect.poll(() => qrOnly(second).getAttribute('aria-pressed')).toBe('true');
    expect(await override()).toBe('qr');
    await qrOnly(second).click();
    await expect.poll(() => qrOnly(first).getAttribute('aria-pressed')).toBe('false');
    expect(await override()).toBe('none');

    // The second sets the wall's mode and the panel; a bad rotation is refused at its field.
    const page = second.page;
    await page.getByText(m.moderator_settings_heading({}, da), { exact: true }).click();
    await page.getByRole('radio', { name: m.moderator_wall_mode_fresh({}, da) }).check();
    const rotation = page.getByRole('spinbutton', { name: m.moderator_setting_rotation({}, da) });
    await rotation.fill('3');
    await page
      .getByRole('textbox', { name: m.moderator_panel_name({ n: 1 }, da) })
      .fill('Anna Hansen');
    await page
      .getByRole('textbox', { name: m.moderator_panel_party({ n: 1 }, da) })
      .fill('Venstre');
    await page.getByRole('button', { name: m.moderator_panel_add({}, da) }).click();
    await page
      .getByRole('textbox', { name: m.moderator_panel_name({ n: 2 }, da) })
      .fill('Bo Jensen');
    // A colleague freezing the wall meanwhile does not wipe what is being typed here.
    await first.page.keyboard.press('f');
    await expect.poll(() => freeze(second).getAttribute('aria-pressed')).toBe('true');
    await first.page.keyboard.press('f');
    await expect.poll(() => freeze(second).getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: m.moderator_setting_save({}, da) }).click();
    await page.getByText(m.moderator_setting_rotation_error({}, da)).waitFor();
    expect(await rotation.getAttribute('aria-invalid')).toBe('true');
    // The typed panel is still there.
    expect(
      await page.getByRole('textbox', { name: m.moderator_panel_name({ n: 2 }, da) }).inputValue(),
    ).toBe('Bo Jensen');
    await expectAccessible(page, 'console settings with an error');
    await rotation.fill('12');
    await page.getByRole('button', { name: m.moderator_setting_save({}, da) }).click();
    await expect
      .poll(async () => {
        const settings = await publicSettings(talk);
        return [settings.wallMode, settings.rotationSeconds, settings.panel.map((p) => p.name)];
      })
      .toEqual(['fresh', 12, ['Anna Hansen', 'Bo Jensen']]);
    // The first console's form shows it, remade from the new settings.
    await first.page.getByText(m.moderator_settings_heading({}, da), { exact: true }).click();
    await expect
      .poll(() =>
        first.page
          .getByRole('textbox', { name: m.moderator_panel_name({ n: 2 }, da) })
          .inputValue(),
      )
      .toBe('Bo Jensen');
    expect(
      await first.page
        .getByRole('radio', { name: m.moderator_wall_mode_fresh({}, da) })
        .isChecked(),
    ).toBe(true);

    // The log, live: the first console sees the second moderator's actions by label.
    await first.page.getByText(m.moderator_log_heading({}, da), { exact: true }).click();
    const log = first.page.getByRole('table', { name: m.moderator_log_heading({}, da) });
    await log
      .getByRole('row')
      .filter({ hasText: 'Ordstyrer 2' })
      .filter({ hasText: m.moderator_log_configure({}, da) })
      .first()
      .waitFor();
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    const TEXT = 'Hvornår bliver der bygget flere ungdomsboliger?';
    try {
      await phone.send('post:create', {
        sessionId: talk.session.id,
        commandId: commandId(),
        kind: 'question',
        text: TEXT,
      });
    } finally {
      phone.close();
    }
    await second.act('pending', TEXT, 'approve');
    await log
      .getByRole('row')
      .filter({ hasText: 'Ordstyrer 2' })
      .filter({ hasText: m.moderator_log_approve({}, da) })
      .filter({ hasText: TEXT })
      .waitFor();
    await expectAccessible(first.page, 'console with the settings and the log open');
  });

  it("[P2] [P7] [SC6] switched in the console, live: post-moderation shows the next post at once and pre-moderation holds it again; closed, a phone's next post is refused as closed", async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const sessionId = talk.session.id;
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    const page = moderator.page;
    await page.getByText(m.moderator_settings_heading({}, da), { exact: true }).click();
    // Saved when the server has it, and the console says so, although a save that changes
    // the settings remakes the form at once (the note lives outside it).
    const saved = page.getByText(m.moderator_settings_saved({}, da));
    const save = async (expected: { moderation?: 'pre' | 'post'; isOpen?: boolean }) => {
      await page.getByRole('button', { name: m.moderator_setting_save({}, da) }).click();
      await expect.poll(() => publicSettings(talk)).toMatchObject(expected);
      await saved.waitFor();
    };
    // One phone, already in the talk, as a phone is when the moderator changes the rules.
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    const postNow = async (text: string) =>
      (await phone.socket.timeout(10_000).emitWithAck('post:create', {
        sessionId,
        commandId: commandId(),
        kind: 'question',
        text,
      })) as Result<CommandAck<'post:create'>>;
    const publicTexts = async () => {
      const client = await NodeClient.connect(baseUrl, {});
      try {
        return (await client.send('session:join', { sessionId })).streams.public.posts.map(
          (p) => p.text,
        );
      } finally {
        client.close();
      }
    };
    try {
      await phone.send('session:join', { sessionId });

      // Post-moderation: the next post is visible at once, to the room and in the console.
      await page.getByRole('radio', { name: m.moderator_setting_post({}, da) }).check();
      await save({ moderation: 'post' });
      const AT_ONCE = 'Hvornår åbner den nye legeplads i Ordrup?';
      const atOnce = await postNow(AT_ONCE);
      expect(atOnce.ok && atOnce.data.post.status).toBe('visible');
      expect(await publicTexts()).toEqual([AT_ONCE]);
      await moderator.show('visible');
      await moderator.card('visible', AT_ONCE).waitFor();

      // And back: the next post waits for a moderator and stays out of the room's sight.
      await page.getByRole('radio', { name: m.moderator_setting_pre({}, da) }).check();
      await save({ moderation: 'pre' });
      const HELD = 'Kan biblioteket i Hellerup få længere åbningstider?';
      const held = await postNow(HELD);
      expect(held.ok && held.data.post.status).toBe('pending');
      expect(await publicTexts()).toEqual([AT_ONCE]);
      await moderator.show('pending');
      await moderator.card('pending', HELD).waitFor();

      // Closed for posts: the phone's next post is refused as closed and nothing is stored.
      await page.getByRole('checkbox', { name: m.moderator_setting_open({}, da) }).uncheck();
      await save({ isOpen: false });
      const refused = await postNow('Og hvad med parkeringen ved Gentofte Rådhus?');
      expect(refused.ok ? null : refused.error.code).toBe('closed');
      expect((await serverPosts(talk)).map((p) => p.text)).toEqual([AT_ONCE, HELD]);

      // Open again: the phone is heard again.
      await page.getByRole('checkbox', { name: m.moderator_setting_open({}, da) }).check();
      await save({ isOpen: true });
      const LATER = 'Hvem skal vedligeholde de nye bænke ved søen?';
      const later = await postNow(LATER);
      expect(later.ok && later.data.post.status).toBe('pending');
      await expectAccessible(page, 'console with the settings saved');
    } finally {
      phone.close();
    }
  });

  it('[MC1] pending and visible cards show how long each post has waited, in whole minutes; answered ones do not', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const sessionId = talk.session.id;
    const [PENDING, VISIBLE, ANSWERED] = [
      'Hvornår bliver Jægersborg Vandtårn åbnet for publikum?',
      'Kan vi få en pumpebane ved Maglegårdsskolen?',
      'Hvorfor er der ikke flere ladestandere i Vangede?',
    ];
    await postFromPhones(talk, [PENDING, VISIBLE, ANSWERED]);
    const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    try {
      const posts = (await staff.send('session:join', { sessionId })).streams.staff?.posts ?? [];
      for (const text of [VISIBLE, ANSWERED]) {
        const post = posts.find((p) => p.text === text)!;
        const { post: approved } = await staff.send('post:approve', {
          sessionId,
          commandId: commandId(),
          postId: post.id,
          version: post.version,
        });
        if (text === ANSWERED)
          await staff.send('post:answer', {
            sessionId,
            commandId: commandId(),
            postId: approved.id,
            version: approved.version,
          });
      }
    } finally {
      staff.close();
    }
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    const waited = (minutes: number) => m.moderator_waiting({ minutes }, da);
    // Just posted: "Ventetid 0 min.".
    await moderator.card('pending', PENDING).getByText(waited(0), { exact: true }).waitFor();
    await moderator.show('visible');
    await moderator.card('visible', VISIBLE).getByText(waited(0), { exact: true }).waitFor();

    // Seven minutes later on the console's clock (the server's posts keep their times), the
    // cards say so at the console's next tick, without a reload.
    await moderator.page.clock.setFixedTime(Date.now() + 7 * 60_000 + 5_000);
    await moderator
      .card('visible', VISIBLE)
      .getByText(waited(7), { exact: true })
      .waitFor({ timeout: 30_000 });
    await moderator.show('pending');
    await moderator.card('pending', PENDING).getByText(waited(7), { exact: true }).waitFor();
    // An answered post has had its turn: no waiting time at all.
    const anyWait = new RegExp(
      `^${waited(999)
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace('999', '\\d+')}$`,
    );
    expect(await moderator.card('pending', PENDING).getByText(anyWait).count()).toBe(1);
    await moderator.show('answered');
    const answered = moderator.card('answered', ANSWERED);
    await answered.waitFor();
    expect(await answered.getByText(anyWait).count()).toBe(0);
    await expectAccessible(moderator.page, 'console with waiting times');
  });

  it("[FV3] [MC1] the console shows each visible post's exposure and sorts the least shown first", async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const texts = [
      'Hvornår bliver Gentofte Sø renset?',
      'Kan vi få flere træer på Lyngbyvej?',
      'Hvorfor lukker legepladsen i Ordrup Krat?',
    ];
    await postFromPhones(talk, texts);
    // Fresh voices on the wall, turning as fast as allowed.
    const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    try {
      const joined = await staff.send('session:join', { sessionId: talk.session.id });
      await staff.send('session:configure', {
        sessionId: talk.session.id,
        commandId: commandId(),
        version: joined.session.version,
        settings: { wallMode: 'fresh', rotationSeconds: 4 },
      });
    } finally {
      staff.close();
    }
    const wall = new WallPage(await newPage(WALL));
    await wall.goto(baseUrl, talk.session.id);
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    await moderator.show('visible');
    await moderator.page
      .getByRole('combobox', { name: m.moderator_sort_label({}, da) })
      .selectOption('exposure');
    const exposures = () =>
      moderator
        .queue('visible')
        .locator('[data-post-card]')
        .evaluateAll((cards) =>
          cards.map((card) => {
            const match = /(\d+)\s*$/.exec(
              card.querySelector('[data-exposure]')?.textContent ?? '',
            );
            return match ? Number(match[1]) : -1;
          }),
        );
    // The wall lists the posts and their wall seconds add up; the console shows it live.
    await expect
      .poll(async () => Math.max(...(await exposures())), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const shown = await exposures();
    expect(shown).toHaveLength(3);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
  });

  it("[Q3] [Q4] the speaker queue: reorder and call the next; the colleague, the room's numbers and the phones follow", async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const names = ['Karen', 'Jens', 'Mona'];
    const devices: string[] = [];
    for (const name of names) {
      const device = await registerDevice(baseUrl);
      devices.push(device);
      const phone = await NodeClient.connect(baseUrl, { device });
      try {
        await phone.send('session:join', { sessionId });
        await phone.send('mic:request', { sessionId, commandId: commandId(), name });
      } finally {
        phone.close();
      }
    }
    const first = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await first.goto(talk.moderatorUrl);
    const secondToken = await createModeratorLink(baseUrl, talk, 'Ordstyrer 2');
    const second = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await second.goto(`${baseUrl}/moderator/${sessionId}?token=${encodeURIComponent(secondToken)}`);
    const mic = (page: ModeratorPage) =>
      page.page.getByRole('region', { name: m.moderator_mic_heading({}, da) });
    const line = (page: ModeratorPage) =>
      mic(page)
        .getByRole('listitem')
        .evaluateAll((items) => items.map((item) => item.querySelector('.who')?.textContent));
    const ticket = (number: number, name: string) =>
      m.moderator_mic_ticket_named({ number, name }, da);
    await expect
      .poll(() => line(second))
      .toEqual([ticket(1, 'Karen'), ticket(2, 'Jens'), ticket(3, 'Mona')]);
    await expectAccessible(first.page, 'console with the speaker queue');

    // Mona moves up; the colleague's console follows.
    await mic(first)
      .getByRole('button', { name: m.moderator_mic_up({ number: 3 }, da) })
      .click();
    await expect
      .poll(() => line(second))
      .toEqual([ticket(1, 'Karen'), ticket(3, 'Mona'), ticket(2, 'Jens')]);
    // Karen is called; the room's numbers say who is next; Mona's phone is told she is next.
    await mic(second)
      .getByRole('button', { name: m.moderator_mic_call_next({}, da) })
      .click();
    await mic(first)
      .getByText(m.moderator_mic_current({ who: ticket(1, 'Karen') }, da))
      .waitFor();
    const snapshot = async (device?: string) => {
      const client = await NodeClient.connect(baseUrl, device ? { device } : {});
      try {
        return (await client.send('session:join', { sessionId })).streams;
      } finally {
        client.close();
      }
    };
    await expect
      .poll(async () => (await snapshot()).public.queue)
      .toEqual({ current: 1, next: 3, waiting: 2 });
    expect((await snapshot(devices[2])).private?.micTicket).toMatchObject({
      number: 3,
      status: 'next',
    });
    await mic(first)
      .getByRole('button', { name: m.moderator_mic_call_next({}, da) })
      .click();
    await mic(second)
      .getByText(m.moderator_mic_current({ who: ticket(3, 'Mona') }, da))
      .waitFor();
    expect((await snapshot(devices[2])).private?.micTicket).toMatchObject({ status: 'current' });
    expect(await line(first)).toEqual([ticket(2, 'Jens')]);
  });

  it('[Q1] [Q4] [AP6] [WL8] the speaker queue end to end in three browsers: the phone takes a number, the wall shows it next, the console calls it, the phone is told', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    // Someone asked for the microphone before this phone did (a Node socket: number 1).
    const before = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    try {
      await before.send('session:join', { sessionId });
      await before.send('mic:request', { sessionId, commandId: commandId(), name: 'Karen' });
    } finally {
      before.close();
    }
    const phone = new AttendeePage(await newPage(VIEWPORTS.phone));
    await phone.goto(baseUrl, sessionId);
    const wall = new WallPage(await newPage(WALL));
    await wall.goto(baseUrl, sessionId);
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    const mine = phone.page.getByRole('region', { name: m.attendee_mic_heading({}, da) });
    const told = (text: string) =>
      phone.page.locator('[aria-live="assertive"]', { hasText: text }).waitFor();
    const wallQueue = wall.page.getByRole('region', { name: m.wall_queue_heading({}, da) });
    const mic = moderator.page.getByRole('region', { name: m.moderator_mic_heading({}, da) });

    await wallQueue.getByText(m.wall_queue_next({ number: 1 }, da), { exact: true }).waitFor();
    // The phone takes a number: 2, second in line.
    await mine.getByRole('button', { name: m.attendee_mic_request({}, da) }).click();
    await mine.getByText(m.attendee_mic_your_number({ number: 2 }, da)).waitFor();
    await mine.getByText(m.attendee_mic_position({ position: 2 }, da)).waitFor();
    await mic.getByText(m.moderator_mic_ticket({ number: 2 }, da), { exact: true }).waitFor();

    // The console calls number 1 to the microphone: the wall shows "Næste: nr. 2" and the
    // phone is told it is next.
    await mic.getByRole('button', { name: m.moderator_mic_call_next({}, da) }).click();
    await wallQueue.getByText(m.wall_queue_next({ number: 2 }, da), { exact: true }).waitFor();
    await told(m.attendee_mic_next({}, da));
    await mine.getByText(m.attendee_mic_now({ number: 1 }, da)).waitFor();
    await expectAccessible(wall.page, 'wall with the speaker queue');

    // The console calls the next: it is this phone's turn, and nobody is next on the wall.
    await mic.getByRole('button', { name: m.moderator_mic_call_next({}, da) }).click();
    await told(m.attendee_mic_current({}, da));
    await mic
      .getByText(m.moderator_mic_current({ who: m.moderator_mic_ticket({ number: 2 }, da) }, da), {
        exact: true,
      })
      .waitFor();
    await wallQueue.waitFor({ state: 'detached' });
    await expectAccessible(phone.page, 'phone at the microphone');
  });

  it('[MC1] tag with a topic, direct to a panel member, turn a post into a topic, and filter by both', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const topic = await createTopic(baseUrl, talk, { title: 'Trafik og cykelstier' });
    const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    try {
      const joined = await staff.send('session:join', { sessionId });
      await staff.send('session:configure', {
        sessionId,
        commandId: commandId(),
        version: joined.session.version,
        settings: { panel: [{ id: 'pm_anna_hansen', name: 'Anna Hansen', party: 'Venstre' }] },
      });
    } finally {
      staff.close();
    }
    const [A, B] = [
      'Hvornår kommer der cykelsti på Ordrupvej?',
      'Idé: en fast legegade ved Munkegårdsskolen',
    ];
    await postFromPhones(talk, [A, B]);
    const moderator = new ModeratorPage(await newPage(VIEWPORTS.laptop));
    await moderator.goto(talk.moderatorUrl);
    await moderator.show('visible');

    const a = moderator.card('visible', A);
    await a.getByText(m.moderator_assign_open({}, da)).click();
    await a
      .getByRole('combobox', { name: m.moderator_assign_topic({}, da) })
      .selectOption(topic.id);
    await a
      .getByRole('combobox', { name: m.moderator_assign_panel({}, da) })
      .selectOption('pm_anna_hansen');
    await a.getByRole('button', { name: m.moderator_assign_save({}, da) }).click();
    await a.getByText(m.moderator_topic_badge({ title: topic.title }, da)).waitFor();
    await a.getByText(m.moderator_directed_badge({ name: 'Anna Hansen (Venstre)' }, da)).waitFor();
    await expectAccessible(moderator.page, 'console with topic and panel');

    const b = moderator.card('visible', B);
    await b.getByText(m.moderator_assign_open({}, da)).click();
    await b.getByRole('button', { name: m.moderator_to_topic({}, da) }).click();
    await b.getByText(/^Emne: /).waitFor();

    // The room sees it: the public view carries the topic and the panel member.
    const publicPosts = async () => {
      const client = await NodeClient.connect(baseUrl, {});
      try {
        return (await client.send('session:join', { sessionId })).streams.public.posts;
      } finally {
        client.close();
      }
    };
    const posts = await publicPosts();
    expect(posts.find((p) => p.text === A)).toMatchObject({
      topicId: topic.id,
      directedTo: 'pm_anna_hansen',
    });
    const newTopicId = posts.find((p) => p.text === B)?.topicId;
    expect(newTopicId).toBeTruthy();
    expect(newTopicId).not.toBe(topic.id);

    // Filters: by panel member, then by the new topic.
    const page = moderator.page;
    await page
      .getByRole('combobox', { name: m.moderator_filter_panel({}, da) })
      .selectOption('pm_anna_hansen');
    await expect.poll(() => moderator.card('visible', B).count()).toBe(0);
    await moderator.card('visible', A).waitFor();
    await page.getByRole('combobox', { name: m.moderator_filter_panel({}, da) }).selectOption('');
    await page
      .getByRole('combobox', { name: m.moderator_filter_topic({}, da) })
      .selectOption(newTopicId!);
    await expect.poll(() => moderator.card('visible', A).count()).toBe(0);
    await moderator.card('visible', B).waitFor();

    // Undo takes the tag off again (the topic stays: people may follow it already).
    await moderator.undoButton.click();
    await expect
      .poll(async () => (await publicPosts()).find((p) => p.text === B)?.topicId)
      .toBeNull();
  });

  it('passes axe in Danish and English at laptop size, with posts in every tab', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const texts = ['Hvornår kommer letbanen til Lyngby?', 'Kan vi få en hundeskov i Ordrup?'];
    await postFromPhones(talk, texts);
    for (const locale of ['da', 'en'] as const) {
      const page = await newPage(VIEWPORTS.laptop, locale === 'en' ? 'en' : undefined);
      const moderator = new ModeratorPage(page, locale);
      await moderator.goto(talk.moderatorUrl);
      await moderator.card('pending', texts[0]!).waitFor();
      await moderator
        .card('pending', texts[0]!)
        .getByText(m.moderator_hide_open({}, { locale }))
        .click();
      await expectAccessible(page, `console (${locale}, laptop)`);
      await page.getByText(m.moderator_settings_heading({}, { locale }), { exact: true }).click();
      await expectAccessible(page, `console with settings open (${locale}, laptop)`);
      await page.getByRole('button', { name: m.moderator_shortcuts_open({}, { locale }) }).click();
      await page.getByRole('dialog').waitFor();
      await expectAccessible(page, `console with the help open (${locale}, laptop)`);
      await page.keyboard.press('Escape');
      if (locale === 'da') await moderator.act('pending', texts[1]!, 'approve');
      await moderator.show('visible');
      await expectAccessible(page, `console, visible tab (${locale}, laptop)`);
      // No horizontal scroll at 320 px.
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        320,
      );
    }
  });
});
