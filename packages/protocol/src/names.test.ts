import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { commands } from './commands.js';
import {
  COMMAND_NAMES,
  IDEMPOTENT_COMMANDS,
  SEQUENCED_UPDATES,
  SESSIONLESS_COMMANDS,
  isCommandName,
  isIdempotentCommand,
  isSessionlessCommand,
} from './names.js';
import { updates } from './updates.js';

/**
 * The modules a bundle of `entry` holds, as esbuild resolves them for a browser. The path is
 * the repository root's, where vitest runs (this package type-checks without Node's types).
 */
async function bundledModules(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`packages/protocol/src/${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    // The workspace packages' TypeScript source, as Vite's dev server and the tests read it.
    conditions: ['development'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}
const isZod = (path: string) => /node_modules\/zod\//.test(path);

describe('the zod-free names of the protocol (@gt/protocol/names)', () => {
  it('list the commands of the table, in its order', () => {
    expect([...COMMAND_NAMES]).toEqual(Object.keys(commands));
    expect(isCommandName('post:create')).toBe(true);
    expect(isCommandName('post:delete')).toBe(false);
    expect(isCommandName('toString')).toBe(false);
  });

  it('list exactly the idempotent commands, the session-less commands and the sequenced updates', () => {
    expect([...IDEMPOTENT_COMMANDS].sort()).toEqual(
      COMMAND_NAMES.filter((name) => commands[name].isIdempotent).sort(),
    );
    expect(COMMAND_NAMES.filter(isIdempotentCommand)).toEqual(
      COMMAND_NAMES.filter((name) => commands[name].isIdempotent),
    );
    const withoutSession = COMMAND_NAMES.filter(
      (name) => !('sessionId' in (commands[name].request as unknown as { shape: object }).shape),
    );
    expect([...SESSIONLESS_COMMANDS]).toEqual(withoutSession);
    expect(COMMAND_NAMES.filter(isSessionlessCommand)).toEqual(withoutSession);
    const tables = updates as Record<string, { shape: object }>;
    const sequenced = Object.keys(tables).filter((name) => 'seq' in (tables[name]?.shape ?? {}));
    expect([...SEQUENCED_UPDATES].sort()).toEqual(sequenced.sort());
  });

  it('are exported as a subpath with the same conditions as the package root', () => {
    const exports = packageJson.exports as Record<string, Record<string, string>>;
    expect(Object.keys(exports['./names'] ?? {})).toEqual(Object.keys(exports['.'] ?? {}));
    expect(exports['./names']).toEqual({
      development: './src/names.ts',
      types: './dist/names.d.ts',
      default: './dist/names.js',
    });
  });

  // A browser page imports values from the subpath: zod in it would add ~37 KB gzipped to the
  // attendee page's first load (client/e2e/attendee-budget.e2e.ts).
  it('bundle for a browser without zod', async () => {
    const modules = await bundledModules('names.ts');
    expect(modules.filter(isZod)).toEqual([]);
    // Nothing else at all: names.ts has no value imports, so a new one is a deliberate choice.
    expect(modules).toHaveLength(1);
    expect(modules[0]).toMatch(/names\.ts$/);
  });

  it('unlike the package root, whose bundle the same check finds zod in', async () => {
    const modules = await bundledModules('index.ts');
    expect(modules.filter(isZod).length).toBeGreaterThan(0);
  });
});
