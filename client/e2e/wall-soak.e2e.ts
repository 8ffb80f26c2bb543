// [WL5] The wall over a long, busy session: 2,000 posts and 50,000 reactions sent through real
// Socket.IO connections as fast as the server takes them (its own server, rate limits off),
// while a moderator moves the highlight now and then. The wall's DOM must stay bounded: it
// shows a fixed number of things however many posts it holds. The counts are printed.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REACTIONS } from '@gt/core';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  commandId,
  createLiveTalk,
  expectCaughtUp,
  NodeClient,
  registerDevice,
  streamHeads,
  WallPage,
} from './support/live-pages.js';
import { startServer } from './support/server.js';
import type { RunningServer } from './support/server.js';
import { domNodeCount } from './support/wall.js';

const POSTS = 2_000;
const REACTION_TAPS = 50_000;
const PHONES = 20;
/** Commands in flight per phone: enough to keep the server busy, few enough to stay polite. */
const IN_FLIGHT = 8;
/**
 * The bound: the wall shows one highlighted post, three listed ones, how to join and one
 * count per reaction (about 100 elements with the page around it, measured). 200 leaves room
 * for the panel, the speaker queue and the participant count, and is far below what 2,000
 * posts would need if the wall kept them in the page (at least one element each).
 */
const DOM_BOUND = 200;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMITS: 'off' } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Run `count` tasks over `workers` loops, each keeping at most one task at a time. */
async function pool(count: number, workers: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

describeInBrowser('the wall over a long session', () => {
  it('[WL5] 2,000 posts and 50,000 reactions keep the wall DOM bounded', async () => {
    const base = server.url;
    const talk = await createLiveTalk(base, {
      title: 'Folkemødet: åben mikrofon',
      moderation: 'post',
    });
    const sessionId = talk.session.id;
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const wall = new WallPage(await context.newPage());
    await wall.goto(base, sessionId);
    const counts = [await domNodeCount(wall.page)];

    let isSending = true;
    const sampler = (async () => {
      while (isSending) {
        counts.push(await domNodeCount(wall.page));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })().catch((error: unknown) => error);

    const phones = await Promise.all(
      Array.from({ length: PHONES }, async () => {
        const phone = await NodeClient.connect(base, { device: await registerDevice(base) });
        await phone.send('session:join', { sessionId });
        return phone;
      }),
    );
    const moderator = await NodeClient.connect(base, { staff: talk.moderatorToken });
    await moderator.send('session:join', { sessionId });
    const startedAt = performance.now();
    try {
      await pool(POSTS, PHONES * IN_FLIGHT, async (i) => {
        const { post } = await phones[i % PHONES]!.send('post:create', {
          sessionId,
          commandId: commandId(),
          kind: i % 5 === 0 ? 'idea' : 'question',
          text: `Spørgsmål nr. ${i + 1}: hvad gør kommunen ved trafikken på Jægersborg Allé ved skoletid?`,
        });
        // Now and then the moderator puts one on the wall, so the wall keeps changing.
        if (i % 250 === 0)
          await moderator.send('post:highlight', {
            sessionId,
            commandId: commandId(),
            postId: post.id,
            version: post.version,
          });
      });
      const postsDone = performance.now();
      await pool(REACTION_TAPS, PHONES * IN_FLIGHT, async (i) => {
        await phones[i % PHONES]!.send('reaction:send', {
          sessionId,
          commandId: commandId(),
          reaction: REACTIONS[i % 5]!,
        });
      });
      console.log(
        `[WL5] sent ${POSTS} posts in ${((postsDone - startedAt) / 1000).toFixed(1)} s and ${REACTION_TAPS} reactions in ${((performance.now() - postsDone) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      isSending = false;
      throw error;
    } finally {
      for (const phone of phones) phone.close();
      moderator.close();
    }

    // The wall caught up with everything: every post entry, and every reaction in its counts.
    const heads = await streamHeads(base, sessionId, { staff: talk.moderatorToken });
    await expectCaughtUp(wall, 'public', heads.public);
    const shownTotal = async () => {
      let total = 0;
      for (const reaction of REACTIONS.slice(0, 5))
        total += Number(await wall.reactionCount(reaction));
      return total;
    };
    try {
      await expect.poll(shownTotal, { timeout: 30_000 }).toBe(REACTION_TAPS);
    } finally {
      isSending = false;
    }
    const samplerError = await sampler;
    expect(samplerError).toBeUndefined();
    counts.push(await domNodeCount(wall.page));

    const max = Math.max(...counts);
    console.log(
      `[WL5] wall DOM elements: ${counts[0]} at the start, at most ${max} over ${counts.length} samples, ${counts.at(-1)} at the end (bound ${DOM_BOUND})`,
    );
    expect(max).toBeLessThanOrEqual(DOM_BOUND);
    // It really listed and highlighted posts meanwhile: the bound is not met by an empty wall.
    await wall.highlighted.waitFor();
    expect(await wall.next.getByRole('listitem').count()).toBe(3);
    await context.close();
  }, 300_000);
});
