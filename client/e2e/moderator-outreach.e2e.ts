// The outreach tablet (issue 5 item 5) end to end against the real server: one device at a
// stand takes a question and a follow-up from one person, "Næste person" clears every name and
// contact, and the next person's follow-up is theirs alone: each person signs up with a fresh
// anonymous device, so the tablet's own receipt holds nobody's details; and each question is
// its own voice, so the two merged carry two.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import type { Receipt, Result } from '@gt/protocol';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { commandId, createLiveTalk, ModeratorPage, NodeClient } from './support/live-pages.js';
import { createTopic, TopicsPage } from './support/receipt-pages.js';

const baseUrl = inject('baseUrl');
const da = { locale: 'da' } as const;
const TABLET = { width: 820, height: 1180 };
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

async function followUpNames(deviceToken: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/api/receipt`, {
    headers: { 'x-device-token': deviceToken },
  });
  const result = (await response.json()) as Result<Receipt>;
  if (!result.ok) throw new Error(result.error.message);
  return result.data.followUps.map((f) => f.followUp.name);
}

describeInBrowser('the outreach tablet', () => {
  it('[MC8] [F3] [M13] one tablet, two people: "Næste person" clears names and contacts, each follow-up is its own, and each question its own voice', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'pre' });
    const sessionId = talk.session.id;
    const topic = await createTopic(baseUrl, talk, { title: 'Cykelstier i Gentofte' });
    context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    const tablet = new ModeratorPage(page);
    await tablet.goto(talk.moderatorUrl);
    await page.getByRole('link', { name: m.moderator_outreach_link({}, da) }).click();
    await page
      .getByRole('heading', { name: m.moderator_outreach_title({ title: talk.session.title }, da) })
      .waitFor();
    await tablet.hydrated();
    await expectAccessible(page, 'outreach tablet');
    const topics = new TopicsPage(page);
    const floorName = tablet.floorForm.getByRole('textbox', {
      name: m.moderator_floor_name_label({}, da),
    });
    const cookieOf = async () =>
      (await context.cookies()).find((c) => c.name === `gt_outreach_${sessionId}`);

    // Person 1: a question with a name, then a follow-up.
    const FIRST = 'Hvorfor er der ikke en cykelsti langs Bernstorffsvej?';
    await tablet.floorText.fill(FIRST);
    await floorName.fill('Karen');
    await tablet.floorForm.getByRole('button', { name: m.moderator_floor_submit({}, da) }).click();
    await expect.poll(() => tablet.floorText.inputValue()).toBe('');
    await topics.fill(topic.title, {
      name: 'Karen Holm',
      email: 'karen@example.org',
      age: 'self',
      hasConsented: true,
    });
    await topics.submitButton(topic.title).click();
    await page.getByText(m.topics_followed({ title: topic.title }, da)).waitFor();
    const first = await cookieOf();
    expect(first).toMatchObject({ httpOnly: true, path: `/moderator/${sessionId}/outreach` });

    // "Næste person": every field empty, the person's device forgotten.
    await page.getByRole('button', { name: m.moderator_outreach_next({}, da) }).click();
    await page.getByText(m.moderator_outreach_ready({}, da)).waitFor();
    expect(await topics.field(topic.title, 'name').inputValue()).toBe('');
    expect(await topics.field(topic.title, 'email').inputValue()).toBe('');
    expect(await topics.consentBox(topic.title).isChecked()).toBe(false);
    expect(await floorName.inputValue()).toBe('');
    expect(await cookieOf()).toBeUndefined();
    // The keyboard is ready for the next person's question.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await expectAccessible(page, 'outreach tablet, next person');

    // Person 2.
    const SECOND = 'Kan skolen få en sikker overgang ved Gentofte Station?';
    await page.keyboard.type(SECOND);
    await tablet.floorForm.getByRole('button', { name: m.moderator_floor_submit({}, da) }).click();
    await expect.poll(() => tablet.floorText.inputValue()).toBe('');
    await topics.fill(topic.title, {
      name: 'Jens Berg',
      phone: '+45 20 30 40 50',
      age: 'self',
      hasConsented: true,
    });
    await topics.submitButton(topic.title).click();
    await page.getByText(m.topics_followed({ title: topic.title }, da)).waitFor();
    const second = await cookieOf();
    expect(second?.value).toBeTruthy();
    expect(second?.value).not.toBe(first?.value);

    // Each person's follow-up is theirs alone; the tablet's own device holds none of them.
    expect(await followUpNames(first!.value)).toEqual(['Karen Holm']);
    expect(await followUpNames(second!.value)).toEqual(['Jens Berg']);
    const tabletDevice = (await context.cookies()).find((c) => c.name === 'gt_device');
    expect(tabletDevice).toBeDefined();
    expect(await followUpNames(tabletDevice!.value)).toEqual([]);

    // Both questions are in, from the room, each its own post.
    const staff = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    try {
      const ack = await staff.send('session:join', { sessionId });
      const posts = ack.streams.staff?.posts ?? [];
      expect(posts.map((p) => [p.text, p.displayName, p.isFromRoom, p.status])).toEqual([
        [FIRST, 'Karen', true, 'visible'],
        [SECOND, null, true, 'visible'],
      ]);
      // [M13] Each submission is its own voice, though one tablet typed both: merged, the
      // two people's questions carry two voices, for the room as for staff.
      const [target, source] = posts;
      const { post: merged } = await staff.send('post:merge', {
        sessionId,
        commandId: commandId(),
        targetId: target!.id,
        targetVersion: target!.version,
        sourceIds: [source!.id],
        sourceVersions: [source!.version],
      });
      expect(merged.voices).toBe(2);
      const room = await NodeClient.connect(baseUrl, {});
      try {
        const seen = (await room.send('session:join', { sessionId })).streams.public.posts;
        expect(seen.map((p) => [p.text, p.voices])).toEqual([[FIRST, 2]]);
      } finally {
        room.close();
      }
    } finally {
      staff.close();
    }

    // In English too.
    await tablet.switchLanguage('en');
    await page
      .getByRole('button', { name: m.moderator_outreach_next({}, { locale: 'en' }) })
      .waitFor();
    await expectAccessible(page, 'outreach tablet (English)');
  });
});
