/**
 * Join QR codes for posters and the wall: `GET /qr/join/123456.svg` and `.png` encode
 * `${PUBLIC_URL}/j/123456`. The path is short on purpose: fewer characters make a QR code
 * with fewer, larger modules, which a phone reads from the back of a tent. Error correction
 * M survives a crease or a smudge; the quiet zone (four modules) is part of the image, so it
 * scans even when printed edge to edge. Dark on light: some phone cameras refuse inverted
 * codes.
 */
import express from 'express';
import type { Router } from 'express';
import QRCode from 'qrcode';
import type { AppApi } from '@gt/protocol';

const QR_OPTIONS = {
  errorCorrectionLevel: 'M',
  margin: 4,
  color: { dark: '#000000ff', light: '#ffffffff' },
} as const;
/** Big enough for an A3 poster at 150 dpi; SVG scales without limit. */
const PNG_WIDTH = 1024;
/** The image depends only on PUBLIC_URL and the code, so it may be kept for a day. */
const CACHE_OK = 'public, max-age=86400';

export function joinUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/j/${code}`;
}

export function qrRouter({
  api,
  publicUrl,
}: {
  api: Pick<AppApi, 'findSessionByCode'>;
  publicUrl: string;
}): Router {
  const router = express.Router();
  router.get('/join/:file', async (req, res) => {
    const match = /^([0-9]{6})\.(svg|png)$/.exec(String(req.params.file));
    const code = match?.[1];
    const format = match?.[2] === 'png' ? 'png' : 'svg';
    // An unknown code gets no image: a poster must never carry a dead link.
    const found = code ? await api.findSessionByCode(code) : null;
    if (!code || !found?.ok) {
      const error = found && !found.ok ? found.error : null;
      res
        .status(!error || error.code === 'not_found' ? 404 : 500)
        .set('cache-control', 'no-store')
        .json({ ok: false, error: error ?? { code: 'not_found', message: 'no such QR code' } });
      return;
    }
    const text = joinUrl(publicUrl, code);
    res.set('cache-control', CACHE_OK);
    res.set('content-disposition', `inline; filename="gentofte-talks-${code}.${format}"`);
    if (format === 'svg') {
      res.type('image/svg+xml').send(await QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' }));
    } else {
      res
        .type('image/png')
        .send(await QRCode.toBuffer(text, { ...QR_OPTIONS, type: 'png', width: PNG_WIDTH }));
    }
  });
  return router;
}
