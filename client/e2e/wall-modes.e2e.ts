// [WL6] [WL7] The moderator's controls as the wall shows them, against the real server: the
// wall modes, freezing the wall and showing only the join QR, the wall's own language, the
// participant count and the panel. Settings change over a moderator's real socket; the wall
// follows live, without a reload, and passes axe in each state.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { cookieName } from '@gt/i18n/runtime';
import type { CommandAck } from '@gt/protocol';
import { expectAccessible } from './support/axe.js';
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
import type { LiveTalk } from './support/live-pages.js';
import { readQrFromScreenshot, saveScreenshot, wallLayout } from './support/wall.js';

const baseUrl = inject('baseUrl');
const FULL_HD = { width: 1920, height: 1080 };
const da = { locale: 'da' } as const;
const en = { locale: 'en' } as const;

const POSTS = {
  big: 'Hvordan sikrer vi, at de unge bliver hørt, når kommuneplanen skal revideres?',
  pinned: 'Hvornår åbner den nye skatepark ved Ordrup Station?',
  old: 'Kan der komme flere bænke langs Mølleåen?',
  other: 'Hvad koster det at holde biblioteket åbent om søndagen?',
  late: 'Hvorfor er der så lidt lys på stien ved Gentofte Sø om aftenen?',
};

let browser: Browser;
const contexts: BrowserContext[] = [];
let talk: LiveTalk;
let moderator: NodeClient;
/** The session's settings version, as the last acknowledgement gave it. */
let version: number;
const posts: Record<string, { id: string; version: number }> = {};

beforeAll(async () => {
  browser = await launchChromium();
  talk = await createLiveTalk(baseUrl, { title: 'Ungdomsrådet møder byrådet', moderation: 'post' });
  moderator = await NodeClient.connect(baseUrl, { staff: talk.moderatorToken });
  version = (await moderator.send('session:join', { sessionId: talk.session.id })).session.version;
  for (const [key, text] of Object.entries(POSTS)) {
    if (key === 'late') continue;
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    try {
      await phone.send('session:join', { sessionId: talk.session.id });
      const { post } = await phone.send('post:create', {
        sessionId: talk.session.id,
        commandId: commandId(),
        kind: 'question',
        text,
      });
      posts[key] = post;
    } finally {
      phone.close();
    }
  }
  await moderate('post:highlight', 'big');
  await moderate('post:pin', 'pinned');
}, 60_000);
afterAll(async () => {
  moderator?.close();
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
});

async function moderate(
  name: 'post:highlight' | 'post:pin' | 'post:hide' | 'post:direct',
  key: string,
  extra: Record<string, unknown> = {},
) {
  const post = posts[key]!;
  const ack = (await moderator.send(name, {
    sessionId: talk.session.id,
    commandId: commandId(),
    postId: post.id,
    version: post.version,
    ...(name === 'post:hide' ? { reason: 'Uden for emnet' } : {}),
    ...extra,
  })) as CommandAck<'post:highlight'>;
  posts[key] = ack.post;
}

/** A new question from its own phone; post-moderation, so it is visible at once. */
async function postFromPhone(text: string) {
  const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
  try {
    await phone.send('session:join', { sessionId: talk.session.id });
    return (
      await phone.send('post:create', {
        sessionId: talk.session.id,
        commandId: commandId(),
        kind: 'question',
        text,
      })
    ).post;
  } finally {
    phone.close();
  }
}

async function configure(settings: Record<string, unknown>) {
  const { session } = await moderator.send('session:configure', {
    sessionId: talk.session.id,
    commandId: commandId(),
    version,
    settings,
  });
  version = session.version;
}

async function openWall(locale: 'da' | 'en' = 'da') {
  const context = await browser.newContext({ viewport: FULL_HD });
  contexts.push(context);
  await context.addCookies([{ name: cookieName, value: locale, url: baseUrl }]);
  const wall = new WallPage(await context.newPage(), locale);
  await wall.goto(baseUrl, talk.session.id);
  return wall;
}

/** The wall has applied everything the server has published so far. */
async function caughtUp(wall: WallPage) {
  const heads = await streamHeads(baseUrl, talk.session.id, { staff: talk.moderatorToken });
  await expectCaughtUp(wall, 'public', heads.public);
}

const nextRegion = (wall: WallPage, heading: string) =>
  wall.page.getByRole('region', { name: heading });

