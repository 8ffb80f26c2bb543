/**
 * The two servers under test, each started as a child process the way production starts it:
 * the app as `node server/dist/main.js` (SQLite in a fresh temporary DATA_DIR), the baseline
 * as `node <compiled baseline-server>`. Both pinned to the server core, both probed from
 * outside through /proc (CPU time, resident memory), since neither exposes its own figures,
 * and through the inspector each opens on a loopback port (garbage collection before a
 * memory reading, the event loop's delay: inspector.ts).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ServerInspector } from './inspector.js';

export type Kind = 'app' | 'baseline';

export interface Launch {
  root: string;
  /** The compiled baseline (.mjs). */
  baselineEntry: string;
  /** e.g. ['taskset', '-c', '0'] or []. */
  pin: string[];
  /** Open-file limit to set for the child (via `ulimit -n` in a shell), or null. */
  fileLimit: number | null;
  secretKey: string;
  organiserEmail: string;
  organiserPassword: string;
}

export interface ServerHandle {
  kind: Kind;
  url: string;
  port: number;
  dataDir: string;
  pid(): number;
  output(): string;
  /** Kill with a signal and wait for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Start again on the same port and data (after a kill). */
  restart(): Promise<void>;
  /** The running process's inspector (attached on first use, again after a restart). */
  inspector(): Promise<ServerInspector>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const CLOCK_TICKS = 100; // overwritten by run.ts from `getconf CLK_TCK`
let clockTicks = CLOCK_TICKS;
export function setClockTicks(ticks: number) {
  clockTicks = ticks;
}

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime field 14, stime field 15 (1-based).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks;
}

/**
 * CPU time of the whole machine so far (all cores), in ms: what processes used (user, nice,
 * system), and what the hypervisor took (steal). Interrupt and softirq time is left out: on
 * loopback much of the network stack runs there, on behalf of the processes being measured.
 */
export function machineCpuMs(): { processes: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , , , steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const toMs = (ticks: number) => (ticks * 1000) / clockTicks;
  return { processes: toMs(user! + nice! + system!), steal: toMs(steal!) };
}

/** Resident memory of a process in KiB, from /proc/<pid>/status (VmRSS). */
export function rssKiBOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

/** Every server process still running, so that an interrupted bench leaves none behind. */
export const running = new Set<ChildProcess>();

export async function startServer(
  kind: Kind,
  launch: Launch,
  options: { dataDir: string; cpuProfileDir?: string; port?: number; env?: Record<string, string> },
): Promise<ServerHandle> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let exited: Promise<void>;
  let output = '';
  let inspectPort = 0;
  let attached: Promise<ServerInspector> | null = null;
  const detach = () => {
    void attached?.then((i) => i.close()).catch(() => undefined);
    attached = null;
  };

  const spawnOnce = async () => {
    detach();
    inspectPort = await freePort();
    const nodeArgs = [
      `--inspect=127.0.0.1:${inspectPort}`,
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
      kind === 'app' ? join(launch.root, 'server', 'dist', 'main.js') : launch.baselineEntry,
    ];
    let command = [...launch.pin, process.execPath, ...nodeArgs];
    if (launch.fileLimit)
      command = ['/bin/sh', '-c', `ulimit -n ${launch.fileLimit} && exec "$@"`, 'sh', ...command];
    child = spawn(command[0]!, command.slice(1), {
      cwd: launch.root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: options.dataDir,
        SECRET_KEY: launch.secretKey,
        ORGANISER_EMAIL: launch.organiserEmail,
        ORGANISER_PASSWORD: launch.organiserPassword,
        LOG_LEVEL: 'warn',
        // As `npm start` and the Dockerfile run the app, and the same for the baseline: two
        // glibc arenas, so that memory V8's compiler threads freed is not kept resident in
        // arenas of their own and counted as memory per connection (PERFORMANCE.md, S1).
        MALLOC_ARENA_MAX: '2',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    running.add(child);
    exited = new Promise((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        resolve();
      }),
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${kind} server exited early:\n${output}`);
      try {
        if ((await fetch(`${url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`${kind} server did not become healthy:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  await spawnOnce();
  return {
    kind,
    url,
    port,
    dataDir: options.dataDir,
    pid: () => child.pid!,
    output: () => output,
    async kill(signal) {
      detach();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    restart: spawnOnce,
    inspector() {
      attached ??= ServerInspector.attach(inspectPort);
      return attached;
    },
  };
}

// ── setup through the REST API (the same calls against both servers) ─────────────────────────

async function post<T>(url: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${url}/api${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as { ok: boolean; data: T; error?: { message: string } };
  if (!result.ok) throw new Error(`POST /api${path}: ${result.error?.message ?? response.status}`);
  return result.data;
}

export interface SessionSetup {
  sessionId: string;
  moderatorToken: string;
}

/** Organiser login, one event, `count` sessions with the given moderation. */
export async function createSessions(
  url: string,
  launch: Launch,
  count: number,
  moderation: 'pre' | 'post',
): Promise<SessionSetup[]> {
  const { staffToken } = await post<{ staffToken: string }>(url, '/login', {
    email: launch.organiserEmail,
    password: launch.organiserPassword,
  });
  const event = await post<{ id: string }>(url, '/events', { title: 'Benchmark' }, staffToken);
  const sessions: SessionSetup[] = [];
  for (let i = 0; i < count; i++) {
    const created = await post<{ session: { id: string }; moderatorToken: string }>(
      url,
      '/sessions',
      { eventId: event.id, title: `Scene ${i + 1}`, settings: { moderation } },
      staffToken,
    );
    sessions.push({ sessionId: created.session.id, moderatorToken: created.moderatorToken });
  }
  return sessions;
}

/** One device over HTTP, as a phone without JavaScript would get one (`POST /api/devices`). */
export async function createDevice(url: string): Promise<string> {
  return (await post<{ deviceToken: string }>(url, '/devices', {})).deviceToken;
}
