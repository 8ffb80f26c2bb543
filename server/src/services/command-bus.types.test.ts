/**
 * A type test run by the compiler itself: the command bus's table must name a handler for
 * every command of the protocol. The protocol is given one extra command in memory (its name
 * in names.ts, its spec in the table of commands.ts; no file changes) and the server's command
 * bus is compiled against it: the protocol must still compile, and the compiler must refuse
 * the bus, naming the new command. The same compile without the extra command is clean, so
 * the refusal is the new command's doing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bus = join(serverDir, 'src/services/command-bus.ts');
const commandsFile = resolve(serverDir, '../packages/protocol/src/commands.ts');
const namesFile = resolve(serverDir, '../packages/protocol/src/names.ts');
const TABLE_START = 'export const commands = {';
const NAMES_START = 'export const COMMAND_NAMES = [';
const EXTRA = `
  'poll:nudge': {
    capability: 'read',
    isIdempotent: false,
    request: z.strictObject({ sessionId: idSchema }),
    ack: z.strictObject({}),
    summary: 'a command added to the table without a handler',
  },`;

/** Splices `extra` in after `start` in the text of `file`, failing loudly when it moved. */
function splice(file: string, text: string, start: string, extra: string): string {
  if (!text.includes(start)) throw new Error(`${file} has no "${start}"`);
  return text.replace(start, start + extra);
}

/**
 * Errors the compiler reports in the command bus and in the protocol's two files, with the
 * protocol as given.
 */
function compile(withExtraCommand: boolean): { bus: string[]; protocol: string[] } {
  const configFile = ts.readConfigFile(join(serverDir, 'tsconfig.json'), (path) =>
    ts.sys.readFile(path),
  );
  const options = ts.parseJsonConfigFileContent(configFile.config, ts.sys, serverDir).options;
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => {
    const text = readFile(path);
    if (!withExtraCommand || text === undefined) return text;
    if (resolve(path) === commandsFile) return splice(path, text, TABLE_START, EXTRA);
    if (resolve(path) === namesFile) return splice(path, text, NAMES_START, "\n  'poll:nudge',");
    return text;
  };
  const program = ts.createProgram([bus], { ...options, noEmit: true }, host);
  const errorsIn = (file: string) => {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} was not compiled`);
    return ts
      .getPreEmitDiagnostics(program, source)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  };
  return { bus: errorsIn(bus), protocol: [...errorsIn(commandsFile), ...errorsIn(namesFile)] };
}

describe('the command table', () => {
  it('compiles as it is', () => {
    expect(readFileSync(commandsFile, 'utf8')).toContain(TABLE_START);
    expect(compile(false)).toEqual({ bus: [], protocol: [] });
  }, 120_000);

  it('refuses to compile when a command of the protocol has no handler', () => {
    const { bus: errors, protocol } = compile(true);
    // The protocol with the new command is sound: the refusal is the bus's.
    expect(protocol).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain('poll:nudge');
  }, 120_000);
});