describeInBrowser('the wall follows the moderator’s controls', () => {
  it('[WL6] wall modes: highlight only; + top; + fresh voices; pinned only', async () => {
    const wall = await openWall();
    // The default, "top": the highlighted post and the others, pinned first.
    await wall.highlighted.getByText(POSTS.big).waitFor();
    const top = nextRegion(wall, m.wall_next_heading({}, da));
    await expect
      .poll(() => top.getByRole('listitem').allTextContents())
      .toEqual([POSTS.pinned, POSTS.old, POSTS.other]);
    expect(await wall.page.locator('.wall').getAttribute('data-mode')).toBe('top');

    await configure({ wallMode: 'highlight' });
    await expect.poll(() => wall.page.locator('.wall').getAttribute('data-mode')).toBe('highlight');
    expect(await wall.page.locator('.next').count()).toBe(0);
    await wall.highlighted.getByText(POSTS.big).waitFor();
    await expectAccessible(wall.page, 'wall, highlight only');

    await configure({ wallMode: 'pinned' });
    const pinned = nextRegion(wall, m.wall_pinned_heading({}, da));
    await expect.poll(() => pinned.getByRole('listitem').allTextContents()).toEqual([POSTS.pinned]);

    // Fresh voices: the wall lists exactly the server's rotation, turn after turn. A plain
    // public socket (what any wall holds) hears the same turns.
    const extra = [
      'Kan skolerne få mere idræt om eftermiddagen?',
      'Hvem bestemmer, hvor de nye ladestandere kommer til at stå?',
    ];
    const textOf = new Map(Object.entries(POSTS).map(([key, text]) => [posts[key]?.id, text]));
    for (const text of extra) textOf.set((await postFromPhone(text)).id, text);
    const listener = await NodeClient.connect(baseUrl, {});
    const turns: string[][] = [];
    listener.socket.on('wall:rotation', (turn: { postIds: string[] }) => turns.push(turn.postIds));
    try {
      await listener.send('session:join', { sessionId: talk.session.id });
      await configure({ wallMode: 'fresh', rotationSeconds: 4 });
      const fresh = nextRegion(wall, m.wall_fresh_heading({}, da));
      const seen: string[][] = [];
      while (seen.length < 2) {
        await expect.poll(() => turns.length, { timeout: 20_000 }).toBeGreaterThan(0);
        await expect
          .poll(
            async () => {
              const latest = (turns.at(-1) ?? []).map((id) => textOf.get(id));
              const shown = await fresh.getByRole('listitem').allTextContents();
              return JSON.stringify(shown) === JSON.stringify(latest) ? latest : null;
            },
            { timeout: 20_000 },
          )
          .not.toBeNull();
        const shown = await fresh.getByRole('listitem').allTextContents();
        if (!seen.some((set) => JSON.stringify(set) === JSON.stringify(shown))) seen.push(shown);
        if (seen.length < 2) {
          const count = turns.length;
          await expect.poll(() => turns.length, { timeout: 20_000 }).toBeGreaterThan(count);
        }
      }
      console.log(`[WL6] the wall followed ${seen.length} different fresh-voices sets`);
      expect(seen.every((set) => set.length === 3 && !set.includes(POSTS.big))).toBe(true);
    } finally {
      listener.close();
    }
    expect((await wallLayout(wall.page)).problems).toEqual([]);
    await expectAccessible(wall.page, 'wall, fresh voices');

    await configure({ wallMode: 'top' });
    await top.waitFor();
  });

  it('[WL6] freeze keeps what the wall shows, except a post that is hidden; "none" lets it go on', async () => {
    const wall = await openWall();
    await wall.highlighted.getByText(POSTS.big).waitFor();
    await configure({ wallOverride: 'freeze' });
    await expect
      .poll(() => wall.page.locator('.wall').getAttribute('data-override'))
      .toBe('freeze');

    // The room moves on: a new question, another highlight. The frozen wall does not.
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    try {
      await phone.send('session:join', { sessionId: talk.session.id });
      await phone.send('post:create', {
        sessionId: talk.session.id,
        commandId: commandId(),
        kind: 'question',
        text: POSTS.late,
      });
    } finally {
      phone.close();
    }
    await moderate('post:highlight', 'other');
    await caughtUp(wall);
    expect(await wall.highlighted.textContent()).toBe(POSTS.big);
    expect(await wall.page.getByText(POSTS.late).count()).toBe(0);
    await expectAccessible(wall.page, 'wall, frozen');

    // A hidden post leaves even a frozen wall (SPEC S6, M2).
    await moderate('post:hide', 'pinned');
    await wall.page.getByText(POSTS.pinned).waitFor({ state: 'detached' });
    expect(await wall.highlighted.textContent()).toBe(POSTS.big);

    await configure({ wallOverride: 'none' });
    await wall.highlighted.getByText(POSTS.other).waitFor();
  });

  it('[WL6] "qr" shows only how to join, large, and the QR code decodes from a screenshot', async () => {
    const wall = await openWall();
    await wall.highlighted.waitFor();
    await configure({ wallOverride: 'qr' });
    await expect.poll(() => wall.page.locator('.wall').getAttribute('data-override')).toBe('qr');
    expect(await wall.page.locator('blockquote, .next, .reactions').count()).toBe(0);
    await wall.qrLoaded();
    const qr = await wall.qrCode.boundingBox();
    expect(qr?.height).toBeGreaterThanOrEqual(500);
    expect(await readQrFromScreenshot(wall.page)).toEqual({
      data: `${baseUrl}/j/${talk.session.joinCode}`,
      problems: [],
    });
    await wall.joinCode(talk.session.joinCode).waitFor();
    expect((await wallLayout(wall.page)).problems).toEqual([]);
    await saveScreenshot(wall.page, 'wall-qr-only');
    await expectAccessible(wall.page, 'wall, only the QR code');
    await configure({ wallOverride: 'none' });
    await wall.highlighted.waitFor();
  });

  it('[WL7] the wall speaks the session’s wall language, whatever the browser’s cookie says', async () => {
    await configure({ wallLanguage: 'en' });
    const wall = await openWall('da');
    await nextRegion(wall, m.wall_next_heading({}, en)).waitFor();
    expect(await wall.page.locator('.wall').getAttribute('lang')).toBe('en');
    await wall.page.getByRole('heading', { name: m.wall_join_heading({}, en) }).waitFor();
    await expectAccessible(wall.page, 'wall in English under a Danish cookie');
    // Switched live: the open wall follows.
    await configure({ wallLanguage: 'da' });
    await nextRegion(wall, m.wall_next_heading({}, da)).waitFor();
    const english = await openWall('en');
    await nextRegion(english, m.wall_next_heading({}, da)).waitFor();
    expect(await english.page.locator('.wall').getAttribute('lang')).toBe('da');
    await expectAccessible(english.page, 'wall in Danish under an English cookie');
  });

  it('[WL6] the participant count when it is on, the panel with names and parties, and the member a question is directed to', async () => {
    const wall = await openWall();
    await configure({
      showParticipantCount: true,
      panel: [
        { id: 'panel_0001', name: 'Mette Nielsen', party: 'Venstre' },
        { id: 'panel_0002', name: 'Ahmad Karimi', party: 'Socialdemokratiet' },
      ],
    });
    const panel = wall.page.getByRole('region', { name: m.wall_panel_heading({}, da) });
    await expect
      .poll(() => panel.getByRole('listitem').allTextContents())
      .toEqual(['Mette Nielsen (Venstre)', 'Ahmad Karimi (Socialdemokratiet)']);
    const phones = await Promise.all(
      [1, 2].map(async () => {
        const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
        await phone.send('session:join', { sessionId: talk.session.id });
        return phone;
      }),
    );
    try {
      await wall.page.getByText(m.wall_participants({ count: 2 }, da)).waitFor();
      await saveScreenshot(wall.page, 'wall-panel-participants');
      await expectAccessible(wall.page, 'wall with the panel and the participant count');
      phones.pop()?.close();
      await wall.page.getByText(m.wall_participants_one({}, da)).waitFor();
    } finally {
      for (const phone of phones) phone.close();
    }
    await configure({ showParticipantCount: false });
    await wall.page.locator('.participants').waitFor({ state: 'detached' });

    // The highlighted question, directed to a member of the panel, says so under it.
    await moderate('post:highlight', 'old');
    await moderate('post:direct', 'old', { panelMemberId: 'panel_0002' });
    const caption = wall.page.locator('.now figcaption');
    await wall.highlighted.getByText(POSTS.old).waitFor();
    await caption
      .getByText(`${m.wall_directed_to({ name: 'Ahmad Karimi' }, da)} (Socialdemokratiet)`)
      .waitFor();
    await expectAccessible(wall.page, 'wall with a question directed to a panel member');
    await moderate('post:direct', 'old', { panelMemberId: null });
    await caption.locator('.directed').waitFor({ state: 'detached' });
  });
  it('[WL8] the speaker queue’s next number, never a name: "Næste: nr. 2" after the first is called', async () => {
    const wall = await openWall();
    await wall.highlighted.waitFor();
    const queue = () => wall.page.getByRole('region', { name: m.wall_queue_heading({}, da) });
    const phones = await Promise.all(
      [1, 2, 3].map(async () => {
        const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
        await phone.send('session:join', { sessionId: talk.session.id });
        return phone;
      }),
    );
    try {
      const tickets = [];
      for (const [i, phone] of phones.entries())
        tickets.push(
          (
            await phone.send('mic:request', {
              sessionId: talk.session.id,
              commandId: commandId(),
              name: `Borger ${i + 1}`,
            })
          ).ticket,
        );
      const [first, second, third] = tickets.map((t) => t.number);
      await queue()
        .getByText(m.wall_queue_next({ number: first! }, da))
        .waitFor();
      // Numbers only: the names the phones gave reach staff, never the wall.
      expect(await wall.page.getByText('Borger 1').count()).toBe(0);
      await expectAccessible(wall.page, 'wall with the speaker queue');

      const callNext = () =>
        moderator.send('mic:call-next', { sessionId: talk.session.id, commandId: commandId() });
      await callNext();
      await queue()
        .getByText(m.wall_queue_next({ number: second! }, da))
        .waitFor();
      await phones[1]!.send('mic:cancel', {
        sessionId: talk.session.id,
        commandId: commandId(),
        ticketId: tickets[1]!.ticketId,
      });
      await queue()
        .getByText(m.wall_queue_next({ number: third! }, da))
        .waitFor();
      // The last one is called: nobody waits, so the wall no longer shows a next number.
      await callNext();
      await queue().waitFor({ state: 'detached' });
    } finally {
      for (const phone of phones) phone.close();
    }
  });
});
