/**
 * What the wall journeys measure in the real browser: whether anything on the wall is cut
 * off or sticks out, the QR code read back from a screenshot as a phone camera would, and
 * the size of the wall's DOM.
 */
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './server.js';

// jsqr is CommonJS whose exports also carry `default`; under NodeNext that is the typed path.
const jsQR = jsQRModule.default;

export interface LayoutReport {
  viewport: { width: number; height: number };
  /** Every problem found, as readable sentences (empty: the wall fits). */
  problems: string[];
  /** The highlighted post's font size in CSS pixels (null: none shown). */
  highlightedPx: number | null;
}

/**
 * Walk every visible element of the wall: each must lie inside the viewport, no text box may
 * be wider than its box (a long word sticking out), the box of the highlighted post must
 * hold all of it, the page must not scroll, and the main areas must not overlap.
 */
export function wallLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const height = window.innerHeight;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const root = document.documentElement;
    if (root.scrollWidth > width + 1)
      problems.push(`the page scrolls sideways (${root.scrollWidth} > ${width})`);
    if (root.scrollHeight > height + 1)
      problems.push(`the page scrolls down (${root.scrollHeight} > ${height})`);

    const wall = document.querySelector('.wall');
    if (!wall) return { viewport: { width, height }, problems: ['no wall'], highlightedPx: null };
    for (const el of Array.from(wall.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('.visually-hidden')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue;
      if (rect.left < -1 || rect.top < -1 || rect.right > width + 1 || rect.bottom > height + 1)
        problems.push(
          `${name(el)} lies outside the screen (${Math.round(rect.left)},${Math.round(rect.top)})-(${Math.round(rect.right)},${Math.round(rect.bottom)})`,
        );
      if (
        el.children.length === 0 &&
        el.scrollWidth > el.clientWidth + 1 &&
        style.display !== 'inline'
      )
        problems.push(`${name(el)} is wider than its box (${el.scrollWidth} > ${el.clientWidth})`);
    }
    const now = wall.querySelector<HTMLElement>('.now');
    if (now && (now.scrollHeight > now.clientHeight + 1 || now.scrollWidth > now.clientWidth + 1))
      problems.push(
        `the highlighted post does not fit its box (${now.scrollWidth}×${now.scrollHeight} in ${now.clientWidth}×${now.clientHeight})`,
      );
    const areas = ['.head', '.now', '.next', '.side']
      .map((selector) => ({ selector, el: wall.querySelector(selector) }))
      .filter((a): a is { selector: string; el: Element } => a.el !== null)
      .map((a) => ({ ...a, rect: a.el.getBoundingClientRect() }));
    for (const [i, a] of areas.entries())
      for (const b of areas.slice(i + 1)) {
        const overlapX = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const overlapY = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (overlapX > 1 && overlapY > 1) problems.push(`${a.selector} overlaps ${b.selector}`);
      }
    const quote = wall.querySelector('.now blockquote');
    // No word of the highlighted post is split over two lines: a word drawn as two boxes was
    // broken (the post has no hyphens where it is broken).
    const textNode = quote?.firstChild;
    if (textNode?.nodeType === Node.TEXT_NODE) {
      const text = textNode.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(textNode, match.index);
        range.setEnd(textNode, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if (lines.size > 1)
          problems.push(`the word "${match[0]}" is broken over ${lines.size} lines`);
      }
    }
    return {
      viewport: { width, height },
      problems,
      highlightedPx: quote ? parseFloat(getComputedStyle(quote).fontSize) : null,
    };
  });
}

/** Take a screenshot of the whole wall and read the QR code in it, as a phone would. */
export async function decodeQrFromScreenshot(page: Page): Promise<string | null> {
  const png = PNG.sync.read(await page.screenshot({ type: 'png' }));
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return found?.data ?? null;
}

/** How many elements the page has now. */
export function domNodeCount(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

/** Kept in .test-results/ for a person to look at; no assertion reads them. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(REPO_ROOT, '.test-results', `${name}.png`) });
}
