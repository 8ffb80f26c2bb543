import { describe, expect, it } from 'vitest';
import { foldForMatching } from './fold.js';
import { SIMILARITY_PAIRS } from './similarity.fixture.js';
import {
  createSimilarityIndex,
  editDistance,
  DUPLICATE_THRESHOLD,
  findSimilar,
  isLikelyDuplicate,
  prepareText,
  similarity,
  stemDanish,
} from './similarity.js';

// Core compiles without DOM or Node types on purpose (no I/O here), so the console that the
// test runner provides is declared for this file only: the test prints its figures.
declare const console: { log(message: string): void };

const stem = (word: string) => stemDanish(foldForMatching(word));

describe('stemDanish', () => {
  it.each([
    [['cykelsti', 'cykelstien', 'cykelstier', 'cykelstierne'], 'cykelsti'],
    [['skole', 'skolen', 'skoler', 'skolerne', 'skolernes'], 'skol'],
    [['bibliotek', 'biblioteket', 'biblioteker', 'bibliotekerne'], 'bibliotek'],
    [['svømmehal', 'svømmehallen', 'svømmehaller'], 'svoemmehal'],
    [['bygger', 'bygget'], 'byg'],
  ])('[D2] brings %j to one stem', (words, expected) => {
    for (const word of words) expect(stem(word)).toBe(expected);
  });

  it('[D2] never cuts a word below three letters', () => {
    expect(stem('sø')).toBe('soe');
    expect(stem('søen')).toBe('soe');
    expect(stem('bus')).toBe('bus');
    expect(stem('mere')).toBe('mer');
  });

  it('[D2] leaves a lone final s alone (plads is not plad)', () => {
    expect(stem('plads')).toBe('plads');
    expect(stem('pladser')).toBe('plads');
  });
});

describe('similarity', () => {
  it('[D3] scores the same question 1 and questions sharing no topic word 0', () => {
    const question = 'Hvornår åbner svømmehallen?';
    expect(similarity(question, question)).toBe(1);
    expect(similarity(question, 'Kan vi få flere bænke i parken?')).toBe(0);
  });

  it('[D3] stays between 0 and 1 and is symmetric on every fixture pair', () => {
    for (const { a, b } of SIMILARITY_PAIRS) {
      const ab = similarity(a, b);
      expect(ab).toBeGreaterThanOrEqual(0);
      expect(ab).toBeLessThanOrEqual(1);
      expect(similarity(b, a)).toBeCloseTo(ab, 12);
    }
  });

  it.each([
    ['Kjøbenhavn', 'København'],
    ['Aarhus', 'Århus'],
    ['Hvornår bliver cykelstien færdig', 'Hvornaar bliver cykelstien faerdig'],
    ['Flere bænke ved søen', 'flere baenke ved soeen!!'],
  ])('[D1] treats "%s" and "%s" as the same text', (a, b) => {
    expect(similarity(a, b)).toBe(1);
  });

  it('[D2] ignores word order and little words', () => {
    expect(
      similarity(
        'Hvorfor lukker biblioteket i Hellerup om søndagen?',
        'Om søndagen lukker biblioteket i Hellerup – hvorfor?',
      ),
    ).toBe(1);
    expect(prepareText('Hvad er det, man kan gøre ved det?').stems).toEqual(['goer']);
  });

  it('[D2] meets a compound written apart: cykelsti, cykelstier, cykel sti', () => {
    const base = 'Vi mangler en cykelsti langs Lyngbyvej';
    expect(isLikelyDuplicate(base, 'Vi mangler cykelstier langs Lyngbyvej')).toBe(true);
    expect(isLikelyDuplicate(base, 'Vi mangler en cykel sti langs Lyngbyvej')).toBe(true);
  });

  it('[D3] forgives a typo that keeps the first letter, not a different first part of a compound', () => {
    expect(
      isLikelyDuplicate('Cykelstien på Jægersborg Allé', 'cykelstein på jægersborg alle'),
    ).toBe(true);
    expect(
      isLikelyDuplicate('Cykelparkering ved Hellerup Station', 'Bilparkering ved Hellerup Station'),
    ).toBe(false);
  });

  it('[D3] treats a question with a detail added as the same, one with a word swapped as another', () => {
    const base = 'Hvornår åbner svømmehallen igen?';
    expect(isLikelyDuplicate(base, 'Hvornår åbner svømmehallen igen efter renoveringen?')).toBe(
      true,
    );
    expect(isLikelyDuplicate(base, 'Hvornår lukker svømmehallen igen?')).toBe(false);
  });

  it('[D3] compares texts with no topic words only by being identical', () => {
    expect(similarity('Hvorfor?', 'Hvorfor?')).toBe(1);
    expect(similarity('Hvorfor?', 'Hvordan?')).toBe(0);
    expect(similarity('👍', 'Hvornår åbner svømmehallen?')).toBe(0);
    expect(similarity('', '')).toBe(0);
  });
});

