/**
 * The load-generator processes, seen from the coordinator: fork them (pinned to the harness
 * core), hand each its slice of clients and schedule, and merge what they report.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  Action,
  ClientSpec,
  ConnectResult,
  Expected,
  ReconnectSettings,
  RecoveryResult,
  Reply,
  Request,
  Summary,
  VerifyResult,
} from './messages.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface HarnessOptions {
  workers: number;
  /** e.g. ['-c', '1'] for taskset, or null to run unpinned. */
  taskset: string[] | null;
  fileLimit: number | null;
}

class Worker {
  #next = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  constructor(readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const waiter = this.#waiting.get(reply.id);
      if (!waiter) return;
      this.#waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.data);
      else waiter.reject(new Error(reply.error));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.#waiting.values())
        waiter.reject(new Error(`harness worker exited (${code ?? signal})`));
      this.#waiting.clear();
    });
  }

  call<T>(request: Request): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, request });
    });
  }
}

export class Harness {
  readonly workers: Worker[] = [];

  static async start(options: HarnessOptions): Promise<Harness> {
    const harness = new Harness();
    for (let i = 0; i < options.workers; i++) {
      // `taskset -c 1 node --import tsx worker.ts`, optionally under `ulimit -n` in a shell.
      let execPath = process.execPath;
      let execArgv = [
        '--import',
        'tsx',
        ...(process.env.BENCH_WORKER_ARGS ?? '').split(' ').filter(Boolean),
      ];
      if (options.taskset) {
        execArgv = [...options.taskset, execPath, ...execArgv];
        execPath = 'taskset';
      }
      if (options.fileLimit) {
        execArgv = [
          '-c',
          `ulimit -n ${options.fileLimit} && exec "$@"`,
          'sh',
          execPath,
          ...execArgv,
        ];
        execPath = '/bin/sh';
      }
      const child = fork(WORKER, [], {
        execPath,
        execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      harness.workers.push(new Worker(child));
    }
    await Promise.all(harness.workers.map((w) => w.call({ type: 'summary' })));
    return harness;
  }

  pids(): number[] {
    return this.workers.map((w) => w.child.pid!);
  }

  /** Where each client of the current `connect` lives: worker and index there. */
  #placement: Array<{ worker: number; local: number }> = [];

  /**
   * Clients that send (`active`) live in worker 0, the others are dealt round-robin to the
   * rest: a worker that receives a burst (one post to 500 screens) is busy for tens of
   * milliseconds, and a sender sharing its event loop would send late.
   */
  #place(clients: ClientSpec[]) {
    const n = this.workers.length;
    const counts = this.workers.map(() => 0);
    let next = 0;
    this.#placement = clients.map((client) => {
      const worker = n === 1 || client.active ? 0 : 1 + (next++ % (n - 1));
      return { worker, local: counts[worker]!++ };
    });
  }

  where(j: number): { worker: number; local: number } {
    return this.#placement[j]!;
  }

  all<T>(request: Request | ((worker: number) => Request)): Promise<T[]> {
    return Promise.all(
      this.workers.map((w, i) => w.call<T>(typeof request === 'function' ? request(i) : request)),
    );
  }

  async connect(
    url: string,
    clients: ClientSpec[],
    offsets: number[],
    startNs: bigint,
    timeoutMs: number,
    reconnect: ReconnectSettings,
  ): Promise<ConnectResult[]> {
    // Every client connects from a loopback address of its own (127.1.x.y), as phones on mobile
    // data do: from one address, the app's per-address rate limits (SPEC T2) would rightly
    // refuse the harness as one script.
    clients = clients.map((c, j) => ({
      ...c,
      localAddress: c.localAddress ?? `127.1.${Math.floor(j / 250)}.${(j % 250) + 1}`,
    }));
    this.#place(clients);
    const mine = (i: number) => (_: unknown, j: number) => this.#placement[j]!.worker === i;
    return this.all<ConnectResult>((i) => ({
      type: 'connect',
      url,
      clients: clients.filter(mine(i)),
      offsets: offsets.filter(mine(i)),
      startNs: String(startNs),
      timeoutMs,
      reconnect,
    }));
  }

  /** Global actions (client = global index) split by worker, each list in time order. */
  async load(t0Ns: bigint, actions: Action[], autoApprove: boolean): Promise<void> {
    const perWorker: Action[][] = this.workers.map(() => []);
    for (const action of [...actions].sort((a, b) => a.at - b.at)) {
      const { worker, local } = this.where(action.client);
      perWorker[worker]!.push({ ...action, client: local });
    }
    await this.all((i) => ({
      type: 'load',
      t0Ns: String(t0Ns),
      actions: perWorker[i]!,
      autoApprove,
    }));
  }

  summaries(): Promise<Summary[]> {
    return this.all<Summary>({ type: 'summary' });
  }

  verify(expected: Expected): Promise<VerifyResult[]> {
    return this.all<VerifyResult>({ type: 'verify', expected });
  }

  recovery(): Promise<RecoveryResult[]> {
    return this.all<RecoveryResult>({ type: 'recovery' });
  }

  async registerDevices(url: string, count: number): Promise<string[]> {
    const n = this.workers.length;
    const parts = await this.all<string[]>((i) => ({
      type: 'register-devices',
      url,
      count: Math.floor(count / n) + (i < count % n ? 1 : 0),
    }));
    return parts.flat();
  }

  async close(): Promise<void> {
    await this.all({ type: 'close' });
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.call({ type: 'exit' }).catch(() => undefined);
            setTimeout(() => w.child.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  }
}

/** Merge what the senders saw acknowledged into what every screen must end up holding. */
export function expectation(summaries: Summary[]): Expected {
  const expected: Expected = { posts: {}, votes: {}, reactions: {} };
  for (const s of summaries) {
    for (const [session, ids] of Object.entries(s.postsAcked))
      expected.posts[session] = (expected.posts[session] ?? 0) + ids.length;
    for (const [session, perPost] of Object.entries(s.votesAcked))
      for (const [post, n] of Object.entries(perPost)) {
        const inner = (expected.votes[session] ??= {});
        inner[post] = (inner[post] ?? 0) + n;
      }
    for (const [session, perName] of Object.entries(s.reactionsAcked))
      for (const [name, n] of Object.entries(perName)) {
        const inner = (expected.reactions[session] ??= {});
        inner[name] = (inner[name] ?? 0) + n;
      }
  }
  return expected;
}
