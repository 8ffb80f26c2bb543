/**
 * A type test run by the compiler itself: the command bus's table must name a handler for
 * every command of the protocol. The protocol's table is given one extra command in memory
 * (no file changes) and the server's command bus is compiled against it; the compiler must
 * refuse the bus, naming the new command. The same compile without the extra command is
 * clean, so the refusal is the new command's doing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bus = join(serverDir, 'src/services/command-bus.ts');
const commandsFile = resolve(serverDir, '../packages/protocol/src/commands.ts');
const TABLE_START = 'export const commands = {';
const EXTRA = `
  'poll:nudge': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({ sessionId: idSchema }),
    ack: z.strictObject({}),
    summary: 'a command added to the table without a handler',
  },`;

/** Errors the compiler reports in the command bus, with the protocol's table as given. */
function busErrors(withExtraCommand: boolean): string[] {
  const configFile = ts.readConfigFile(join(serverDir, 'tsconfig.json'), (path) =>
    ts.sys.readFile(path),
  );
  const options = ts.parseJsonConfigFileContent(configFile.config, ts.sys, serverDir).options;
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => {
    const text = readFile(path);
    if (!withExtraCommand || resolve(path) !== commandsFile || text === undefined) return text;
    if (!text.includes(TABLE_START)) throw new Error(`${commandsFile} has no "${TABLE_START}"`);
    return text.replace(TABLE_START, TABLE_START + EXTRA);
  };
  const program = ts.createProgram([bus], { ...options, noEmit: true }, host);
  const source = program.getSourceFile(bus);
  if (!source) throw new Error('the command bus was not compiled');
  return ts
    .getPreEmitDiagnostics(program, source)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the command table', () => {
  it('compiles as it is', () => {
    expect(readFileSync(commandsFile, 'utf8')).toContain(TABLE_START);
    expect(busErrors(false)).toEqual([]);
  }, 120_000);

  it('refuses to compile when a command of the protocol has no handler', () => {
    const errors = busErrors(true);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain('poll:nudge');
  }, 120_000);
});
