import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_NAMES,
  ERROR_CODES,
  PROTOCOL_VERSION as WIRE_PROTOCOL_VERSION,
  SEQUENCED_UPDATES,
  commands,
} from '@gt/protocol';
import {
  FINAL_ERROR_CODES,
  IDEMPOTENT_COMMANDS,
  PROTOCOL_VERSION,
  SEQUENCED_UPDATE_NAMES,
  SESSIONLESS_COMMANDS,
} from './protocol-constants.js';

describe('the protocol constants the browser declares for itself', () => {
  it('use the protocol package’s version', () => {
    expect(PROTOCOL_VERSION).toBe(WIRE_PROTOCOL_VERSION);
  });

  it('list exactly the idempotent commands, the sequenced updates and the session-less commands', () => {
    expect([...IDEMPOTENT_COMMANDS].sort()).toEqual(
      COMMAND_NAMES.filter((name) => commands[name].isIdempotent).sort(),
    );
    expect([...SEQUENCED_UPDATE_NAMES].sort()).toEqual([...SEQUENCED_UPDATES].sort());
    const withoutSession = COMMAND_NAMES.filter(
      (name) => !('sessionId' in (commands[name].request as { shape: object }).shape),
    );
    expect([...SESSIONLESS_COMMANDS]).toEqual(withoutSession);
  });

  it('retry only rate limits and the server’s own trouble', () => {
    expect(
      ERROR_CODES.filter((code) => !(FINAL_ERROR_CODES as readonly string[]).includes(code)),
    ).toEqual(['rate_limited', 'internal']);
  });
});

describe('the browser bundle', () => {
  // @gt/protocol's entry point re-exports zod schemas: a value import would ship zod to phones.
  it('imports only types from @gt/protocol in realtime/ and session/', () => {
    const lib = fileURLToPath(new URL('..', import.meta.url));
    const offenders: string[] = [];
    for (const folder of ['realtime', 'session']) {
      for (const file of readdirSync(join(lib, folder))) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
        const source = readFileSync(join(lib, folder, file), 'utf8');
        for (const match of source.matchAll(/import\s+(type\s+)?[^;]*?from\s+'@gt\/protocol'/g))
          if (!match[1]) offenders.push(`${folder}/${file}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
