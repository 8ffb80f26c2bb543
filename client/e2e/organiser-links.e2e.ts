// [T5] The organiser's page lists every talk of an event with what the day needs (code, join
// and wall links, QR code, the console) and manages its moderator links: a new link's address
// is shown once; revoking it on /organiser turns a console open with it read-only at once, and
// the link opens nothing afterwards.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import type { LoginAck } from '@gt/protocol';
import { post } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { ModeratorPage, NodeClient, commandId, registerDevice } from './support/live-pages.js';
import { OrganiserPage, VIEWPORTS } from './support/pages.js';
import { ORGANISER } from './support/server.js';

const baseUrl = inject('baseUrl');
const da = { locale: 'da' } as const;
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

async function laptop(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORTS.laptop });
  contexts.push(context);
  return context;
}

describeInBrowser('[O1] [T5] the organiser manages a talk’s moderator links', () => {
  it('lists the talk with its code, links, QR and console; a second link is issued, opens a console, and revoking it makes that console read-only and the link useless', async () => {
    const organiserContext = await laptop();
    const organiser = new OrganiserPage(await organiserContext.newPage());
    await organiser.goto(baseUrl);
    await organiser.logIn(ORGANISER.email, ORGANISER.password);
    const eventTitle = 'Folkemøde på Gentofte Hovedbibliotek';
    await organiser.createEvent(eventTitle);
    const title = 'Biblioteket om aftenen';
    await organiser.createTalk(eventTitle, title, 'pre');
    const created = await organiser.readCreatedTalk(title);

    // The event lists the talk with everything the day needs.
    await organiser.goto(baseUrl);
    const talk = organiser.talk(title);
    await talk.waitFor();
    expect(
      await talk.getByText(`${created.code.slice(0, 3)} ${created.code.slice(3)}`).count(),
    ).toBe(1);
    expect(await talk.getByRole('link', { name: created.joinUrl }).getAttribute('href')).toBe(
      created.joinUrl,
    );
    const wallHref = await talk.getByRole('link', { name: /\/wall\// }).getAttribute('href');
    const sessionId = /\/wall\/([\w-]+)$/.exec(wallHref ?? '')?.[1] ?? '';
    expect(sessionId).not.toBe('');
    const qr = talk.getByRole('img', { name: m.session_qr_alt({ url: created.joinUrl }, da) });
    await qr.scrollIntoViewIfNeeded();
    await expect
      .poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    // The first link, made with the talk, is listed by its label; its address is not.
    await talk.getByText('Ordstyrer 1', { exact: true }).waitFor();
    expect(await talk.getByRole('link', { name: /token=/ }).count()).toBe(0);
    await expectAccessible(organiser.page, 'organiser page listing a talk and its links');

    // A second link, for a volunteer: its address is shown once.
    const label = 'Frivillig ved scenen';
    const url = await organiser.issueLink(title, label);
    expect(url).toMatch(new RegExp(`^${baseUrl}/moderator/${sessionId}\\?token=.+`));
    await expectAccessible(organiser.page, 'organiser page with a new link shown');
    await organiser.page.reload();
    await organiser.talk(title).getByText(label, { exact: true }).waitFor();
    expect(
      await organiser
        .talk(title)
        .getByRole('link', { name: /token=/ })
        .count(),
    ).toBe(0);

    // The organiser's own login opens the console from the list.
    await organiser
      .talk(title)
      .getByRole('link', { name: m.talk_console_link({}, da), exact: true })
      .click();
    await organiser.page.waitForURL(`${baseUrl}/moderator/${sessionId}`);
    await new ModeratorPage(organiser.page).queue('pending').waitFor();
    await organiser.goto(baseUrl);

    // The volunteer opens the new link in their own browser, and moderates with it.
    const texts = [
      'Kan biblioteket holde åbent til kl. 22 i eksamensperioden?',
      'Hvorfor er der ikke flere stikkontakter i læsesalen?',
    ] as const;
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    try {
      for (const text of texts)
        await phone.send('post:create', {
          sessionId,
          commandId: commandId(),
          kind: 'question',
          text,
        });
    } finally {
      phone.close();
    }
    const volunteerContext = await laptop();
    const volunteer = new ModeratorPage(await volunteerContext.newPage());
    await volunteer.goto(url);
    await volunteer.card('pending', texts[1]).waitFor();
    await volunteer.act('pending', texts[0], 'approve');
    await volunteer.show('visible');
    await volunteer.card('visible', texts[0]).waitFor();
    expect(await volunteer.page.getByText(m.moderator_revoked({}, da)).count()).toBe(0);

    // Revoked on /organiser: the open console says so at once, and can no longer act.
    await organiser.revokeLink(title, label);
    await organiser
      .talk(title)
      .getByText(new RegExp(`^${m.talk_link_revoked({ date: '' }, da)}`))
      .waitFor();
    await volunteer.page.getByRole('alert').getByText(m.moderator_revoked({}, da)).waitFor();
    await expectAccessible(volunteer.page, 'console after its link was revoked');
    await volunteer.act('visible', texts[0], 'highlight');
    await volunteer.page.getByText(m.moderator_notice_forbidden({}, da)).waitFor();
    // What waits for a moderator is staff-only: the console no longer holds it.
    await volunteer.show('pending');
    await expect.poll(() => volunteer.card('pending', texts[1]).count()).toBe(0);
    const { staffToken } = await post<LoginAck>(`${baseUrl}/api/login`, ORGANISER);
    const staff = await NodeClient.connect(baseUrl, { staff: staffToken });
    try {
      const join = await staff.send('session:join', { sessionId });
      expect(join.streams.staff?.posts.map((p) => [p.text, p.status, p.isHighlighted])).toEqual([
        [texts[0], 'visible', false],
        [texts[1], 'pending', false],
      ]);
    } finally {
      staff.close();
    }

    // The link opens nothing any more, in a fresh browser too.
    const laterContext = await laptop();
    const later = await laterContext.newPage();
    const response = await later.goto(url);
    expect(response?.status()).toBe(403);
    await later.getByText(m.moderator_no_access({}, da)).waitFor();
    await expectAccessible(later, 'a revoked link');
  }, 180_000);
  it('[O1] lists the talks of the three newest events at once; an older event lists its talks when asked', async () => {
    const organiser = new OrganiserPage(await (await laptop()).newPage());
    await organiser.goto(baseUrl);
    await organiser.logIn(ORGANISER.email, ORGANISER.password);
    const stamp = Date.now().toString(36);
    const oldest = `Vinterens borgermøde ${stamp}`;
    await organiser.createEvent(oldest);
    await organiser.createTalk(oldest, `Skolevejen ${stamp}`, 'pre');
    for (const n of [1, 2, 3]) await organiser.createEvent(`Nyere arrangement ${n} ${stamp}`);

    await organiser.goto(baseUrl);
    await organiser.page.getByRole('heading', { name: `Nyere arrangement 1 ${stamp}` }).waitFor();
    // Not listed yet: the page offers it instead.
    expect(await organiser.talk(`Skolevejen ${stamp}`).count()).toBe(0);
    const show = organiser.page.getByRole('link', {
      name: m.event_show_talks({ title: oldest }, da),
    });
    await show.click();
    await organiser.talk(`Skolevejen ${stamp}`).waitFor();
    expect(new URL(organiser.page.url()).searchParams.get('event')).toMatch(/\w/);
    await expectAccessible(organiser.page, 'organiser page with an older event opened');
  }, 120_000);
});
