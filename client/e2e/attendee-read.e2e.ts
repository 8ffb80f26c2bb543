// Reading and not repeating: while typing, the phone offers posts already in the room that ask
// the same thing (the duplicate hint), each with its upvote button, without ever blocking the
// post. The list sorts three ways and does not move under the reader's thumb: new posts wait
// behind a "3 new" button that is announced politely; the reader's own post appears at once.
// What the phone shows in its list's first screenful counts as exposure, once per device.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { createTalk } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  commandId,
  createLiveTalk,
  NodeClient,
  registerDevice,
} from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';

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

/** Another phone in the room, as a plain Socket.IO client, joined to the talk. */
async function otherPhone(sessionId: string): Promise<NodeClient> {
  const client = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
  clients.push(client);
  await client.send('session:join', { sessionId });
  return client;
}

async function postFrom(client: NodeClient, sessionId: string, text: string) {
  const { post } = await client.send('post:create', {
    sessionId,
    commandId: commandId(),
    kind: 'question',
    text,
  });
  return post;
}

describeInBrowser('reading the room from a phone', () => {
  it('[D5] while typing, a similar post in the room is offered with its upvote, and posting still works', async () => {
    const talk = await createTalk(baseUrl, { moderation: 'post' });
    const other = await otherPhone(talk.id);
    const existing = 'Hvornår kommer der en sikker cykelsti langs Strandvejen?';
    await postFrom(other, talk.id, existing);
    await postFrom(other, talk.id, 'Kan biblioteket holde åbent om søndagen?');

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, talk.id);
    await attendee.roomPost(existing).waitFor();

    // Other case, other word order, a word more: still offered, and said politely.
    const typed = 'langs strandvejen: kommer der snart en sikker cykelsti?';
    await attendee.textField.pressSequentially(typed, { delay: 5 });
    await attendee.similarPost(existing).waitFor({ timeout: 15_000 });
    await expect(attendee.similarPosts.getByRole('listitem').count()).resolves.toBe(1);
    const liveRegion = attendee.page.locator('[aria-live="polite"]', {
      hasText: m.attendee_similar_found_one({}, da),
    });
    await liveRegion.waitFor({ state: 'attached' });
    await expectAccessible(attendee.page, 'attendee page with the duplicate hint');

    // Upvoting from the hint is the same vote as in the list.
    const hintVote = attendee.similarPost(existing).getByRole('button', {
      name: m.attendee_upvote({}, da),
    });
    await hintVote.click();
    await expect.poll(() => hintVote.getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => attendee.upvoteButton(existing).getAttribute('aria-pressed'))
      .toBe('true');
    await attendee.roomPost(existing).getByText(m.attendee_votes_one({}, da)).waitFor();
    // The typed text is untouched by the hint.
    expect(await attendee.textField.inputValue()).toBe(typed);

    // A hint, never a gate: the post goes out, and the hint goes away with the text.
    await attendee.sendButton.click();
    await attendee.myPost(typed).getByText(m.attendee_status_visible({}, da)).waitFor();
    await expect(attendee.similarPosts.count()).resolves.toBe(0);
    await attendee.roomPost(typed).waitFor();
  });

  it('[AP1][AP2] new posts wait behind "3 new", votes do not reorder the list, own posts appear at once', async () => {
    const talk = await createTalk(baseUrl, { moderation: 'post' });
    const other = await otherPhone(talk.id);
    const first = await postFrom(other, talk.id, 'Hvad koster den nye skole i Ordrup?');
    const second = await postFrom(
      other,
      talk.id,
      'Hvorfor er der så få bænke i Bernstorffsparken?',
    );

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, talk.id);
    await attendee.roomPost(second.text).waitFor();
    // "Top" with no votes: the older post first.
    expect(await attendee.roomTexts()).toEqual([first.text, second.text]);

    // Votes for the second post do not move it above the first under the reader's thumb.
    await other.send('post:upvote', {
      sessionId: talk.id,
      commandId: commandId(),
      postId: second.id,
      isOn: true,
    });
    await attendee.roomPost(second.text).getByText(m.attendee_votes_one({}, da)).waitFor();
    expect(await attendee.roomTexts()).toEqual([first.text, second.text]);

    // Three posts arrive: they wait, and the page says so, politely.
    const later = [
      'Kan vi få flere ladestandere til elbiler?',
      'Hvornår åbner den nye svømmehal?',
      'Må hunde komme med på biblioteket?',
    ];
    for (const text of later) await postFrom(other, talk.id, text);
    await attendee.showNewButton(3).waitFor({ timeout: 15_000 });
    await attendee.page
      .locator('[aria-live="polite"]', { hasText: m.attendee_new_posts({ count: 3 }, da) })
      .waitFor({ state: 'attached' });
    expect(await attendee.roomTexts()).toEqual([first.text, second.text]);
    await expectAccessible(attendee.page, 'attendee page with new posts waiting');

    // The reader's own post is there at once; the others still wait.
    const own = 'Hvem bestemmer, hvor de nye cykelstativer kommer?';
    await attendee.post(own);
    await attendee.roomPost(own).waitFor();
    await attendee.showNewButton(3).waitFor();

    // Asked for, they come, in the chosen order, and the reader is taken to the list's top.
    await attendee.showNewButton(3).click();
    await expect.poll(() => attendee.roomTexts()).toHaveLength(6);
    expect((await attendee.roomTexts()).slice(0, 1)).toEqual([second.text]);
    await expect(attendee.showNewButton(3).count()).resolves.toBe(0);
    const focused = await attendee.page.evaluate(() => document.activeElement?.textContent);
    expect(focused).toBe(m.attendee_posts_heading({}, da));

    // "New": newest first. "Fresh voices" (least seen first, by the server's exposure, which
    // the wall's rotation and every phone's impressions keep moving; its rule is unit-tested)
    // lists the same posts and says what it means.
    await attendee.orderButton('new').click();
    await expect.poll(() => attendee.orderButton('new').getAttribute('aria-pressed')).toBe('true');
    expect((await attendee.roomTexts())[0]).toBe(own);
    await attendee.orderButton('fresh').click();
    await expect
      .poll(() => attendee.orderButton('fresh').getAttribute('aria-pressed'))
      .toBe('true');
    expect((await attendee.roomTexts()).sort()).toEqual(
      [first.text, second.text, ...later, own].sort(),
    );
    await attendee.page.getByText(m.attendee_order_fresh_hint({}, da)).waitFor();
    await expectAccessible(attendee.page, 'attendee page sorted by fresh voices');
  });

  it('[AP5][K3] the posts of the first screenful count one impression each once on screen, once per device', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    // No wall rotation here, so a post's exposure is its impressions alone.
    const moderator = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    clients.push(moderator);
    const { session } = await moderator.send('session:join', { sessionId });
    await moderator.send('session:configure', {
      sessionId,
      commandId: commandId(),
      version: session.version,
      settings: { wallMode: 'highlight' },
    });
    const other = await otherPhone(sessionId);
    const posts: Awaited<ReturnType<typeof postFrom>>[] = [];
    for (let i = 1; i <= 3; i++)
      posts.push(await postFrom(other, sessionId, `Spørgsmål nummer ${i} om trafikken i Gentofte`));
    const exposure = async () => {
      const ack = await moderator.send('session:join', { sessionId });
      return posts.map((post) => ack.counts.exposure?.[post.id] ?? 0);
    };
    expect(await exposure()).toEqual([0, 0, 0]);

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    const reports: string[] = [];
    attendee.page.on('websocket', (ws) =>
      ws.on('framesent', (frame) => {
        if (typeof frame.payload === 'string' && frame.payload.includes('"exposure:report"'))
          reports.push(frame.payload);
      }),
    );
    await attendee.goto(baseUrl, sessionId);
    await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');
    await attendee.roomPosts.scrollIntoViewIfNeeded();
    await attendee.roomPost(posts[2]!.text).scrollIntoViewIfNeeded();
    await expect.poll(exposure, { timeout: 15_000 }).toEqual([1, 1, 1]);
    expect(reports.length).toBeGreaterThan(0);

    // Seen again after a reload, and in another order: not reported again.
    const sent = reports.length;
    await attendee.page.reload();
    await attendee.hydrated();
    await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');
    await attendee.roomPost(posts[2]!.text).scrollIntoViewIfNeeded();
    await attendee.orderButton('new').click();
    await attendee.roomPost(posts[0]!.text).scrollIntoViewIfNeeded();
    // A post arriving now is new to this phone: it is reported once it is shown and seen.
    const late = await postFrom(other, sessionId, 'Et sent spørgsmål om parkering ved rådhuset');
    await attendee.showNewButton(1).click();
    await attendee.roomPost(late.text).scrollIntoViewIfNeeded();
    await expect
      .poll(
        async () => {
          const ack = await moderator.send('session:join', { sessionId });
          return ack.counts.exposure?.[late.id] ?? 0;
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await exposure()).toEqual([1, 1, 1]);
    const again = reports.slice(sent).join('\n');
    for (const post of posts) expect(again).not.toContain(post.id);
  });

  it('[AP9] [M13] [M7] [P8] the list shows what the moderator did: merged texts with names and voices, a correction with the original wording, a post from the room', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const moderator = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
    clients.push(moderator);
    await moderator.send('session:join', { sessionId });
    const texts = {
      target: 'Kan biblioteket holde åbent om søndagen?',
      named: 'Søndagsåbent på biblioteket, tak!',
      anonymous: 'Hvorfor er biblioteket lukket om søndagen?',
      typo: 'Hvornår bliver Bernstorfsvej asfalteret?',
      fixed: 'Hvornår bliver Bernstorffsvej asfalteret?',
      room: 'Spurgt højt: kommer der flere p-pladser ved rådhuset?',
    };
    const target = await postFrom(await otherPhone(sessionId), sessionId, texts.target);
    const { post: named } = await (
      await otherPhone(sessionId)
    ).send('post:create', {
      sessionId,
      commandId: commandId(),
      kind: 'idea',
      text: texts.named,
      displayName: 'Birgit',
    });
    const anonymous = await postFrom(await otherPhone(sessionId), sessionId, texts.anonymous);
    const typo = await postFrom(await otherPhone(sessionId), sessionId, texts.typo);
    await moderator.send('post:create-from-room', {
      sessionId,
      commandId: commandId(),
      kind: 'question',
      text: texts.room,
    });

    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const attendee = new AttendeePage(await context.newPage());
    await attendee.goto(baseUrl, sessionId);
    await attendee.roomPost(texts.typo).waitFor();

    // Live, while the phone reads: a merge and a correction.
    await moderator.send('post:merge', {
      sessionId,
      commandId: commandId(),
      targetId: target.id,
      targetVersion: target.version,
      sourceIds: [named.id, anonymous.id],
      sourceVersions: [named.version, anonymous.version],
    });
    await moderator.send('post:edit', {
      sessionId,
      commandId: commandId(),
      postId: typo.id,
      version: typo.version,
      text: texts.fixed,
    });

    // The merged posts leave the list and show under the one they were merged into.
    const merged = attendee.roomPost(texts.target);
    await merged.getByText(m.attendee_merged_heading({ voices: 3 }, da)).waitFor();
    const under = merged.getByRole('listitem');
    await expect.poll(() => under.allTextContents()).toHaveLength(2);
    const [first, second] = (await under.allTextContents()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
    expect(first).toBe(`${texts.named} – Birgit`);
    expect(second).toBe(texts.anonymous);
    expect(await attendee.roomTexts()).not.toContain(texts.named);
    expect(await attendee.roomTexts()).not.toContain(texts.anonymous);

    // The correction is said, and the author's own words are one tap away.
    const corrected = attendee.roomPost(texts.fixed);
    await corrected.waitFor();
    const disclosure = corrected.getByText(m.attendee_edited_summary({}, da));
    const original = corrected.getByText(texts.typo, { exact: true });
    expect(await original.isVisible()).toBe(false);
    await disclosure.click();
    await original.waitFor();
    await corrected.getByText(m.attendee_edited_original({}, da)).waitFor();

    // The question asked aloud is marked as such.
    await attendee.roomPost(texts.room).getByText(m.attendee_badge_from_room({}, da)).waitFor();
    expect(
      await attendee.roomPost(texts.target).getByText(m.attendee_badge_from_room({}, da)).count(),
    ).toBe(0);
    await expectAccessible(attendee.page, 'attendee list with merged, corrected and room posts');

    // A reload renders the same on the server.
    await attendee.page.reload();
    await attendee.hydrated();
    await merged.getByText(m.attendee_merged_heading({ voices: 3 }, da)).waitFor();
    await corrected.getByText(m.attendee_edited_summary({}, da)).waitFor();
  });
});
