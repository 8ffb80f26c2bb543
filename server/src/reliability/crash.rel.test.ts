/**
 * [I3] An acknowledged post survives a crash, and nothing happens twice: many attendees post
 * while the server is killed with SIGKILL; after a restart they resend what was not
 * acknowledged with the same command ids. Every acknowledged post is there, and every command
 * id stored exactly one post.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@gt/protocol';
import type { Result } from '@gt/protocol';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { deleteRedisKeys, TEST_REDIS_URL } from '../testing/test-app.js';

const ATTENDEES = 20;
const POSTS_EACH = 10;
const ORGANISER = { email: 'crash@gentofte.example', password: 'a long enough password' };

interface Pending {
  commandId: string;
  text: string;
  postId?: string;
}

describe.each(['sqlite', 'redis'] as const)('[I3] SIGKILL while posting (%s)', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-crash-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString('hex'),
    ORGANISER_EMAIL: ORGANISER.email,
    ORGANISER_PASSWORD: ORGANISER.password,
    // Each attendee sends ten posts in a second: far past a person's rate limit, on purpose.
    RATE_LIMITS: 'off',
  };
  const redisPrefix = `gt-test:${randomBytes(6).toString('hex')}:`;
  if (kind === 'redis')
    Object.assign(env, { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix });
  let server: ServerProcess | null = null;

  afterAll(async () => {
    await server?.kill('SIGTERM');
    if (kind === 'redis') await deleteRedisKeys(redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged post and stores each command once', async () => {
    server = await startServerProcess(env);
    const api = async (path: string, body: unknown, token?: string) =>
      (await fetch(`${server!.url}/api${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as {
        data: Record<string, never> & {
          staffToken: string;
          id: string;
          session: { id: string };
          moderatorToken: string;
        };
      };
    const { staffToken } = (await api('/login', ORGANISER)).data;
    const event = (await api('/events', { title: 'Crash test' }, staffToken)).data;
    const { session, moderatorToken } = (
      await api('/sessions', { eventId: event.id, title: 'Kill -9' }, staffToken)
    ).data;

    // Each attendee has a device and a queue of posts with fixed command ids.
    const attendees = await Promise.all(
      Array.from({ length: ATTENDEES }, async (_, a) => {
        const device = (await api('/devices', {})).data as unknown as { deviceToken: string };
        const queue: Pending[] = Array.from({ length: POSTS_EACH }, (_, i) => ({
          commandId: `crash_${kind}_${a}_${i}_${randomBytes(4).toString('hex')}`,
          text: `Attendee ${a} post ${i}`,
        }));
        return { token: device.deviceToken, queue };
      }),
    );
    const acknowledged = new Map<string, string>(); // commandId -> postId

    const sendAll = (url: string, stopAfter: number | null) =>
      Promise.all(
        attendees.map(
          (attendee) =>
            new Promise<void>((resolve) => {
              const socket: Socket = connect(url, {
                auth: { v: PROTOCOL_VERSION, device: attendee.token },
                transports: ['websocket'],
                reconnection: false,
                forceNew: true,
              });
              const finish = () => {
                socket.close();
                resolve();
              };
              socket.on('disconnect', finish);
              socket.on('connect_error', finish);
              socket.on('connect', async () => {
                for (const item of attendee.queue) {
                  if (acknowledged.has(item.commandId)) continue;
                  try {
                    const result = (await socket.timeout(5000).emitWithAck('post:create', {
                      sessionId: session.id,
                      commandId: item.commandId,
                      kind: 'question',
                      text: item.text,
                    })) as Result<{ post: { id: string } }>;
                    if (result.ok) acknowledged.set(item.commandId, result.data.post.id);
                  } catch {
                    break; // the server went away mid-flight
                  }
                  if (stopAfter !== null && acknowledged.size >= stopAfter) break;
                }
                finish();
              });
            }),
        ),
      );

    // Kill the server hard while posts are in flight.
    const sending = sendAll(server.url, null);
    const total = ATTENDEES * POSTS_EACH;
    while (acknowledged.size < total / 3) await new Promise((r) => setTimeout(r, 5));
    const ackedBeforeCrash = new Map(acknowledged);
    await server.kill('SIGKILL');
    await sending;
    expect(ackedBeforeCrash.size).toBeGreaterThan(0);
    expect(ackedBeforeCrash.size).toBeLessThan(total);

    // Restart on the same data; everyone resends what was not acknowledged, same ids.
    server = await startServerProcess(env, server.port);
    await sendAll(server.url, null);
    expect(acknowledged.size).toBe(total);

    const moderator: Socket = connect(server.url, {
      auth: { v: PROTOCOL_VERSION, staff: moderatorToken },
      transports: ['websocket'],
      forceNew: true,
    });
    const join = (await moderator
      .timeout(10_000)
      .emitWithAck('session:join', { sessionId: session.id })) as Result<{
      streams: { staff: { seq: number; posts: { id: string; text: string }[] } };
    }>;
    moderator.close();
    expect(join.ok).toBe(true);
    if (!join.ok) return;
    const stored = join.data.streams.staff.posts;
    // Nothing lost: every post acknowledged before the crash is there with its id.
    for (const postId of ackedBeforeCrash.values())
      expect(stored.some((p) => p.id === postId)).toBe(true);
    // Nothing twice: one post per command, all texts distinct, the staff stream has one entry each.
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((p) => p.text)).size).toBe(total);
    expect(join.data.streams.staff.seq).toBe(total);
  });
});
