/**
 * The paths the docs name must exist: a reader who follows `docs/SPEC.md`'s pointer to a file,
 * or the architecture map's "where do I change X", must land somewhere. Two kinds of mention
 * are checked:
 *
 * - relative markdown links, `[text](../API.md#anchor)`, resolved from the doc's folder, and
 *   docs named in plain words (`DESIGN.md`);
 * - backticked paths: a token with a `/`, or a file name with a source extension
 *   (`first-screen.ts`). One that starts at the repository root (`server/src/app.ts`) must
 *   exist there; a shorter one (`lib/session/views.ts`, `wall-views.ts`) must end the path of
 *   some file or folder, since docs often name a file from inside its package. `*` and
 *   `<placeholder>` match anything, so `client/e2e/*.e2e.ts` must match at least one file.
 *
 * Not paths: URLs and routes (`/api`, `http://…`), environment placeholders (`DATA_DIR/…`),
 * property paths (`settings.hideVotes`), and anything inside the outputs the build and the
 * tests write (`dist/`, `build/`, `.test-results/` …), which a fresh checkout lacks.
 */
import { readdirSync } from 'node:fs';

/** Folders a checkout does not hold: installed, built, or written by runs. */
export const GENERATED = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  '.svelte-kit',
  '.turbo',
  'coverage',
  '.test-results',
  'bench-results',
  'data',
]);

const FILE_NAME =
  /^[\w+[\]@-][\w.+[\]@-]*\.(?:ts|js|mjs|cjs|svelte|json|md|yml|yaml|html|lua|sql|sh)$/;

/** Every file and folder of the repository, relative to its root, without generated ones. */
export function listRepo(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(root + dir, { withFileTypes: true })) {
      if (GENERATED.has(entry.name)) continue;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      found.push(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk('');
  return found;
}

export interface Mention {
  line: number;
  /** What the doc wrote. */
  text: string;
  kind: 'link' | 'path';
}

function lineAt(markdown: string, index: number): number {
  return markdown.slice(0, index).split('\n').length;
}

/** The links and backticked paths of a doc's prose (fenced code is example, not pointer). */
export function mentionsOf(markdown: string): Mention[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, (block) =>
    block.replace(/[^\n]/g, ' '),
  );
  const mentions: Mention[] = [];
  for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^(?:[a-z]+:|#)/i.test(target)) continue;
    mentions.push({ line: lineAt(prose, m.index), text: target, kind: 'link' });
  }
  for (const m of prose.matchAll(/`([^`\s]+)`/g)) {
    const token = m[1]!;
    if (isPathLike(token))
      mentions.push({ line: lineAt(prose, m.index), text: token, kind: 'path' });
  }
  // A doc named in plain words ("the reasons are in DESIGN.md") is a pointer too.
  const plain = prose.replace(/`[^`\n]*`|\]\([^)]*\)/g, (span) => span.replace(/./g, ' '));
  for (const m of plain.matchAll(/(?<![\w/.-])((?:[\w.-]+\/)*[A-Z][A-Z0-9_-]*\.md)\b/g)) {
    mentions.push({ line: lineAt(prose, m.index), text: m[1]!, kind: 'path' });
  }
  return mentions.sort((a, b) => a.line - b.line);
}

function isPathLike(token: string): boolean {
  if (/^[/?$%@.\-~]|:\/\/|^[A-Z][A-Z0-9_]*\//.test(token)) return false;
  if (token.includes('/')) return true;
  return FILE_NAME.test(token);
}

function toRegExp(pattern: string): RegExp {
  const source = pattern
    .split(/(\*|<[^>]*>)/)
    .map((part) => {
      if (part === '*') return '[^/]*';
      if (part.startsWith('<')) return '.+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

export interface PathIndex {
  /** Root-relative paths of every file and folder. */
  paths: Set<string>;
  list: string[];
}

export function indexPaths(list: string[]): PathIndex {
  return { paths: new Set(list), list };
}

/** Whether a backticked path names something in the repository (see the module comment). */
export function pathExists(token: string, index: PathIndex): boolean {
  const path = token.replace(/[#:].*$/, '').replace(/\/$/, '');
  if (path.split('/').some((segment) => GENERATED.has(segment))) return true;
  const pattern = toRegExp(path);
  // A component named without its extension (`lib/ui/JoinForm`) still names its file.
  const withExtension = new RegExp(`${pattern.source.slice(0, -1)}\\.[a-z]+$`);
  return index.list.some((candidate) => {
    const tails = candidate.split('/').map((_, i, all) => all.slice(i).join('/'));
    return tails.some((tail) => pattern.test(tail) || withExtension.test(tail));
  });
}

/** Joins `docs/api` and `../API.md#x` into `docs/API.md`. */
export function resolveLink(docDir: string, target: string): string {
  const parts = docDir ? docDir.split('/') : [];
  for (const segment of target.replace(/[#?].*$/, '').split('/')) {
    if (segment === '..') parts.pop();
    else if (segment && segment !== '.') parts.push(segment);
  }
  return parts.join('/');
}

export interface Exceptions {
  /** Paths the docs describe before they exist. */
  planned: ReadonlySet<string>;
  /** Files the running app writes (into `DATA_DIR`), which no checkout holds. */
  runtime: ReadonlySet<string>;
}

/**
 * Every mention of `doc` that names nothing, as `file:line: text`. A planned path that exists
 * by now is reported too, so the list shrinks as the work lands instead of hiding typos
 * forever.
 */
export function brokenMentions(
  doc: { path: string; text: string },
  index: PathIndex,
  { planned, runtime }: Exceptions,
): string[] {
  const docDir = doc.path.includes('/') ? doc.path.slice(0, doc.path.lastIndexOf('/')) : '';
  const problems: string[] = [];
  for (const mention of mentionsOf(doc.text)) {
    if (runtime.has(mention.text)) continue;
    const where = `${doc.path}:${mention.line}: \`${mention.text}\``;
    const exists =
      mention.kind === 'link'
        ? index.paths.has(resolveLink(docDir, mention.text))
        : pathExists(mention.text, index);
    if (planned.has(mention.text)) {
      if (exists) problems.push(`${where} exists now: remove it from the planned paths`);
    } else if (!exists) {
      problems.push(`${where} names no file or folder of the repository`);
    }
  }
  return problems;
}
