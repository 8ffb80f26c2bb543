// The join QR code, decoded by a QR reader as a phone would: it must give the PUBLIC_URL
// join link of the talk, and exist only for codes that belong to a talk.
import type { AddressInfo } from 'node:net';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { App } from '../app.js';
import { ensureOrganiser } from '../services/first-start.js';
import { makeTestStore } from '../testing/test-app.js';
import type { TestStore } from '../testing/test-app.js';

// jsqr is CommonJS whose exports also carry `default`; under NodeNext that is the typed path.
const jsQR = jsQRModule.default;
const PUBLIC_URL = 'https://talks.gentofte.example';
const ORGANISER = { email: 'organiser@example.org', password: 'correct horse battery' };
let testStore: TestStore;
let app: App;
let url: string;
let joinCode: string;

beforeAll(async () => {
  testStore = await makeTestStore('sqlite');
  await ensureOrganiser({
    store: testStore.store,
    organisationName: 'Gentofte Kommune',
    ...ORGANISER,
    legacyFile: null,
  });
  app = await createApp({
    config: {
      secretKey: 'qr-test-secret-key-that-is-long-enough-01234',
      allowedOrigins: [PUBLIC_URL],
      trustProxy: false,
      publicUrl: PUBLIC_URL,
    },
    store: testStore.store,
    logger: pino({ level: 'silent' }),
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;

  const login = await app.service.login(ORGANISER);
  if (!login.ok) throw new Error('login failed');
  const creds = { staff: login.data.staffToken };
  const event = await app.service.createEvent(creds, { title: 'Kulturnatten' });
  if (!event.ok) throw new Error('createEvent failed');
  const created = await app.service.createSession(creds, {
    eventId: event.data.id,
    title: 'Scenen',
  });
  if (!created.ok) throw new Error('createSession failed');
  joinCode = created.data.session.joinCode;
});

afterAll(async () => {
  await app.close();
  await testStore.cleanup();
});

describe('join QR codes', () => {
  it('the PNG decodes to the PUBLIC_URL join link of the talk', async () => {
    const response = await fetch(`${url}/qr/join/${joinCode}.png`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(`${PUBLIC_URL}/j/${joinCode}`);
  });

  it('the PNG is dark on light with a quiet zone around the code', async () => {
    const response = await fetch(`${url}/qr/join/${joinCode}.png`);
    const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()));
    const pixel = (x: number, y: number) => png.data[(y * png.width + x) * 4]!;
    // Corners and edges are light (the quiet zone); the finder pattern inside is dark.
    for (const [x, y] of [
      [0, 0],
      [png.width - 1, 0],
      [0, png.height - 1],
      [png.width - 1, png.height - 1],
      [Math.floor(png.width / 2), 2],
    ] as const)
      expect(pixel(x, y)).toBeGreaterThan(200);
    // Four light modules around the code: the top-left finder pattern's centre lies 4 + 3.5
    // modules from the corner, and it is dark.
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded).not.toBeNull();
    const modules = 17 + 4 * decoded!.version;
    const moduleSize = png.width / (modules + 2 * 4);
    const finder = decoded!.location.topLeftFinderPattern;
    expect(finder.x / moduleSize).toBeCloseTo(7.5, 0);
    expect(finder.y / moduleSize).toBeCloseTo(7.5, 0);
    expect(pixel(Math.round(finder.x), Math.round(finder.y))).toBeLessThan(50);
  });

  it('the SVG is an SVG image of the same code', async () => {
    const response = await fetch(`${url}/qr/join/${joinCode}.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await response.text();
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('fill="#ffffff"');
    expect(svg).toContain('stroke="#000000"');
  });

  it('answers 404, never cached, for a code no talk has and for any other file name', async () => {
    const unused = joinCode === '000000' ? '000001' : '000000';
    const files = [`${unused}.png`, `${unused}.svg`, 'abcdef.png', '12345.svg', `${joinCode}.gif`];
    for (const file of [...files, joinCode]) {
      const response = await fetch(`${url}/qr/join/${file}`);
      expect(response.status, file).toBe(404);
      expect(response.headers.get('content-type'), file).toMatch(/json/);
      expect(response.headers.get('cache-control'), file).toBe('no-store');
    }
  });
});
