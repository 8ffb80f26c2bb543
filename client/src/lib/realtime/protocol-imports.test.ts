import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, PROTOCOL_VERSION } from '@gt/protocol';
import { FINAL_ERROR_CODES } from './outbox.js';
import { SessionConnection } from './session-connection.js';
import type { ClientSocket } from './session-connection.js';

describe('what the browser takes from the protocol', () => {
  it('presents the protocol package’s version at the handshake', async () => {
    let auth: unknown;
    const connection = new SessionConnection({
      sessionId: 'ses_00000001',
      deviceToken: 'dev-token',
      lifecycle: null,
      createSocket: (_url, options) => {
        const presentAuth = options.auth as (cb: (data: object) => void) => void;
        presentAuth((data) => (auth = data));
        return { on: () => {}, connect: () => {}, disconnect: () => {} } as unknown as ClientSocket;
      },
    });
    // The socket is opened once its module has loaded (a moment after the constructor).
    await vi.waitFor(() => expect(auth).toEqual({ v: PROTOCOL_VERSION, device: 'dev-token' }));
    connection.close();
  });

  it('retries only rate limits and the server’s own trouble', () => {
    expect(
      ERROR_CODES.filter((code) => !(FINAL_ERROR_CODES as readonly string[]).includes(code)),
    ).toEqual(['rate_limited', 'internal']);
  });
});

describe('the browser bundle', () => {
  // @gt/protocol's entry point re-exports zod schemas: a value import would ship zod to phones.
  // Values come from its zod-free subpath, @gt/protocol/names.
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
