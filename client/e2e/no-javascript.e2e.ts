// Without JavaScript everything on these screens still works as plain HTML forms, through
// adapter-node inside Express on plain http (ORIGIN from PUBLIC_URL: no 403).
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { expectAccessibleWithoutScripts } from './support/axe.js';
import { createTalk, spaced, unusedCode } from './support/api.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { FrontPage, OrganiserPage, VIEWPORTS } from './support/pages.js';
import { ORGANISER } from './support/server.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let context: BrowserContext;
let statuses: number[];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
});

async function noScriptPage(viewport: (typeof VIEWPORTS)[keyof typeof VIEWPORTS]) {
  context = await browser.newContext({ viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  statuses = [];
  page.on('response', (response: Response) => {
    if (response.request().method() === 'POST') statuses.push(response.status());
  });
  return page;
}

describeInBrowser('without JavaScript', () => {
  it('the join form opens the talk, and explains a wrong code keeping the text', async () => {
    const talk = await createTalk(baseUrl);
    const front = new FrontPage(await noScriptPage(VIEWPORTS.phone));
    await front.goto(baseUrl, { isJavaScriptEnabled: false });
    expect(await front.page.locator('body').getAttribute('data-hydrated')).toBeNull();

    const unknown = spaced(await unusedCode(baseUrl));
    await front.join(unknown);
    await front.notFoundError(unknown).waitFor();
    expect(await front.codeField.inputValue()).toBe(unknown);
    await expectAccessibleWithoutScripts(front.page, browser);

    await front.join(spaced(talk.joinCode));
    await front.page.waitForURL(`${baseUrl}/s/${talk.id}`);
    expect(statuses).not.toContain(403);
    expect(statuses).toHaveLength(2);
  });

  it('the language switch works, and the organiser logs in and creates an event', async () => {
    const organiser = new OrganiserPage(await noScriptPage(VIEWPORTS.laptop));
    await organiser.goto(baseUrl, { isJavaScriptEnabled: false });
    await organiser.switchLanguage('en', { isJavaScriptEnabled: false });
    expect(new URL(organiser.page.url()).pathname).toBe('/organiser');
    await organiser.heading(m.login_heading({}, { locale: 'en' })).waitFor();

    await organiser.logIn(ORGANISER.email, ORGANISER.password);
    await organiser.createEvent('Borgermøde om skolerne');
    await expectAccessibleWithoutScripts(organiser.page, browser);
    expect(statuses).not.toContain(403);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
  });
});