describe('isLikelyDuplicate on the labelled fixture', () => {
  it('[D4] has at least 40 labelled pairs, with duplicates and look-alikes both well represented', () => {
    const duplicates = SIMILARITY_PAIRS.filter((p) => p.isDuplicate).length;
    const lookAlikes = SIMILARITY_PAIRS.length - duplicates;
    expect(SIMILARITY_PAIRS.length).toBeGreaterThanOrEqual(40);
    expect(duplicates).toBeGreaterThanOrEqual(20);
    expect(lookAlikes).toBeGreaterThanOrEqual(20);
  });

  it('[D4] reaches precision ≥ 0.9 and recall ≥ 0.8', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const mistakes: string[] = [];
    for (const pair of SIMILARITY_PAIRS) {
      const score = similarity(pair.a, pair.b);
      const isPredicted = score >= DUPLICATE_THRESHOLD;
      if (isPredicted && pair.isDuplicate) truePositives++;
      if (isPredicted && !pair.isDuplicate) falsePositives++;
      if (!isPredicted && pair.isDuplicate) falseNegatives++;
      if (isPredicted !== pair.isDuplicate) {
        mistakes.push(
          `  ${isPredicted ? 'false match' : 'missed'} (${score.toFixed(2)}, ${pair.note}): ` +
            `"${pair.a}" / "${pair.b}"`,
        );
      }
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    console.log(
      `[D4] duplicate hint on ${SIMILARITY_PAIRS.length} labelled pairs, threshold ` +
        `${DUPLICATE_THRESHOLD}: precision ${precision.toFixed(3)} ` +
        `(${truePositives}/${truePositives + falsePositives}), recall ${recall.toFixed(3)} ` +
        `(${truePositives}/${truePositives + falseNegatives})\n${mistakes.join('\n')}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });
});

describe('findSimilar', () => {
  const candidates = [
    { id: 'p1', text: 'Hvornår åbner svømmehallen igen?' },
    { id: 'p2', text: 'Hvornår lukker svømmehallen?' },
    { id: 'p3', text: 'Kan vi få flere cykelstier i Gentofte?' },
    { id: 'p4', text: 'Hvornaar aabner svoemmehallen igen efter renoveringen' },
    { id: 'p5', text: 'Hvorfor er der så få p-pladser ved stationen?' },
  ];

  it('[D5] offers the posts that ask the same, best first, and not the look-alike', () => {
    const found = findSimilar('Hvornår åbner svømmehallen igen', candidates, 5);
    expect(found.map((m) => m.id)).toEqual(['p1', 'p4']);
    expect(found[0]?.score).toBe(1);
    expect(found[1]?.score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
  });

  it('[D5] returns at most `limit` matches', () => {
    expect(findSimilar('Hvornår åbner svømmehallen igen', candidates, 1)).toHaveLength(1);
    expect(findSimilar('Hvornår åbner svømmehallen igen', candidates, 0)).toEqual([]);
  });

  it('[D5] can be asked for looser matches with a lower minimum score', () => {
    const strict = findSimilar('Hvornår lukker svømmehallen igen?', candidates, 5);
    const loose = findSimilar('Hvornår lukker svømmehallen igen?', candidates, 5, 0.5);
    expect(strict.map((m) => m.id)).toEqual(['p2']);
    // The look-alike that opens instead of closes is offered only when asked for loosely.
    expect(loose.map((m) => m.id)).toEqual(['p2', 'p1']);
  });

  it('[D5] finds nothing for text without topic words', () => {
    expect(findSimilar('Hvorfor?', candidates, 5)).toEqual([]);
  });

  it('[D5] answers from a prepared index the same as from the plain list, over 500 posts', () => {
    const topics = ['svømmehallen', 'biblioteket', 'cykelstien', 'plejehjemmet', 'skolen'];
    const places = ['Hellerup', 'Vangede', 'Ordrup', 'Dyssegård', 'Jægersborg'];
    const verbs = ['åbner', 'lukker', 'renoveres', 'udvides'];
    const many = Array.from({ length: 500 }, (_, i) => ({
      id: `p${i}`,
      text: `Hvornår ${verbs[i % 4]} ${topics[i % 5]} i ${places[Math.floor(i / 5) % 5]}? (${i % 7})`,
    }));
    const index = createSimilarityIndex(many);
    expect(index.size).toBe(500);
    const query = 'Hvornår åbner svømmehallen i Hellerup';
    const fromIndex = index.search(query, 5);
    expect(fromIndex).toEqual(findSimilar(query, many, 5));
    expect(fromIndex.length).toBeGreaterThan(0);
    for (const match of fromIndex) {
      const text = many.find((c) => c.id === match.id)?.text ?? '';
      expect(text).toMatch(/åbner svømmehallen i Hellerup/);
    }
  });
});

describe('editDistance', () => {
  it('[D3] counts inserts, deletes, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('skole', 'skole', 2)).toBe(0);
    expect(editDistance('skole', 'skloe', 2)).toBe(1);
    expect(editDistance('cykelsti', 'cykelstein', 2)).toBe(2);
    expect(editDistance('bibliotek', 'bibliotk', 2)).toBe(1);
    expect(editDistance('hal', 'hallen', 5)).toBe(3);
  });

  it('[D3] gives up past its limit', () => {
    expect(editDistance('svømmehal', 'cykelsti', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});
