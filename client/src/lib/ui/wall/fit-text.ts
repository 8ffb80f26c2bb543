/**
 * Shrink a text until its box holds it: the highlighted post starts at the theme's large
 * size (CSS clamp on the viewport) and, when a long post with long Danish compound words
 * would overflow, steps down until nothing is cut off. Re-fits when the box resizes (a
 * projector switching resolution, a portrait TV) and when the text changes.
 *
 * Usage (a Svelte attachment on the box that must not overflow):
 *   <section {@attach fitText({ target: '.fit', minPx: 18 })}>
 */
import type { Attachment } from 'svelte/attachments';

export interface FitOptions {
  /** The element whose font size is adjusted, inside the box. */
  target: string;
  /** Never below this (CSS pixels); the layout keeps long posts above it at 1280×720. */
  minPx: number;
}

const fits = (box: HTMLElement) =>
  box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;

/** The largest font size in [minPx, maxPx] at which the box holds the target (binary search). */
function largestFitting(box: HTMLElement, target: HTMLElement, minPx: number, maxPx: number) {
  target.style.fontSize = `${maxPx}px`;
  if (fits(box)) return maxPx;
  let low = minPx;
  let high = maxPx;
  for (let i = 0; i < 10 && high - low > 0.5; i++) {
    const middle = (low + high) / 2;
    target.style.fontSize = `${middle}px`;
    if (fits(box)) low = middle;
    else high = middle;
  }
  const size = Math.floor(low);
  target.style.fontSize = `${size}px`;
  return fits(box) ? size : null;
}

/**
 * Fit the target into the box: the stylesheet's size if it fits, else the largest size that
 * does without breaking a word ("skolebørnsforældreundersøgelse" stays whole), else, at the
 * smallest size, breaking long words as a last resort. Returns the size used.
 */
export function fitInto(box: HTMLElement, target: HTMLElement, minPx: number): number {
  target.style.removeProperty('font-size');
  target.style.overflowWrap = 'normal';
  const maxPx = parseFloat(getComputedStyle(target).fontSize);
  if (fits(box)) return maxPx;
  const whole = largestFitting(box, target, Math.min(minPx, maxPx), maxPx);
  if (whole !== null) return whole;
  target.style.overflowWrap = 'anywhere';
  return largestFitting(box, target, Math.min(minPx, maxPx), maxPx) ?? minPx;
}

export function fitText(options: FitOptions): Attachment<HTMLElement> {
  return (box) => {
    let frame = 0;
    const fit = () => {
      const target = box.querySelector<HTMLElement>(options.target);
      if (target) fitInto(box, target, options.minPx);
    };
    const fitSoon = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fit);
    };
    // At once (the first paint after hydration is already the right size), then whenever the
    // box resizes or what it shows changes (another post, another size class). Only `class`
    // attributes are watched: fitting itself writes `style`, which must not loop.
    fit();
    const resizes = new ResizeObserver(fitSoon);
    resizes.observe(box);
    const changes = new MutationObserver(fit);
    changes.observe(box, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['class'],
    });
    return () => {
      cancelAnimationFrame(frame);
      resizes.disconnect();
      changes.disconnect();
    };
  };
}
