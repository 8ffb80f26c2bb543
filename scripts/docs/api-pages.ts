/**
 * The protocol docs as the checks read them: the overview `docs/API.md`, then the reference
 * pages it links under `docs/api/`, in the order of its links. That order is the reading
 * order, and the completeness test holds it to the order of the protocol tables.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DocPage {
  /** Repository-relative path, e.g. `docs/api/joining.md`. */
  path: string;
  text: string;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(repoRoot + path, 'utf8');
}

/** The `api/<page>.md` targets of an overview's links, each once, in order of appearance. */
export function linkedPages(overview: string): string[] {
  const targets = [...overview.matchAll(/\]\((api\/[a-z0-9-]+\.md)(?:#[^)]*)?\)/g)].map(
    (m) => `docs/${m[1]!}`,
  );
  return [...new Set(targets)];
}

export function apiDocs(): DocPage[] {
  const overview = readRepoFile('docs/API.md');
  return [
    { path: 'docs/API.md', text: overview },
    ...linkedPages(overview).map((path) => ({ path, text: readRepoFile(path) })),
  ];
}

/** Every markdown file under `docs/api/`, linked or not. */
export function apiPageFiles(): string[] {
  return readdirSync(repoRoot + 'docs/api')
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/api/${name}`)
    .sort();
}

/** The text outside fenced code blocks: a heading or a code inside an example is not prose. */
export function proseOf(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '');
}
