/**
 * The real server, as production runs it: `node server/dist/main.js` (the built client
 * mounted on the same port) in a child process with its own data directory and a free port,
 * so a test can SIGKILL it and start it again over the same data.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const ORGANISER = {
  email: 'arrangoer@gentofte.example',
  password: 'correct horse battery staple',
};

export interface RunningServer {
  url: string;
  dataDir: string;
  /** What the process printed, for failure messages. */
  output(): string;
  /** Send a signal and wait for the process to end (SIGKILL: no graceful shutdown at all). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start again on the same port over the same data. */
  restart(): Promise<void>;
  /** Stop and delete the data directory. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited while starting:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not become healthy within 30 s:\n${output()}`);
}

export interface ServerOptions {
  /** The address browsers use (a proxy in front, say); the server's own address otherwise. */
  publicUrl?: string;
  /**
   * Settings on top of the clean environment, e.g. `{ RATE_LIMITS: 'off' }` for a soak test
   * that sends as fast as the server takes it.
   */
  env?: Record<string, string>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gt-e2e-'));
  // A clean environment: nothing from the developer's shell (REDIS_URL, SECRET_KEY ...) leaks in.
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: options.publicUrl ?? url,
    DATA_DIR: dataDir,
    ORGANISER_EMAIL: ORGANISER.email,
    ORGANISER_PASSWORD: ORGANISER.password,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...options.env,
  };
  let child: ChildProcess;
  let log = '';
  const output = () => log.slice(-8000);
  // Also on disk: the global server's output is otherwise out of the tests' reach.
  const logDir = join(REPO_ROOT, '.test-results');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `e2e-server-${port}.log`);
  const record = (chunk: Buffer) => {
    log += chunk.toString();
    appendFileSync(logFile, chunk);
  };

  const launch = async () => {
    child = spawn(process.execPath, ['server/dist/main.js'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    child.on('exit', (code, signal) =>
      appendFileSync(logFile, `\n[e2e] server exited (${signal ?? `code ${code}`})\n`),
    );
    await waitUntilHealthy(url, child, output);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };

  await launch();
  return {
    url,
    dataDir,
    output,
    stop,
    restart: launch,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
