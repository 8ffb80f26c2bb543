// [M14] "Follow-up promised by a panel member": the moderator records it on the console card,
// choosing the panel member; the author's phone and the author's receipt (opened on another
// device through the personal link) say who promised; undo takes it back.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  ModeratorPage,
  NodeClient,
  commandId,
  createLiveTalk,
} from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';
import { ReceiptPage } from './support/receipt-pages.js';

const baseUrl = inject('baseUrl');
const da = { locale: 'da' } as const;
const en = { locale: 'en' } as const;
const ANNE = { id: 'pm_anne_berg', name: 'Anne Berg', party: 'Venstre' };
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

async function open(size: keyof typeof VIEWPORTS): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORTS[size] });
  contexts.push(context);
  return context.newPage();
}

describeInBrowser('[M14] a follow-up promised by a panel member', () => {
  it('the moderator records who promised on the card; the author’s phone and receipt say so, in Danish and English; undo takes it back', async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const sessionId = talk.session.id;
    const staff = await NodeClient.connect(baseUrl, { staff: talk.organiserToken });
    try {
      await staff.send('session:configure', {
        sessionId,
        commandId: commandId(),
        version: talk.session.version,
        settings: { panel: [ANNE, { id: 'pm_ole_sand', name: 'Ole Sand', party: '' }] },
      });
    } finally {
      staff.close();
    }

    // The author asks from their phone.
    const text = 'Hvornår bliver der lavet en sikker skolevej ved Ordrup Skole?';
    const phone = new AttendeePage(await open('phone'));
    await phone.goto(baseUrl, sessionId);
    await phone.post(text);
    await phone.myPost(text).getByText(m.attendee_status_visible({}, da)).waitFor();

    // Their receipt, opened on another device through the personal link.
    await phone.page.goto(`${baseUrl}/receipt`);
    const own = new ReceiptPage(phone.page);
    await own.hydrated();
    const link = (await own.personalLink.textContent()) ?? '';
    expect(link).toContain('/r/');
    const elsewhere = new ReceiptPage(await open('laptop'));
    await elsewhere.page.goto(link);
    await elsewhere.page.waitForURL(`${baseUrl}/receipt`);
    await elsewhere.hydrated();
    await elsewhere.post(text).getByText(m.attendee_status_visible({}, da)).waitFor();
    await phone.goto(baseUrl, sessionId);

    // On stage Anne Berg promises to look into it; the moderator notes it on the card.
    const moderator = new ModeratorPage(await open('laptop'));
    await moderator.goto(talk.moderatorUrl);
    await moderator.show('visible');
    const card = moderator.card('visible', text);
    await card.getByText(m.moderator_promise_open({}, da), { exact: true }).click();
    const who = card.getByRole('combobox', { name: m.moderator_promise_label({}, da) });
    await who.selectOption({ label: ANNE.name });
    await expectAccessible(moderator.page, 'console with the follow-up form open');
    await card.getByRole('button', { name: m.moderator_promise_save({}, da) }).click();
    const promised = m.attendee_status_follow_up_promised({ name: ANNE.name }, da);
    await card.getByText(promised, { exact: true }).waitFor();

    // The author's phone says so live, their receipt on the next look.
    await phone.myPost(text).getByText(promised).waitFor();
    await elsewhere.page.reload();
    await elsewhere.post(text).getByText(promised).waitFor();
    await expectAccessible(elsewhere.page, 'receipt with a promised follow-up');
    await elsewhere.switchLanguage('en');
    await elsewhere
      .post(text)
      .getByText(m.attendee_status_follow_up_promised({ name: ANNE.name }, en))
      .waitFor();
    expect(await elsewhere.post(text).innerText()).toContain('Follow-up promised by Anne Berg');

    // [MC3] Undo takes the promise back: the card, the phone and the receipt lose it.
    await moderator.undoButton.click();
    await expect.poll(() => card.getByText(promised, { exact: true }).count()).toBe(0);
    await phone.myPost(text).getByText(m.attendee_status_visible({}, da)).waitFor();
    await elsewhere.page.reload();
    await elsewhere.post(text).getByText(m.attendee_status_visible({}, en)).waitFor();
    const log = moderator.page.locator('[data-log-action="unpromise"]');
    await moderator.page.getByText(m.moderator_log_heading({}, da), { exact: true }).click();
    await log.getByText(ANNE.name).waitFor();
  }, 120_000);
});
