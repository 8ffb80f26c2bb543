// The attendee page's JavaScript budget (issue 4, quality): at most 60 KB gzipped on first
// load, measured on the production build the browser tier has just made. "First load" is what
// SvelteKit itself preloads for the route: the client entry's imports plus the `imports` of
// the route's layout and page nodes (the build's server manifest lists them). What the page
// loads later with import() (the Socket.IO client, the duplicate hint) is printed, not
// budgeted. No chunk the attendee page can load carries zod.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/server.js';

const BUDGET_BYTES = 60_000;
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

/** Every chunk reachable from `files` through static and dynamic imports (Vite's manifest). */
function reachable(files: readonly string[]): string[] {
  type Entry = { file: string; imports?: string[]; dynamicImports?: string[] };
  const manifest = JSON.parse(read(join(CLIENT, '.vite', 'manifest.json'))) as Record<
    string,
    Entry
  >;
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
