/**
 * The accessibility check every visited page gets: axe-core with the WCAG 2.0 and 2.1 A and
 * AA rules. A failure lists each violation with the elements involved, readable in the
 * test output.
 *
 * axe runs in the page itself: its script is put into each document once and `axe.run` asks
 * for violations only. (@axe-core/playwright's AxeBuilder did the same work at about three
 * times the cost, injecting the script into every frame on every call and finishing each run
 * in a page of its own: a third of the browser tier's time, with 44 checks in two files.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

type AxeWindow = { axe?: { run(context: Document, options: RunOptions): Promise<AxeResults> } };

async function violationsOf(page: Page): Promise<AxeResults['violations']> {
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not
  // stop it; a new document (navigation, reload) gets the script again.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const options: RunOptions = {
    runOnly: { type: 'tag', values: TAGS },
    resultTypes: ['violations'],
  };
  const results = await page.evaluate(
    (runOptions) => (window as AxeWindow).axe!.run(document, runOptions),
    options,
  );
  return results.violations;
}

export async function expectAccessible(page: Page, where = new URL(page.url()).pathname) {
  const violations = await violationsOf(page);
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
