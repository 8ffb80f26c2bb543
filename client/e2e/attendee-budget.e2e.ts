// The attendee page's JavaScript budget (issue 4, quality): at most 60 KB gzipped on first
// load, measured on the production build the browser tier has just made. "First load" is what
// SvelteKit itself preloads for the route: the client entry's imports plus the `imports` of
// the route's layout and page nodes (the build's server manifest lists them). No chunk the
// attendee page can load carries zod.
//
// The page then imports more with import() as soon as it runs (the Socket.IO client, the
// speaker queue, the impression watcher): a real phone opening the page downloads all of it
// in its first seconds, so a second budget bounds that whole set, as a browser really asks
// for it. The duplicate hint waits for the first keystroke and is not part of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { m } from '@gt/i18n';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  AttendeePage,
  NodeClient,
  commandId,
  createLiveTalk,
  registerDevice,
} from './support/live-pages.js';
import { VIEWPORTS } from './support/pages.js';
import { REPO_ROOT } from './support/server.js';

const BUDGET_BYTES = 60_000;
/**
 * Everything the page imports in its first seconds, without anyone typing: the first load
 * (59.9 KB when this was set) and what it imports on start (socket.io-client, the speaker
 * queue, the impression watcher: 15.8 KB in 4 files), 75.6 KB in all, plus a small margin. It
 * is here so that the page cannot grow unnoticed through import() either.
 */
const FIRST_SECONDS_BUDGET_BYTES = 77_000;
const OUTPUT = join(REPO_ROOT, 'client', '.svelte-kit', 'output');
const CLIENT = join(OUTPUT, 'client');
const ROUTE = '/s/[sessionId]';

const read = (path: string) => readFileSync(path, 'utf8');
const gzipped = (file: string) => gzipSync(readFileSync(join(CLIENT, file)), { level: 9 }).length;
const listIn = (source: string, name: string): string[] => {
  const match = new RegExp(`(?:export const |\\b)${name}\\s*[=:]\\s*(\\[[^\\]]*\\])`).exec(source);
  if (!match?.[1]) throw new Error(`no ${name} list in the build's manifest`);
  return JSON.parse(match[1]) as string[];
};

function firstLoad(): { js: string[]; css: string[] } {
  const manifest = read(join(OUTPUT, 'server', 'manifest-full.js'));
  const client = /client:\s*\{[^}]*\}/.exec(manifest)?.[0] ?? '';
  const route = new RegExp(
    `id: "${ROUTE.replace(/[[\]/]/g, '\\$&')}"[\\s\\S]*?page: \\{ layouts: \\[([0-9,]*)\\], errors: \\[[0-9,]*\\], leaf: (\\d+) \\}`,
  ).exec(manifest);
  if (!route?.[2]) throw new Error(`${ROUTE} is not in the build's manifest`);
  const nodes = [...(route[1] ?? '').split(',').filter(Boolean), route[2]];
  const js = new Set(listIn(client, 'imports'));
  const css = new Set<string>();
  for (const node of nodes) {
    const source = read(join(OUTPUT, 'server', 'nodes', `${node}.js`));
    for (const file of listIn(source, 'imports')) js.add(file);
    for (const file of listIn(source, 'stylesheets')) css.add(file);
  }
  return { js: [...js], css: [...css] };
}

type ManifestEntry = { file: string; imports?: string[]; dynamicImports?: string[] };
const viteManifest = () =>
  JSON.parse(read(join(CLIENT, '.vite', 'manifest.json'))) as Record<string, ManifestEntry>;

/** Every chunk reachable from `files` through static and dynamic imports (Vite's manifest). */
function reachable(files: readonly string[]): string[] {
  const manifest = viteManifest();
  const byFile = new Map(Object.values(manifest).map((entry) => [entry.file, entry]));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const entry = byFile.get(file);
    for (const key of [...(entry?.imports ?? []), ...(entry?.dynamicImports ?? [])]) {
      const next = manifest[key]?.file;
      if (next) visit(next);
    }
  };
  files.forEach(visit);
  return [...seen];
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

