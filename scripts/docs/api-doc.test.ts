// The protocol docs (docs/API.md and the reference pages it links under docs/api/) are the
// reference for people who write their own clients. They must keep up with the protocol
// tables: a `## \`<name>\`` heading for every command and update, in table order across the
// pages, none for a name the tables no longer have, and every error code mentioned.
import { COMMAND_NAMES, ERROR_CODES, commands, updates } from '@gt/protocol';
import { describe, expect, it } from 'vitest';
import { apiDocs, apiPageFiles, linkedPages, proseOf } from './api-pages.js';

const docs = apiDocs();
const prose = docs.map((doc) => proseOf(doc.text)).join('\n');
const headings = [...prose.matchAll(/^#{2,3} `([^`]+)`/gm)].map((m) => m[1]!);

const commandNames: string[] = [...COMMAND_NAMES];
const updateNames: string[] = Object.keys(updates);
const known = new Set([...commandNames, ...updateNames]);

describe('the protocol docs', () => {
  it('link every reference page under docs/api/ from the overview, so every page is checked', () => {
    expect(linkedPages(docs[0]!.text).sort()).toEqual(apiPageFiles());
  });

  it('have a heading for every command of the command table, in table order', () => {
    expect(commandNames.filter((name) => !headings.includes(name))).toEqual([]);
    expect(headings.filter((name) => commandNames.includes(name))).toEqual(commandNames);
  });

  it('have a heading for every update of the update table, in table order', () => {
    expect(updateNames.filter((name) => !headings.includes(name))).toEqual([]);
    expect(headings.filter((name) => updateNames.includes(name))).toEqual(updateNames);
  });

  it('document no command or update that the tables no longer have', () => {
    expect(headings.filter((name) => !known.has(name))).toEqual([]);
  });

  it('document each command and update once', () => {
    expect(headings.filter((name, i) => headings.indexOf(name) !== i)).toEqual([]);
  });

  it('mention every error code in the overview', () => {
    const overview = proseOf(docs[0]!.text);
    expect(ERROR_CODES.filter((code) => !overview.includes(`\`${code}\``))).toEqual([]);
  });

  it("name in the overview's page table only commands and updates that page documents", () => {
    const rows = [
      ...docs[0]!.text.matchAll(/^\| \[[^\]]+\]\((api\/[a-z0-9-]+\.md)\) +\| ([^\n]+)\|$/gm),
    ];
    const misplaced = rows.flatMap(([, page, holds]) => {
      const text = docs.find((doc) => doc.path === `docs/${page!}`)?.text ?? '';
      const own = new Set([...proseOf(text).matchAll(/^#{2,3} `([^`]+)`/gm)].map((m) => m[1]));
      return [...holds!.matchAll(/`([^`]+)`/g)]
        .map((m) => m[1]!)
        .filter((name) => known.has(name) && !own.has(name))
        .map((name) => `${name} is not on ${page!}`);
    });
    expect(rows.length).toBeGreaterThan(5);
    expect(misplaced).toEqual([]);
  });

  it('keep the commands out of the overview: they belong to the reference pages', () => {
    const overviewHeadings = [...proseOf(docs[0]!.text).matchAll(/^#{2,3} `([^`]+)`/gm)];
    expect(overviewHeadings.map((m) => m[1])).toEqual([]);
  });
});

describe('the capability table of docs/API.md', () => {
  const capabilities = new Set(
    Object.values(commands).map((spec: { capability: string | null }) => spec.capability ?? 'none'),
  );
  // `| \`moderate\` | staff of the session | \`post:approve\`, … |`, and `| none | … |`.
  const rows = new Map(
    [...proseOf(docs[0]!.text).matchAll(/^\| `?([a-z]+)`? +\| [^|]+\| ([^\n]+) \|$/gm)]
      .filter((m) => capabilities.has(m[1]!))
      .map((m) => [m[1]!, m[2]!]),
  );

  it('lists every command in the row of the capability the command table gives it', () => {
    const misplaced = commandNames.filter((name) => {
      const capability = commands[name as keyof typeof commands].capability ?? 'none';
      return !rows.get(capability)?.includes(`\`${name}\``);
    });
    expect([...rows.keys()].sort()).toEqual([...capabilities].sort());
    expect(misplaced).toEqual([]);
  });

  it('lists each command in one row only', () => {
    const listed = [...rows.values()].flatMap((row) =>
      commandNames.filter((name) => row.includes(`\`${name}\``)),
    );
    expect(listed.filter((name, i) => listed.indexOf(name) !== i)).toEqual([]);
  });
});
