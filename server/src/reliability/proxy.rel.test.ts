/**
 * [S7] The multi-node setup that docker-compose.yml ships, run as processes: Redis, two server
 * nodes and HAProxy with deploy/haproxy.cfg. Long-polling clients (which need affinity) and
 * WebSocket clients on both nodes see each other's posts; when one node is killed, its clients
 * reconnect through the proxy to the other and carry on.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@gt/protocol';
import type { Result } from '@gt/protocol';
import { freePort, startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { deleteRedisKeys, TEST_REDIS_URL, waitFor } from '../testing/test-app.js';

const HAPROXY_CFG = fileURLToPath(new URL('../../../deploy/haproxy.cfg', import.meta.url));
const hasHaproxy = spawnSync('haproxy', ['-v']).status === 0;
if (!hasHaproxy && process.env.CI === 'true')
  throw new Error('haproxy is not installed (apt-get install -y haproxy); CI does not skip');
if (!hasHaproxy)
  console.warn('proxy test skipped: haproxy is not installed (apt-get install -y haproxy)');

describe.skipIf(!hasHaproxy)('[S7] two nodes behind HAProxy and Redis (deploy/haproxy.cfg)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-proxy-'));
  const prefix = `gt-test:${randomBytes(6).toString('hex')}:`;
  const nodes: ServerProcess[] = [];
  const sockets: Socket[] = [];
  let proxy: ChildProcess | null = null;

  afterAll(async () => {
    for (const s of sockets) s.close();
    proxy?.kill('SIGKILL');
    for (const node of nodes) await node.kill('SIGTERM');
    await deleteRedisKeys(prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves one session across both nodes, with affinity for long-polling, and survives losing a node', async () => {
    const proxyPort = await freePort();
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      SECRET_KEY: randomBytes(32).toString('hex'),
      ORGANISER_EMAIL: 'proxy@gentofte.example',
      ORGANISER_PASSWORD: 'a long enough password',
      PUBLIC_URL: proxyUrl,
      TRUST_PROXY: '1',
    };
    nodes.push(await startServerProcess({ ...env, DATA_DIR: join(dataDir, 'a') }));
    nodes.push(await startServerProcess({ ...env, DATA_DIR: join(dataDir, 'b') }));
    proxy = spawn('haproxy', ['-f', HAPROXY_CFG, '-db'], {
      env: {
        PATH: process.env.PATH ?? '',
        PROXY_BIND: `127.0.0.1:${proxyPort}`,
        APP1_ADDR: `127.0.0.1:${nodes[0]!.port}`,
        APP2_ADDR: `127.0.0.1:${nodes[1]!.port}`,
      },
      stdio: 'ignore',
    });
    await waitFor(
      'the proxy to answer /healthz',
      async () => (await fetch(`${proxyUrl}/healthz`).catch(() => null))?.ok === true,
      20_000,
    );

    const api = async (path: string, body: unknown, token?: string) =>
      (await (
        await fetch(`${proxyUrl}/api${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        })
      ).json()) as {
        data: {
          staffToken: string;
          id: string;
          session: { id: string };
          moderatorToken: string;
          deviceToken: string;
        };
      };
    const { staffToken } = (
      await api('/login', { email: env.ORGANISER_EMAIL, password: env.ORGANISER_PASSWORD })
    ).data;
    const event = (await api('/events', { title: 'Folkemøde' }, staffToken)).data;
    const { session } = (await api('/sessions', { eventId: event.id, title: 'Scenen' }, staffToken))
      .data;

    // Six attendees: half on long-polling only (each request must reach the same node), half on WebSocket.
    const attendees = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const { deviceToken } = (await api('/devices', {})).data;
        const socket: Socket = connect(proxyUrl, {
          auth: { v: PROTOCOL_VERSION, device: deviceToken },
          transports: i % 2 ? ['polling'] : ['websocket'],
          upgrade: false,
          withCredentials: true,
          forceNew: true,
          reconnectionDelay: 200,
          reconnectionDelayMax: 1000,
        });
        sockets.push(socket);
        const seen = new Set<string>();
        socket.on('post:created', (u: { post: { text: string } }) => seen.add(u.post.text));
        socket.on(
          'connect',
          () => void socket.emitWithAck('session:join', { sessionId: session.id }),
        );
        await waitFor(`attendee ${i} to connect through the proxy`, () => socket.connected);
        return { socket, seen };
      }),
    );
    const post = (socket: Socket, text: string) =>
      socket.timeout(10_000).emitWithAck('post:create', {
        sessionId: session.id,
        commandId: `cmd_${randomBytes(8).toString('hex')}`,
        kind: 'question',
        text,
      }) as Promise<Result<unknown>>;

    await new Promise((r) => setTimeout(r, 300)); // let the joins land before posting
    for (const [i, a] of attendees.entries())
      expect((await post(a.socket, `Fra deltager ${i}`)).ok).toBe(true);
    const texts = attendees.map((_, i) => `Fra deltager ${i}`);
    await waitFor('every attendee to see every post, whichever node it is on', () =>
      attendees.every((a) => texts.every((t) => a.seen.has(t))),
    );

    // Kill one node; every client reconnects through the proxy and can post again.
    await nodes[0]!.kill('SIGKILL');
    await waitFor(
      'clients to notice',
      () => attendees.some((a) => !a.socket.connected),
      20_000,
    ).catch(() => undefined);
    await waitFor(
      'every client to be connected again',
      () => attendees.every((a) => a.socket.connected),
      30_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, a] of attendees.entries())
      expect((await post(a.socket, `Efter nedbrud ${i}`)).ok).toBe(true);
    const after = attendees.map((_, i) => `Efter nedbrud ${i}`);
    await waitFor(
      'posts after the node loss to reach every attendee',
      () => attendees.every((a) => after.every((t) => a.seen.has(t))),
      20_000,
    );
  });
});
