// docs/API.md is the protocol reference for people who write their own clients. It must keep
// up with the protocol tables: a `### \`<name>\`` heading for every command and update, in
// table order, none for a name the tables no longer have, and every error code mentioned.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMAND_NAMES, ERROR_CODES, updates } from '@gt/protocol';
import { describe, expect, it } from 'vitest';

const docPath = fileURLToPath(new URL('../../docs/API.md', import.meta.url));
const doc = readFileSync(docPath, 'utf8');
// Only prose counts: a heading or a code quoted inside a fenced example is not documentation.
const prose = doc.replace(/^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm, '');
const headings = [...prose.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]!);

const commandNames: string[] = [...COMMAND_NAMES];
const updateNames: string[] = Object.keys(updates);
const known = new Set([...commandNames, ...updateNames]);

describe('docs/API.md', () => {
  it('has a heading for every command of the command table, in table order', () => {
    expect(commandNames.filter((name) => !headings.includes(name))).toEqual([]);
    expect(headings.filter((name) => commandNames.includes(name))).toEqual(commandNames);
  });

  it('has a heading for every update of the update table, in table order', () => {
    expect(updateNames.filter((name) => !headings.includes(name))).toEqual([]);
    expect(headings.filter((name) => updateNames.includes(name))).toEqual(updateNames);
  });

  it('documents no command or update that the tables no longer have', () => {
    expect(headings.filter((name) => !known.has(name))).toEqual([]);
  });

  it('documents each command and update once', () => {
    expect(headings.filter((name, i) => headings.indexOf(name) !== i)).toEqual([]);
  });

  it('mentions every error code', () => {
    expect(ERROR_CODES.filter((code) => !prose.includes(`\`${code}\``))).toEqual([]);
  });
});
