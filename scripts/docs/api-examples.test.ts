// Every JSON example of the protocol docs parses and matches the zod schema its fence names
// (scripts/docs/api-examples.ts). The cases below the first two prove the check can fail.
import { COMMAND_NAMES, updates } from '@gt/protocol';
import { describe, expect, it } from 'vitest';
import { checkExample, extractExamples, type Example } from './api-examples.js';
import { apiDocs } from './api-pages.js';

const examples = apiDocs().flatMap((doc) => extractExamples(doc.path, doc.text));

function find(label: string): Example {
  const example = examples.find((e) => e.label === label);
  if (!example) throw new Error(`the docs have no example labelled "${label}"`);
  return example;
}

/** The example with one field removed, as if the docs had forgotten it. */
function without(example: Example, path: string[]): Example {
  const value = JSON.parse(example.text) as Record<string, unknown>;
  let parent = value;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  expect(parent).toHaveProperty(path.at(-1)!);
  delete parent[path.at(-1)!];
  return { ...example, text: JSON.stringify(value, null, 2) };
}

describe('the JSON examples of the protocol docs', () => {
  it('are all found: every ```json fence of every page is an example', () => {
    const fences = apiDocs().reduce(
      (sum, doc) => sum + doc.text.split('\n').filter((l) => l.startsWith('```json')).length,
      0,
    );
    expect(examples.length).toBeGreaterThan(60);
    expect(examples.length).toBe(fences);
  });

  it('each match the schema of the command, update or route they name', () => {
    expect(examples.flatMap(checkExample)).toEqual([]);
  });

  it('show a request and an acknowledgement of every command, and every update', () => {
    const labels = new Set(examples.map((e) => e.label));
    const wanted = [
      ...COMMAND_NAMES.flatMap((name) => [`${name} request`, `${name} ack`]),
      ...Object.keys(updates).map((name) => `${name} update`),
    ];
    expect(wanted.filter((label) => !labels.has(label))).toEqual([]);
  });

  it('reports a request that lost a required field, naming the command, the example and the field', () => {
    const example = find('post:create request');
    const problems = checkExample(without(example, ['commandId']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${example.file}:${example.line} (post:create request)`);
    expect(problems[0]).toContain('commandId');
  });

  it('reports a post view in an acknowledgement that lost a required field', () => {
    const example = find('post:create ack');
    const problems = checkExample(without(example, ['data', 'post', 'voices']));
    expect(problems).toEqual([
      expect.stringMatching(/\(post:create ack\): data\.post\.voices: /) as unknown,
    ]);
  });

  it('reports the current post of a conflict that lost a required field', () => {
    const example = find('post:answer error');
    const problems = checkExample(without(example, ['error', 'details', 'current', 'status']));
    expect(problems).toEqual([
      expect.stringMatching(/\(post:answer error\): error\.details\.current\.status: /) as unknown,
    ]);
  });

  it('reports an update and a REST answer that lost a required field', () => {
    expect(checkExample(without(find('post:withdrawn update'), ['postId']))).toHaveLength(1);
    expect(checkExample(without(find('POST /api/login ack'), ['data', 'orgId']))).toHaveLength(1);
  });

  it('reports a field the schema does not know, since the schemas are strict', () => {
    const example = find('session:leave request');
    const problems = checkExample({ ...example, text: '{ "sessionId": "ses_abcdefgh", "x": 1 }' });
    expect(problems).toEqual([expect.stringContaining('Unrecognized key') as unknown]);
  });

  it('reports an unlabelled example, an unknown name and text that is not JSON', () => {
    const base = { file: 'docs/api/x.md', line: 3, text: '{}' };
    expect(checkExample({ ...base, label: '' })[0]).toContain('docs/api/x.md:3 (unlabelled)');
    expect(checkExample({ ...base, label: 'post:frobnicate request' })[0]).toContain(
      'neither a command nor a documented REST route',
    );
    expect(checkExample({ ...base, label: 'post:created ack' })[0]).toContain('is an update');
    expect(
      checkExample({ ...base, label: 'post:create request', text: '{ sessionId }' })[0],
    ).toContain('not JSON');
  });

  it('finds the label and the line of a fence', () => {
    const markdown = 'text\n\n```json post:create request\n{}\n```\n';
    expect(extractExamples('a.md', markdown)).toEqual([
      { file: 'a.md', line: 3, label: 'post:create request', text: '{}\n' },
    ]);
  });
});
