import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr-path';

/** The dark cells of a path of unit squares (`M x y h1v1h-1z`), as "x,y". */
function cellsOfOurs(d: string): Set<string> {
  return new Set([...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(([, x, y]) => `${x},${y}`));
}

/** The dark cells of qrcode's own SVG: horizontal runs `M x y.5 h n` and `m dx 0 h n`. */
function cellsOfReference(svg: string): Set<string> {
  const d = /stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  const cells = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (op === 'M') [x, y] = [Number(a), Math.floor(Number(b))];
    else if (op === 'm') x += Number(a);
    else {
      for (let i = 0; i < Number(a); i += 1) cells.add(`${x + i},${y}`);
      x += Number(a);
    }
  }
  return cells;
}

describe('the receipt QR code drawn as one inline path', () => {
  it.each([
    'http://localhost:3000/r/eyJrIjoiciIsImQiOiJkZXZfYWJjIn0.c2lnbmF0dXJl',
    'https://talks.gentofte.dk/r/' + 'x'.repeat(120),
  ])(
    'draws exactly the modules the qrcode library renders, quiet zone included (%s)',
    async (text) => {
      const ours = qrPath(text);
      const reference = await QRCode.toString(text, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 4,
      });
      expect(`viewBox="0 0 ${ours.size} ${ours.size}"`).toSatisfy((v: string) =>
        reference.includes(v),
      );
      const mine = cellsOfOurs(ours.d);
      expect(mine.size).toBeGreaterThan(100);
      expect([...mine].sort()).toEqual([...cellsOfReference(reference)].sort());
    },
  );
});
