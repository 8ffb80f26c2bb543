// Typed text is never lost on a bad network: the follow form and the join form sent while the
// server is really down (the process stopped, so the browser's request fails) keep everything
// typed and say so next to the button; sent again once the server is back, they work, and the
// sign-up is stored once. These journeys stop their own server.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { m } from '@gt/i18n';
import type { Locale } from '@gt/i18n/runtime';
import type { Receipt, Result } from '@gt/protocol';
import { arrangeTalk, spaced } from './support/api.js';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { FrontPage, VIEWPORTS } from './support/pages.js';
import { TopicsPage, createTopic } from './support/receipt-pages.js';
import { startServer } from './support/server.js';
import type { RunningServer } from './support/server.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  // A failed test must not leave the next one without a server.
  const isUp = await fetch(`${server.url}/healthz`).then(
    (response) => response.ok,
    () => false,
  );
  if (!isUp) await server.restart();
});

async function phone(locale: Locale): Promise<Page> {
  context = await browser.newContext({ viewport: VIEWPORTS.phone });
  if (locale !== 'da')
    await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: server.url }]);
  return context.newPage();
}

/** The sign-ups the server holds for this browser's device, by name. */
async function storedSignUps(page: Page): Promise<string[]> {
  const device = (await page.context().cookies()).find((c) => c.name === 'gt_device')?.value;
  if (!device) throw new Error('the browser has no device cookie');
  const response = await fetch(`${server.url}/api/receipt`, {
    headers: { 'x-device-token': device },
  });
  const result = (await response.json()) as Result<Receipt>;
  if (!result.ok) throw new Error(result.error.message);
  return result.data.followUps.map((f) => f.followUp.name);
}

describeInBrowser('forms sent while the server is down', () => {
  it.each(['da', 'en'] as const)(
    '[AP7] [F2] [I2] in %s, the follow form keeps every field and says it was not sent; sent again once the server is back, one sign-up is stored',
    async (locale) => {
      const t = { locale };
      const talk = await arrangeTalk(server.url, { moderation: 'post' });
      const title = 'Cykelstier i Gentofte';
      await createTopic(server.url, talk, { title });
      const page = await phone(locale);
      const topics = new TopicsPage(page, locale);
      await topics.goto(server.url, talk.session.id);
      const typed = {
        name: 'Karoline Skovgaard',
        email: 'karoline@example.dk',
        phone: '+45 40 50 60 70',
      };
      await topics.fill(title, { ...typed, age: 'self', hasConsented: true });

      await server.stop();
      await topics.submitButton(title).click();
      const unsent = topics.topic(title).getByRole('alert');
      await unsent.getByText(m.form_error_network({}, t)).waitFor();
      // Still the form, not the error page, with everything as it was typed and ticked.
      expect(page.url()).toBe(`${server.url}/s/${talk.session.id}/topics`);
      expect(await page.getByRole('heading', { name: m.error_heading({}, t) }).count()).toBe(0);
      expect(await topics.field(title, 'name').inputValue()).toBe(typed.name);
      expect(await topics.field(title, 'email').inputValue()).toBe(typed.email);
      expect(await topics.field(title, 'phone').inputValue()).toBe(typed.phone);
      expect(await topics.ageChoice(title, 'self').isChecked()).toBe(true);
      expect(await topics.consentBox(title).isChecked()).toBe(true);
      // The focus is on the message, so a screen reader reads it and Tab goes on to the button.
      await expect
        .poll(() => unsent.evaluate((element) => element === document.activeElement))
        .toBe(true);
      await expectAccessible(page, `topics page, not sent (${locale})`);

      await server.restart();
      await topics.submitButton(title).click();
      await topics.followed(title);
      expect(await storedSignUps(page)).toEqual([typed.name]);
    },
  );

  it.each(['da', 'en'] as const)(
    '[AP7] in %s, the join form keeps the code and says it was not sent; sent again once the server is back, it opens the talk',
    async (locale) => {
      const talk = await arrangeTalk(server.url, { moderation: 'post' });
      const page = await phone(locale);
      const front = new FrontPage(page, locale);
      await front.goto(server.url);
      const code = spaced(talk.session.joinCode);
      await front.codeField.fill(code);

      await server.stop();
      await front.joinButton.click();
      const unsent = page.getByText(m.form_error_network({}, { locale }));
      await unsent.waitFor();
      expect(page.url()).toBe(`${server.url}/`);
      expect(await front.codeField.inputValue()).toBe(code);
      expect(await front.codeField.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await front.codeField.getAttribute('aria-describedby')) ?? '';
      expect(describedBy.split(' ')).toContain(await unsent.getAttribute('id'));
      await expectAccessible(page, `front page, not sent (${locale})`);

      await server.restart();
      await front.joinButton.click();
      await page.waitForURL(`${server.url}/s/${talk.session.id}`);
    },
  );
});
