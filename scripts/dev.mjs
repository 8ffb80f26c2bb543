#!/usr/bin/env node
// `npm run dev`: the API server with reload (tsx watch, :3000) and SvelteKit's dev server with
// hot module replacement (vite, :5173), side by side. Open http://localhost:5173: Vite proxies
// /socket.io (WebSocket included), /api and /qr to the API server, so the browser sees one
// origin as in production; SvelteKit's server code calls the API server through HttpAppApi.
//
// Ctrl-C (or SIGTERM) is passed on to both; when one of them stops, the other is stopped too.
// Runs the workspaces' own dev tools: tsx watch (see server/package.json) and vite dev.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const API_PORT = process.env.PORT ?? '3000';
const WEB_URL = 'http://localhost:5173';

try {
  ensureInstall({ root });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// The servers read the shared packages' TypeScript source (the `development` condition), but
// the messages are compiled by Paraglide: build them (and whatever else is stale) first.
const built = spawnSync(
  join(root, 'node_modules', '.bin', 'turbo'),
  ['run', 'build', '--filter=@gt/i18n', '--output-logs=errors-only', '--ui=stream'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
  },
);
if (built.status !== 0) process.exit(built.status ?? 1);

const env = {
  ...process.env,
  // Links, QR codes and the WebSocket origin check must name the address the browser uses.
  PUBLIC_URL: process.env.PUBLIC_URL ?? WEB_URL,
  GT_API_URL: process.env.GT_API_URL ?? `http://127.0.0.1:${API_PORT}`,
};

// The tools run directly (not through `npm run`, whose shell does not pass signals on), each
// in its own process group, so stopping a group also stops what the tool started (tsx's child).
const bin = (name) => join(root, 'node_modules', '.bin', name);
const children = [
  ['server', bin('tsx'), ['watch', '--conditions=development', 'src/main.ts'], 'server'],
  ['client', bin('vite'), ['dev'], 'client'],
].map(([name, command, args, cwd]) => {
  const child = spawn(command, args, {
    cwd: join(root, cwd),
    env,
    stdio: 'inherit',
    detached: true,
  });
  child.on('exit', (code, signal) => {
    console.log(`dev: ${name} stopped (${signal ?? `exit ${code}`})`);
    stopAll(signal ? 1 : (code ?? 1));
  });
  return child;
});

console.log(`\ndev: open ${WEB_URL} (API server on :${API_PORT})\n`);

let exitCode = null;
function stopAll(code, signal = 'SIGTERM') {
  if (exitCode === null) exitCode = code;
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  }
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stopAll(0, signal);
  });
