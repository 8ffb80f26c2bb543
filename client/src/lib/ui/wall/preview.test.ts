import { describe, expect, it } from 'vitest';
import { graphemeLength } from '@gt/core';
import { previewText } from './preview.js';

describe('the preview of a listed question on the wall', () => {
  it('keeps a short text as it is', () => {
    expect(previewText('Hvornår åbner svømmehallen?')).toBe('Hvornår åbner svømmehallen?');
  });

  it('cuts a long text at a word boundary and marks the cut', () => {
    const text = `${'Cykelstier langs Strandvejen og Jægersborg Allé, '.repeat(6)}tak.`;
    const preview = previewText(text, 60);
    expect(preview.endsWith(' …')).toBe(true);
    expect(graphemeLength(preview)).toBeLessThanOrEqual(62);
    expect(text.startsWith(preview.slice(0, -2))).toBe(true);
    expect(preview.slice(0, -2)).not.toMatch(/[\s,]$/);
  });

  it('cuts one very long compound word inside the word rather than showing nothing', () => {
    const word = 'Kommuneplanstillægsforslagsbehandlingsprocedurebeskrivelse'.repeat(4);
    const preview = previewText(word, 50);
    expect(preview).toBe(`${word.slice(0, 50)} …`);
  });

  it('counts graphemes, so an emoji or a flag is never split', () => {
    const text = '🇩🇰👍🏽'.repeat(40);
    const preview = previewText(text, 11);
    expect(preview).toBe(`${'🇩🇰👍🏽'.repeat(5)}🇩🇰 …`);
  });
});
