/**
 * What the wall journeys measure in the real browser: whether anything on the wall is cut
 * off or sticks out, the QR code read back from a screenshot as a phone camera would (dark
 * on a light quiet zone, measured), and the size of the wall's DOM.
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

/** What a phone camera would make of the QR code on a screenshot of the wall. */
export interface QrReading {
  /** The text the code encodes; null: no dark-on-light code could be read. */
  data: string | null;
  /**
   * Why the code is not dark on a light quiet zone, as readable sentences (empty: it is).
   * Only filled in when a code was read.
   */
  problems: string[];
}

/** Relative luminance of an sRGB pixel, 0 (black) to 1 (white), as WCAG defines it. */
function luminance(png: PNG, x: number, y: number): number {
  const i = (Math.round(y) * png.width + Math.round(x)) * 4;
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return (
    0.2126 * channel(png.data[i]!) +
    0.7152 * channel(png.data[i + 1]!) +
    0.0722 * channel(png.data[i + 2]!)
  );
}

/** A quiet zone lighter than this (relative luminance) reads as white to a camera. */
const LIGHT = 0.8;
/** A module darker than this reads as black. */
const DARK = 0.05;
/** ISO/IEC 18004 asks for a quiet zone of four modules around the symbol. */
const QUIET_MODULES = 4;

/**
 * Read a QR code from a PNG as a phone camera would that only reads codes the usual way
 * round: `dontInvert`, so a light-on-dark (inverted) code is not read at all. When a code is
 * read, its four-module quiet zone is sampled: every pixel of it must be light, and the
 * finder pattern's centre dark, so "dark on a light quiet zone" is measured, not assumed.
 */
export function readQr(png: PNG): QrReading {
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, {
    inversionAttempts: 'dontInvert',
  });
  if (!found) return { data: null, problems: [] };
  const problems: string[] = [];
  const { topLeftCorner, topRightCorner, bottomLeftCorner, topLeftFinderPattern } = found.location;
  const modules = 17 + 4 * found.version;
  const module =
    Math.hypot(topRightCorner.x - topLeftCorner.x, topRightCorner.y - topLeftCorner.y) / modules;
  // The wall draws the code upright, so the symbol is an axis-aligned square.
  const left = topLeftCorner.x;
  const top = topLeftCorner.y;
  const right = topRightCorner.x;
  const bottom = bottomLeftCorner.y;
  const zone = QUIET_MODULES * module;
  if (left - zone < 0 || top - zone < 0 || right + zone > png.width || bottom + zone > png.height)
    problems.push('the quiet zone is cut off by the edge of the screen');
  // Half a module away from the symbol's edge (its corners are estimates), out to the end of
  // the quiet zone, every pixel.
  let darkest = 1;
  let darkestAt = { x: 0, y: 0 };
  const inside = (x: number, y: number) =>
    x > left - module / 2 &&
    x < right + module / 2 &&
    y > top - module / 2 &&
    y < bottom + module / 2;
  for (let y = Math.max(0, Math.ceil(top - zone)); y < Math.min(png.height, bottom + zone); y++)
    for (let x = Math.max(0, Math.ceil(left - zone)); x < Math.min(png.width, right + zone); x++) {
      if (inside(x, y)) continue;
      const value = luminance(png, x, y);
      if (value < darkest) {
        darkest = value;
        darkestAt = { x, y };
      }
    }
  if (darkest < LIGHT)
    problems.push(
      `the quiet zone is not light: luminance ${darkest.toFixed(2)} at (${darkestAt.x},${darkestAt.y})`,
    );
  const finder = luminance(png, topLeftFinderPattern.x, topLeftFinderPattern.y);
  if (finder > DARK)
    problems.push(`the finder pattern is not dark: luminance ${finder.toFixed(2)}`);
  return { data: found.data, problems };
}

/** A copy of the PNG with every colour inverted (light on dark): what a dark theme could do. */
export function inverted(png: PNG): PNG {
  const copy = new PNG({ width: png.width, height: png.height });
  for (let i = 0; i < png.data.length; i += 4) {
    copy.data[i] = 255 - png.data[i]!;
    copy.data[i + 1] = 255 - png.data[i + 1]!;
    copy.data[i + 2] = 255 - png.data[i + 2]!;
    copy.data[i + 3] = png.data[i + 3]!;
  }
  return copy;
}

/** A screenshot of what the page shows, decoded. */
export async function pageScreenshot(page: Page): Promise<PNG> {
  return PNG.sync.read(await page.screenshot({ type: 'png' }));
}

/** Take a screenshot of the whole page and read its QR code, with the quiet zone measured. */
export async function readQrFromScreenshot(page: Page): Promise<QrReading> {
  return readQr(await pageScreenshot(page));
}

/**
 * Take a screenshot of the whole page and read the QR code in it, as a phone would: its text,
 * or null when no dark-on-light code can be read (an inverted code is not read).
 */
export async function decodeQrFromScreenshot(page: Page): Promise<string | null> {
  return (await readQrFromScreenshot(page)).data;
}

/** How many elements the page has now. */
export function domNodeCount(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

/** Kept in .test-results/ for a person to look at; no assertion reads them. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(REPO_ROOT, '.test-results', `${name}.png`) });
}