describe('the attendee page’s JavaScript budget', () => {
  it(`loads at most ${kb(BUDGET_BYTES)} of JavaScript, gzipped, on first load, and no zod at all`, () => {
    const { js, css } = firstLoad();
    const rows = js
      .map((file) => ({ file, bytes: gzipped(file) }))
      .sort((a, b) => b.bytes - a.bytes);
    const total = rows.reduce((sum, row) => sum + row.bytes, 0);
    const cssTotal = css.reduce((sum, file) => sum + gzipped(file), 0);
    // From the route's own chunks: the client entry can import every other route's page.
    const ownChunks = js.filter((file) => !file.includes('/entry/'));
    const later = reachable(ownChunks).filter((file) => !js.includes(file));
    const laterTotal = later.reduce((sum, file) => sum + gzipped(file), 0);
    console.log(
      [
        `attendee page ${ROUTE}, first load: ${kb(total)} JavaScript in ${js.length} files, ${kb(cssTotal)} CSS (gzip -9)`,
        ...rows.slice(0, 6).map((row) => `  ${kb(row.bytes).padStart(8)}  ${row.file}`),
        `loaded later with import(): ${kb(laterTotal)} in ${later.length} files`,
      ].join('\n'),
    );
    expect(js.length).toBeGreaterThan(3);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);

    // zod's runtime names its error class and its schema types; none may reach this page.
    const withZod = [...new Set([...js, ...later])].filter((file) =>
      /\bZodError\b|\$ZodType|_zod\b/.test(read(join(CLIENT, file))),
    );
    expect(withZod).toEqual([]);
  });
});

describeInBrowser('the attendee page’s first seconds', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it(`loads at most ${kb(FIRST_SECONDS_BUDGET_BYTES)} of JavaScript, gzipped, in its first seconds, and the duplicate hint only once someone types`, async () => {
    const talk = await createLiveTalk(baseUrl, { moderation: 'post' });
    const other = await NodeClient.connect(baseUrl, { device: await registerDevice(baseUrl) });
    await other.send('post:create', {
      sessionId: talk.session.id,
      commandId: commandId(),
      kind: 'question',
      text: 'Hvornår åbner den nye cykelbro over Lyngbyvej?',
    });
    other.close();
    const context = await browser.newContext({ viewport: VIEWPORTS.phone });
    try {
      const page = await context.newPage();
      const loaded = new Set<string>();
      page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (path.startsWith('/_app/') && path.endsWith('.js')) loaded.add(path.slice(1));
      });
      const attendee = new AttendeePage(page);
      await attendee.goto(baseUrl, talk.session.id);
      // Started: connected, the speaker queue shown, the first screenful watched.
      await expect.poll(() => attendee.connectionStatus(), { timeout: 15_000 }).toBe('online');
      await page.getByRole('heading', { name: m.attendee_mic_heading() }).waitFor();
      await page.waitForLoadState('networkidle');
      const firstSeconds = [...loaded];
      const total = firstSeconds.reduce((sum, file) => sum + gzipped(file), 0);
      const { js } = firstLoad();
      const onStart = firstSeconds.filter((file) => !js.includes(file));
      console.log(
        [
          `attendee page, first seconds: ${kb(total)} JavaScript in ${firstSeconds.length} files (gzip -9)`,
          `  of which imported on start: ${kb(onStart.reduce((sum, file) => sum + gzipped(file), 0))} in ${onStart.length} files`,
        ].join('\n'),
      );
      // Everything preloaded was asked for, and the Socket.IO client came on start.
      const manifest = viteManifest();
      const chunkOf = (source: string) => {
        const key = Object.keys(manifest).find((k) => k.includes(source));
        if (!key) throw new Error(`${source} is not in the build`);
        return manifest[key]!.file;
      };
      expect(js.filter((file) => !loaded.has(file))).toEqual([]);
      expect(onStart).toContain(chunkOf('socket.io-client'));
      expect(total).toBeLessThanOrEqual(FIRST_SECONDS_BUDGET_BYTES);

      // The duplicate hint is not among them; the first key brings it.
      const matcher = chunkOf('src/lib/session/duplicate-matcher.ts');
      const hint = chunkOf('src/lib/session/duplicate-hint.svelte.ts');
      expect(firstSeconds).not.toContain(hint);
      expect(firstSeconds).not.toContain(matcher);
      await attendee.textField.pressSequentially('Cykelbroen over Lyngbyvej');
      await expect
        .poll(() => loaded.has(hint) && loaded.has(matcher), { timeout: 15_000 })
        .toBe(true);
    } finally {
      await context.close();
    }
  });
});
