// Joining a talk by its code: typed on the front page (spaces and all) or opened from the QR
// code's short link; a wrong code is explained next to the field, in the page's language,
// and the typed text stays.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessible } from './support/axe.js';
import { createTalk, spaced, unusedCode } from './support/api.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { FrontPage, VIEWPORTS } from './support/pages.js';

const baseUrl = inject('baseUrl');
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

describeInBrowser('joining with a code', () => {
  it('a code typed with spaces on a phone opens the talk', async () => {
    const talk = await createTalk(baseUrl);
    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const front = new FrontPage(await context.newPage());
    await front.goto(baseUrl);
    await front.join(`  ${spaced(talk.joinCode)} `);
    await front.page.waitForURL(`${baseUrl}/s/${talk.id}`);
  });

  it.each(['da', 'en'] as const)(
    'in %s, a wrong code gets a translated error next to the field and the typed text stays',
    async (locale) => {
      context = await browser.newContext({ viewport: VIEWPORTS.phone });
      const front = new FrontPage(await context.newPage());
      await front.goto(baseUrl);
      if (locale === 'en') await front.switchLanguage('en');

      // Too short: the format is explained.
      await front.join('123 45');
      const formatError = front.page.getByText(m.join_error_format({}, { locale }));
      await formatError.waitFor();
      expect(await front.codeField.inputValue()).toBe('123 45');

      // Six digits that no talk has: said so, with the code as typed.
      const code = spaced(await unusedCode(baseUrl));
      await front.join(code);
      await front.notFoundError(code).waitFor();
      expect(await front.codeField.inputValue()).toBe(code);
      expect(await front.codeField.getAttribute('aria-invalid')).toBe('true');
      // The error is part of the field's description, so a screen reader reads it with it.
      const describedBy = (await front.codeField.getAttribute('aria-describedby')) ?? '';
      const errorId = await front.notFoundError(code).getAttribute('id');
      expect(describedBy.split(' ')).toContain(errorId);
      await expectAccessible(front.page);
    },
  );

  it('the QR code short link /j/<code> opens the talk; an unknown one offers the form', async () => {
    const talk = await createTalk(baseUrl);
    context = await browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/j/${talk.joinCode}`);
    await page.waitForURL(`${baseUrl}/s/${talk.id}`);

    const unknown = await unusedCode(baseUrl);
    const front = new FrontPage(page);
    await page.goto(`${baseUrl}/j/${unknown}`);
    await front.hydrated();
    await front.notFoundError(unknown).waitFor();
    expect(await front.codeField.inputValue()).toBe(unknown);
    await expectAccessible(page);

    // The form there works too.
    await front.join(spaced(talk.joinCode));
    await page.waitForURL(`${baseUrl}/s/${talk.id}`);
  });
});
