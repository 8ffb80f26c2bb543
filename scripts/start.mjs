#!/usr/bin/env node
// `npm start`: install if needed, build every workspace, then run the compiled server.
// The server runs as a child process so that start-up work (install, build) stays out of its
// memory and its exit code becomes ours. It is `node server/dist/main.js`, exactly what
// production runs, not tsx.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };

try {
  ensureInstall({ root });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const buildStartedAt = performance.now();
console.log('start: building (turbo run build) ...');
const build = spawnSync(
  join(root, 'node_modules', '.bin', 'turbo'),
  [
    'run',
    'build',
    '--output-logs=errors-only',
    '--ui=stream',
    ...(process.stdout.isTTY ? [] : ['--no-color']),
  ],
  { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' },
);
if (build.status !== 0) {
  console.error(
    `start: build failed (exit ${build.status ?? build.signal}); not starting the server`,
  );
  process.exit(build.status || 1);
}
console.log(`start: built in ${((performance.now() - buildStartedAt) / 1000).toFixed(1)} s`);

const entry = join(root, 'server', 'dist', 'main.js');
if (!existsSync(entry)) {
  console.error(`start: ${entry} does not exist after the build; does server/src/main.ts exist?`);
  process.exit(1);
}

// Own process group (detached), so that Ctrl-C in a terminal reaches the server once, through
// us, rather than twice (the terminal signals the whole foreground group). stdin is not passed
// on: a process outside the foreground group that reads the terminal would be stopped.
// MALLOC_ARENA_MAX=2 (unless set): glibc would otherwise keep the memory V8's background
// compiler threads freed in arenas of their own, and the server's resident memory grows by
// several MB more than its heap (docs/PERFORMANCE.md, S1). The Dockerfile sets the same.
const server = spawn(process.execPath, [entry], {
  cwd: root,
  env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: process.platform !== 'win32',
});

// Pass Ctrl-C / a container stop on to the server and let it shut down gracefully (close
// sockets, flush SQLite); we exit only when it has. Under `npm start` the same Ctrl-C reaches us
// twice (from the terminal and forwarded by npm), so a repeat within half a second is the same
// signal; a later one is the user insisting, and is passed on for the server to decide.
const lastForwarded = new Map();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const now = performance.now();
    if (now - (lastForwarded.get(signal) ?? -Infinity) < 500) return;
    lastForwarded.set(signal, now);
    server.kill(signal);
  });
}
// If this script dies of something else, do not leave an orphaned server holding the port.
process.on('exit', () => {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
});
server.on('exit', (code, signal) => {
  // Mirror the child's fate: exit code as-is, or 128 + signal number as a shell would report.
  if (code !== null) process.exit(code);
  process.exit(128 + (constants.signals[signal] ?? 1));
});
server.on('error', (error) => {
  console.error(`start: could not run the server: ${error.message}`);
  process.exit(1);
});
