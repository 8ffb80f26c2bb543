// The accessibility check itself (support/axe.ts) must be able to fail: on a page with known
// WCAG violations it reports them, named, and on the same page mended it passes. Without
// this, a broken check would pass every page of the tier.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccessible } from './support/axe.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describeInBrowser('the accessibility check', () => {
  it('reports an image without a text, an unnamed button and grey-on-white text; passes once they are mended', async () => {
    const page = await browser.newPage();
    const html = (isMended: boolean) => `<!doctype html>
      <html lang="da"><head><title>Prøve</title></head><body><main>
        <h1>Prøve</h1>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" ${isMended ? 'alt="Logo"' : ''}>
        <button>${isMended ? 'Send' : ''}</button>
        <p style="color: ${isMended ? '#333' : '#bbb'}; background: #fff">Lidt tekst</p>
      </main></body></html>`;
    await page.setContent(html(false));
    const failure = await expectAccessible(page, 'a broken page').then(
      () => null,
      // The assertion's `actual` is the whole report, one violation per paragraph.
      (error: { actual?: unknown }) => String(error.actual),
    );
    expect(failure).toContain('image-alt');
    expect(failure).toContain('button-name');
    expect(failure).toContain('color-contrast');
    // A new document gets the check's script again.
    await page.setContent(html(true));
    await expectAccessible(page, 'the mended page');
    await page.close();
  });
});
