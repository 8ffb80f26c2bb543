// [T5] The moderator link is a bearer link: on first open its token becomes an HttpOnly cookie
// scoped to that console and the address loses it; a revoked link opens nothing; an
// organiser's own login opens the console too. Without JavaScript the console still acts.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessible, expectAccessibleWithoutScripts } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  commandId,
  createLiveTalk,
  ModeratorPage,
  NodeClient,
  registerDevice,
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

async function revokeAllLinks(sessionId: string, organiserToken: string) {
  const auth = { authorization: `Bearer ${organiserToken}` };
  const listed = (await (
    await fetch(`${baseUrl}/api/sessions/${sessionId}/moderator-links`, { headers: auth })
  ).json()) as { ok: boolean; data: { id: string }[] };
  expect(listed.ok).toBe(true);
  for (const link of listed.data)
    await fetch(`${baseUrl}/api/moderator-links/${link.id}/revoke`, {
      method: 'POST',
      headers: auth,
    });
}

describeInBrowser('[T5] moderator links', () => {
  it('the token becomes a cookie and leaves the address; a revoked link opens nothing', async () => {
    const talk = await createLiveTalk(baseUrl);
    const sessionId = talk.session.id;
    context = await browser.newContext({ viewport: VIEWPORTS.laptop });
    const moderator = new ModeratorPage(await context.newPage());
    await moderator.goto(talk.moderatorUrl);
    expect(moderator.page.url()).toBe(`${baseUrl}/moderator/${sessionId}`);
    const cookie = (await context.cookies()).find((c) => c.name === `gt_mod_${sessionId}`);
    expect(cookie).toMatchObject({
      value: talk.moderatorToken,
      httpOnly: true,
      path: `/moderator/${sessionId}`,
    });
    await moderator.queue('pending').waitFor();

    await revokeAllLinks(sessionId, talk.organiserToken);
    const response = await moderator.page.reload();
    expect(response?.status()).toBe(403);
    await moderator.page.getByText(m.moderator_no_access({}, da)).waitFor();
    expect((await context.cookies()).find((c) => c.name === `gt_mod_${sessionId}`)).toBeUndefined();
    await expectAccessible(moderator.page, 'moderator console refused');

    // An unknown or forged token is not kept either, and the address is cleaned all the same.
    await moderator.page.goto(`${baseUrl}/moderator/${sessionId}?token=forged`);
    expect(moderator.page.url()).toBe(`${baseUrl}/moderator/${sessionId}`);
    expect((await context.cookies()).find((c) => c.name === `gt_mod_${sessionId}`)).toBeUndefined();
  });

  it("an organiser's login opens the console, which works without JavaScript", async () => {
    const talk = await createLiveTalk(baseUrl);
    const sessionId = talk.session.id;
    const phone = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    const text = 'Hvorfor er der ikke flere bænke i Bernstorffsparken?';
    try {
      await phone.send('post:create', {
        sessionId,
        commandId: commandId(),
        kind: 'question',
        text,
      });
    } finally {
      phone.close();
    }

    context = await browser.newContext({ viewport: VIEWPORTS.laptop, javaScriptEnabled: false });
    await context.addCookies([
      { name: 'gt_staff', value: talk.organiserToken, url: baseUrl, httpOnly: true },
    ]);
    const moderator = new ModeratorPage(await context.newPage());
    await moderator.page.goto(`${baseUrl}/moderator/${sessionId}`);
    await moderator.card('pending', text).waitFor();
    await expectAccessibleWithoutScripts(moderator.page, browser);

    await moderator.act('pending', text, 'approve');
    await moderator.show('visible');
    await moderator.card('visible', text).waitFor();
    await moderator.act('visible', text, 'highlight');
    await moderator.onWall.getByText(text).waitFor();
    expect(moderator.page.url()).toBe(`${baseUrl}/moderator/${sessionId}?tab=visible`);

    // Hiding asks for a reason, in a disclosure that needs no script; Enter in the reason
    // field hides (it must not send the card's first button, "show on the wall").
    const card = moderator.card('visible', text);
    await card.getByText(m.moderator_hide_open({}, da)).click();
    const ownWords = 'Spørgsmålet er allerede stillet i salen';
    await card.getByRole('textbox', { name: m.moderator_reason_own({}, da) }).fill(ownWords);
    await card.getByRole('textbox', { name: m.moderator_reason_own({}, da) }).press('Enter');
    // The form comes back to the tab it was sent from.
    expect(moderator.page.url()).toBe(`${baseUrl}/moderator/${sessionId}?tab=visible`);
    await moderator.show('hidden');
    const hidden = moderator.card('hidden', text);
    await hidden.getByText(m.moderator_hidden_reason({ reason: ownWords }, da)).waitFor();
    await expect(moderator.onWall.getByText(text).count()).resolves.toBe(0);
    await expectAccessibleWithoutScripts(moderator.page, browser);

    // [P8] A question from the room, as a plain form post: visible at once, from the room.
    const page = moderator.page;
    const floor = 'Spurgt højt: hvornår åbner den nye svømmehal?';
    await moderator.floorText.fill(floor);
    await moderator.floorForm
      .getByRole('button', { name: m.moderator_floor_submit({}, da) })
      .click();
    await moderator.show('visible');
    await moderator.card('visible', floor).getByText(m.moderator_from_room({}, da)).waitFor();

    // [MC7] Settings as a plain form post: a bad rotation comes back next to its field with
    // the panel as typed; a good one is saved.
    await page.getByText(m.moderator_settings_heading({}, da), { exact: true }).click();
    const rotation = page.getByRole('spinbutton', { name: m.moderator_setting_rotation({}, da) });
    await rotation.fill('99');
    await page
      .getByRole('textbox', { name: m.moderator_panel_name({ n: 1 }, da) })
      .fill('Anna Hansen');
    await page.getByRole('radio', { name: m.moderator_wall_mode_pinned({}, da) }).check();
    await page.getByRole('button', { name: m.moderator_setting_save({}, da) }).click();
    await page.getByText(m.moderator_setting_rotation_error({}, da)).waitFor();
    await expectAccessibleWithoutScripts(page, browser);
    // The refused form comes back open, with what was typed.
    expect(await rotation.getAttribute('aria-invalid')).toBe('true');
    await rotation.fill('20');
    await page.getByRole('button', { name: m.moderator_setting_save({}, da) }).click();
    await page.getByText(m.moderator_settings_heading({}, da), { exact: true }).click();
    await expect.poll(() => rotation.inputValue()).toBe('20');
    expect(
      await page.getByRole('radio', { name: m.moderator_wall_mode_pinned({}, da) }).isChecked(),
    ).toBe(true);
    expect(
      await page.getByRole('textbox', { name: m.moderator_panel_name({ n: 1 }, da) }).inputValue(),
    ).toBe('Anna Hansen');

    // [M14] A panel member's follow-up promise, as a plain form post too.
    await moderator.show('visible');
    const floorCard = moderator.card('visible', floor);
    await floorCard.getByText(m.moderator_promise_open({}, da), { exact: true }).click();
    await floorCard
      .getByRole('combobox', { name: m.moderator_promise_label({}, da) })
      .selectOption({ label: 'Anna Hansen' });
    await floorCard.getByRole('button', { name: m.moderator_promise_save({}, da) }).click();
    await moderator
      .card('visible', floor)
      .getByText(m.attendee_status_follow_up_promised({ name: 'Anna Hansen' }, da), {
        exact: true,
      })
      .waitFor();
    expect(moderator.page.url()).toBe(`${baseUrl}/moderator/${sessionId}?tab=visible`);
    await expectAccessibleWithoutScripts(page, browser);
  }, 120_000);
});
