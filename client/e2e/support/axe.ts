/**
 * The accessibility check every visited page gets: axe-core with the WCAG 2.0 and 2.1 A and
 * AA rules. A failure lists each violation with the elements involved, readable in the
 * test output.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function expectAccessible(page: Page, where = new URL(page.url()).pathname) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const report = violations
    .map((violation) =>
      [
        `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}`,
        `  ${violation.helpUrl}`,
        ...violation.nodes.map(
          (node) =>
            `  - ${node.target.join(' ')}\n    ${(node.failureSummary ?? '').replace(/\n/g, '\n    ')}`,
        ),
      ].join('\n'),
    )
    .join('\n');
  expect(report, `axe: ${violations.length} violation(s) on ${where}`).toBe('');
}

/**
 * The same check for a page rendered without JavaScript. axe runs as a script, which that
 * page cannot run, so it checks an exact copy of the page's HTML (scripts removed) at the same
 * address and size in a scripted context of the same browser.
 */
export async function expectAccessibleWithoutScripts(page: Page, browser: Browser) {
  const url = page.url();
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const context = await browser.newContext({ viewport: page.viewportSize() });
  try {
    const copy = await context.newPage();
    await copy.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await copy.goto(url);
    await expectAccessible(copy, `${new URL(url).pathname} (without JavaScript)`);
  } finally {
    await context.close();
  }
}
