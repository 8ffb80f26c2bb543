/**
 * A QR code as data for an inline <svg>: the side length in modules and one path of dark
 * squares. Made during server-side rendering, so a code that carries a secret (the receipt
 * link) never travels in a URL of its own that a server or proxy could log, and the page
 * needs no {@html} (STYLE 12): the component draws the path.
 */
import QRCode from 'qrcode';

export interface QrPath {
  /** Modules per side, quiet zone included: the viewBox. */
  size: number;
  /** `M x y h1 v1 h-1 z` for each dark module. */
  d: string;
}

/** Four modules of quiet zone: the standard's minimum, so it scans from a screen edge to edge. */
const QUIET = 4;

export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const parts: string[] = [];
  // BitMatrix.get takes (row, column).
  for (let y = 0; y < n; y += 1)
    for (let x = 0; x < n; x += 1)
      if (modules.get(y, x)) parts.push(`M${x + QUIET} ${y + QUIET}h1v1h-1z`);
  return { size: n + 2 * QUIET, d: parts.join('') };
}
