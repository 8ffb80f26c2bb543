/**
 * [T3] No client message can crash the server. Generated malformed payloads for every command
 * of the table (wrong types, missing fields, huge strings, `__proto__` keys, extra arguments,
 * no acknowledgement callback), unknown events and broken packets; afterwards the server must
 * still answer and every acknowledgement must have been a well-formed result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMAND_NAMES, ERROR_CODES } from '@gt/protocol';
import type { Result } from '@gt/protocol';
import { commandId, makeTestStore, startTestApp, waitFor } from '../testing/test-app.js';
import type { TestApp, TestClient, TestStore } from '../testing/test-app.js';
import { commandFactories } from './testing/command-factories.js';

const RUNS_PER_COMMAND = 60;

/** Values that break schemas in the ways clients (and attackers) actually do. */
const hostile = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ minLength: 0, maxLength: 50 }),
  // Over every schema cap but under the 16 KB message limit (oversized messages are the next test's).
  fc.constant('x'.repeat(12_000)),
  fc.constant('💥'.repeat(2_000)),
  fc.constantFrom(null, undefined, true, -1, 0, Number.MAX_SAFE_INTEGER, 1e308, NaN, [], {}, ''),
  fc.constant(
    JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}'),
  ),
);

describe('[T3] fuzzing every command (SQLite)', () => {
  let store: TestStore;
  let t: TestApp;
  let attendee: TestClient;
  let moderator: TestClient;
  let sessionId: string;
  const counts = { messages: 0, acknowledged: 0, unacknowledged: 0 };

  beforeAll(async () => {
    store = await makeTestStore('sqlite');
    t = await startTestApp(store.store);
    // Pre-moderated, so that approving has something to act on.
    const created = await t.createSession({ moderation: 'pre' });
    sessionId = created.session.id;
    attendee = await t.attendee();
    moderator = await t.client({ staff: created.moderatorToken });
  });
  afterAll(async () => {
    console.log(
      `fuzz: ${counts.messages} hostile messages (${counts.acknowledged} acknowledged, ${counts.unacknowledged} without a callback) over ${COMMAND_NAMES.length} commands`,
    );
    await t.close();
    await store.cleanup();
  });

  const isWellFormed = (result: Result<unknown>) =>
    typeof result === 'object' &&
    result !== null &&
    (result.ok === true ||
      (result.ok === false &&
        (ERROR_CODES as readonly string[]).includes(result.error.code) &&
        typeof result.error.message === 'string'));

  for (const name of COMMAND_NAMES) {
    it(`${name}: malformed payloads are answered with an error and never crash the server`, async () => {
      const valid = (await commandFactories[name]({
        t,
        session: (await t.app.service.getSession(sessionId))! as never,
      })) as Record<string, unknown>;
      // Mutate a valid payload field by field, or replace it wholesale.
      const payloads = fc.oneof(
        hostile,
        fc
          .record({
            key: fc.constantFrom(...Object.keys(valid), '__proto__', 'extra'),
            value: hostile,
          })
          .map(({ key, value }) => {
            const copy: Record<string, unknown> = { ...valid };
            Object.defineProperty(copy, key, {
              value,
              enumerable: true,
              configurable: true,
              writable: true,
            });
            return copy;
          }),
        ...(Object.keys(valid).length
          ? [
              fc.constantFrom(...Object.keys(valid)).map((key) => {
                const copy = { ...valid };
                delete copy[key];
                return copy;
              }),
            ]
          : []),
      );
      await fc.assert(
        fc.asyncProperty(payloads, fc.boolean(), async (payload, withAck) => {
          counts.messages++;
          for (const client of [attendee, moderator]) {
            if (!withAck) {
              counts.unacknowledged++;
              (client.socket.emit as (n: string, ...a: unknown[]) => void)(
                name,
                payload,
                'extra-argument',
              );
              continue;
            }
            counts.acknowledged++;
            const result = await client.call(name, payload as never);
            expect(isWellFormed(result), JSON.stringify(result).slice(0, 300)).toBe(true);
          }
        }),
        { numRuns: RUNS_PER_COMMAND },
      );
    });
  }

  it('[T3] a message over the size limit closes only that connection', async () => {
    const victim = await t.attendee();
    let isDisconnected = false;
    victim.socket.on('disconnect', () => (isDisconnected = true));
    (victim.socket.emit as (n: string, p: unknown) => void)('post:create', {
      sessionId,
      commandId: commandId(),
      kind: 'idea',
      text: 'x'.repeat(40_000),
    });
    await waitFor('the server to close the oversized connection', () => isDisconnected);
    counts.messages++;
    expect((await attendee.call('session:join', { sessionId })).ok).toBe(true);
  });

  it('unknown events, non-string event names and broken packets are ignored', async () => {
    const emit = attendee.socket.emit.bind(attendee.socket) as (
      n: unknown,
      ...a: unknown[]
    ) => void;
    emit('admin:drop-all', { sessionId });
    emit('__proto__', { sessionId }, () => undefined);
    emit('constructor', {});
    emit('toString');
    emit('hasOwnProperty', {}, () => undefined);
    // Raw Socket.IO packets (type digit, then JSON) the typed client cannot send, each on a
    // connection of its own: the server may close that connection, and only that one.
    const packets = [
      '2["post:create",',
      '2[1,2,3]',
      '4{"a":1}',
      '2["post:create",{"sessionId":' + '['.repeat(5000) + ']}]',
      '9',
      '2["session:join"]',
      '2[42,{}]',
      '2["post:create",{"sessionId":"' + sessionId + '"}]',
    ];
    for (const packet of packets) {
      const victim = await t.attendee();
      (victim.socket.io.engine as unknown as { write(data: string): void }).write(packet);
      victim.close();
    }
    counts.messages += 5 + packets.length;
    expect((await attendee.call('session:join', { sessionId })).ok).toBe(true);
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('after the fuzzing the server still serves a real post end to end', async () => {
    await attendee.must('session:join', { sessionId });
    const { post } = await attendee.must('post:create', {
      sessionId,
      commandId: commandId(),
      kind: 'question',
      text: 'Virker det stadig?',
    });
    await waitFor('the post to come back on the public stream', () =>
      attendee.updates.some(
        (u) => u.name === 'post:created' && (u.payload.post as { id: string }).id === post.id,
      ),
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
