// The docs point only at files and folders that exist (scripts/docs/doc-paths.ts), apart from
// the planned paths listed here, each of which must still be missing.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoFile, repoRoot } from './api-pages.js';
import { brokenMentions, indexPaths, listRepo, mentionsOf } from './doc-paths.js';

/**
 * Paths the docs may name before they exist (none today). Each entry must still be missing:
 * the test says when one has landed and should leave the list.
 */
const PLANNED = new Set<string>([]);
/** Written by the running server into DATA_DIR; no checkout holds them. */
const RUNTIME = new Set(['organiser.json']);

const docs = [
  'README.md',
  ...readdirSync(repoRoot + 'docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(repoRoot + 'docs/api')
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/api/${name}`),
];
const index = indexPaths(listRepo(repoRoot));

describe('paths named in the docs', () => {
  it.each(docs)('%s names only files and folders that exist', (path) => {
    expect(
      brokenMentions({ path, text: readRepoFile(path) }, index, {
        planned: PLANNED,
        runtime: RUNTIME,
      }),
    ).toEqual([]);
  });

  const fake = indexPaths([
    'docs',
    'docs/API.md',
    'docs/api',
    'docs/api/joining.md',
    'client',
    'client/src',
    'client/src/lib',
    'client/src/lib/ui',
    'client/src/lib/ui/JoinForm.svelte',
    'client/e2e',
    'client/e2e/join.e2e.ts',
    'server',
    'server/src',
    'server/src/app.ts',
  ]);
  const check = (text: string, planned: string[] = []) =>
    brokenMentions({ path: 'docs/api/x.md', text }, fake, {
      planned: new Set(planned),
      runtime: new Set(['talks.json']),
    });

  it('reports a backticked path and a relative link that name nothing, with file and line', () => {
    expect(check('See `server/src/app.ts` and [the overview](../API.md#3-streams).')).toEqual([]);
    expect(check('intro\n\nSee `server/src/nowhere.ts`.')).toEqual([
      'docs/api/x.md:3: `server/src/nowhere.ts` names no file or folder of the repository',
    ]);
    expect(check('See [joining](joinin.md).')).toEqual([
      'docs/api/x.md:1: `joinin.md` names no file or folder of the repository',
    ]);
    expect(check('The reasons are in DESIGN.md; the rules in [API.md](../API.md).')).toEqual([
      'docs/api/x.md:1: `DESIGN.md` names no file or folder of the repository',
    ]);
  });

  it('accepts a path from inside a package, a bare file name, a pattern and a component name', () => {
    expect(check('`src/app.ts`, `app.ts`, `client/e2e/*.e2e.ts`, `lib/ui/JoinForm`')).toEqual([]);
    expect(check('`lib/app.ts`')).toHaveLength(1);
    expect(check('`client/e2e/*.int.test.ts`')).toHaveLength(1);
    expect(check('`missing-file.ts`')).toHaveLength(1);
    expect(check('`talks.json`, written by the server at run time')).toEqual([]);
  });

  it('ignores routes, URLs, environment placeholders, property paths, build outputs and code blocks', () => {
    const text = [
      '`/api/login`, `http://localhost:3000`, `DATA_DIR/secret.key`, `settings.hideVotes`,',
      '`client/build/handler.js`, `?/moderate`, [site](https://example.com), [top](#top)',
      '```json post:create request',
      '{ "see": "`server/src/nowhere.ts`" }',
      '```',
    ].join('\n');
    expect(check(text)).toEqual([]);
  });

  it('lets a planned path be missing, and reports it once it exists', () => {
    expect(
      check('`server/src/services/command-bus.ts`', ['server/src/services/command-bus.ts']),
    ).toEqual([]);
    expect(check('`server/src/app.ts`', ['server/src/app.ts'])).toEqual([
      'docs/api/x.md:1: `server/src/app.ts` exists now: remove it from the planned paths',
    ]);
  });

  it('reads the pointers of the real docs (the check above is not vacuous)', () => {
    const texts = mentionsOf(readRepoFile('README.md')).map((m) => m.text);
    expect(texts).toEqual(expect.arrayContaining(['docs/SPEC.md', 'organiser.json']));
  });

  it('finds mentions on the right lines', () => {
    expect(mentionsOf('a\n`x/y.ts`\n[l](z.md)')).toEqual([
      { line: 2, text: 'x/y.ts', kind: 'path' },
      { line: 3, text: 'z.md', kind: 'link' },
    ]);
  });
});
