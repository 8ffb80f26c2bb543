#!/usr/bin/env node
// `npm test [-- tier ...]`: every check of the repository, tier by tier, one after another.
//
//   static       turbo build + typecheck, eslint, prettier --check (one check each)
//   unit         vitest.unit.config.ts         *.test.ts beside the code
//   integration  vitest.integration.config.ts  *.int.test.ts (real server, SQLite, Redis)
//   browser      vitest.browser.config.ts      client/e2e/**/*.e2e.ts (system Chromium)
//   reliability  vitest.reliability.config.ts  *.rel.test.ts (restarts, several servers)
//
// Tiers run sequentially because the machine has 2 cores: in parallel they only slow each
// other down and turn timing into flakiness. Every tier runs even if an earlier one failed, so
// one run shows everything that is broken. Tests are NOT run through turbo: its cache cannot
// know whether Redis or Chromium was available, and would replay a skip as a pass. (Build and
// typecheck may come from turbo's cache: their result depends only on the files it hashes.)
//
// The last line of output is `N passed, N failed[, N skipped]`, which CI reads.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstall } from './ensure-install.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const TIERS = ['static', 'unit', 'integration', 'browser', 'reliability'];
const isCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };

const seconds = (startedAt) => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Runs a command with inherited output; resolves to its exit code (never rejects). */
function run(command, args, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    child.on('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

// ── static ──────────────────────────────────────────────────────────────────────────────────
async function staticTier() {
  const turbo = (task) => [
    bin('turbo'),
    // errors-only: a green build is one summary line; a red one shows the compiler's output.
    ['run', task, '--output-logs=errors-only', '--ui=stream', '--continue=dependencies-successful'],
  ];
  const checks = [
    ['build', ...turbo('build')],
    ['typecheck', ...turbo('typecheck')],
    ['eslint', bin('eslint'), ['.', '--max-warnings=0']],
    ['prettier', bin('prettier'), ['--check', '.', '--log-level=warn']],
  ];
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [name, command, args] of checks) {
    const startedAt = performance.now();
    console.log(`\n── static: ${name}`);
    const code = await run(command, args);
    counts[code === 0 ? 'passed' : 'failed'] += 1;
    console.log(
      `── static: ${name} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(startedAt)}`,
    );
  }
  return counts;
}

// ── vitest tiers ────────────────────────────────────────────────────────────────────────────
async function vitestTier(tier, extraEnv) {
  const outputFile = join(root, '.test-results', `${tier}.json`);
  mkdirSync(join(root, '.test-results'), { recursive: true });
  // A stale report from an earlier run must never be counted if this run crashes early.
  rmSync(outputFile, { force: true });
  const code = await run(
    bin('vitest'),
    [
      'run',
      '--config',
      `vitest.${tier}.config.ts`,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
    ],
    extraEnv,
  );

  let report;
  try {
    report = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    console.error(
      `tier ${tier}: vitest exited ${code} without a JSON report; counted as 1 failure`,
    );
    return { passed: 0, failed: 1, skipped: 0 };
  }
  // A file that fails to load (syntax error, missing import) has no test results of its own, so
  // numFailedTests misses it: count each such file as one failure.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'),
  ).length;
  const counts = {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
  // Vitest also fails a run for errors outside any test (an unhandled rejection after a test
  // finished, say). Those are real bugs, so they count as a failure too.
  if (code !== 0 && counts.failed === 0) {
    console.error(`tier ${tier}: vitest exited ${code} with no failing test; counted as 1 failure`);
    counts.failed = 1;
  }
  counts.isEmpty = report.numTotalTests === 0 && counts.failed === 0;
  return counts;
}

// ── Redis ───────────────────────────────────────────────────────────────────────────────────
/** Plain RESP over TCP: no client library needed, and it works before anything is installed. */
function redisAnswersPing(url, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (isUp) => {
      socket.destroy();
      resolve(isUp);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      const password = decodeURIComponent(url.password);
      const user = decodeURIComponent(url.username);
      if (password) {
        const auth = user ? ['AUTH', user, password] : ['AUTH', password];
        socket.write(
          `*${auth.length}\r\n${auth.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
        );
      }
      socket.write('PING\r\n');
    });
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('+PONG')) done(true);
      else if (received.startsWith('-')) done(false);
    });
  });
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

let redisUrlPromise;
/** Finds (or starts) the Redis the integration and reliability tests use; returns its URL. */
function ensureRedis() {
  redisUrlPromise ??= (async () => {
    const urlText = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
    const url = new URL(urlText);
    if (url.protocol !== 'redis:') return urlText; // TLS (rediss:) is beyond a plain TCP ping
    if (await redisAnswersPing(url)) {
      console.log(`redis: ${url.host} answers PING`);
      return urlText;
    }
    const isLocal = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    const redisServer = findOnPath('redis-server');
    if (isLocal && redisServer) {
      const port = url.port || '6379';
      console.log(`redis: nothing answers on ${url.host}; starting ${redisServer} on port ${port}`);
      // No persistence: this Redis only ever holds test data.
      await run(redisServer, [
        '--port',
        port,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
      ]);
      for (let attempt = 0; attempt < 50; attempt += 1) {
        if (await redisAnswersPing(url, 200)) return urlText;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    console.error(
      `redis: ${url.host} is not reachable${redisServer ? '' : ' and redis-server is not installed (apt-get install -y redis-server)'}; ` +
        'tests that need Redis will fail' +
        (isCi ? '' : ' or skip'),
    );
    return urlText;
  })();
  return redisUrlPromise;
}

// ── Chromium ────────────────────────────────────────────────────────────────────────────────
const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

let chromiumPromise;
/**
 * The browser the journeys drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. When it is
 * missing and we may install packages (root, apt-get), install Debian's package once (about a
 * minute); never download a browser build of our own. Otherwise print the command. Without a
 * browser the journeys skip, except under CI=true, where they fail.
 */
function ensureChromium() {
  chromiumPromise ??= (async () => {
    const configured = process.env.CHROMIUM_PATH;
    const standard = '/usr/bin/chromium';
    const path = configured || standard;
    if (isExecutable(path)) return path;
    const aptGet = findOnPath('apt-get');
    if (!configured && process.getuid?.() === 0 && aptGet) {
      console.log(
        `browser: no Chromium at ${standard}; installing Debian's package (about a minute)`,
      );
      const aptEnv = { DEBIAN_FRONTEND: 'noninteractive' };
      const updated = await run(aptGet, ['update', '-qq'], aptEnv);
      if (updated === 0) await run(aptGet, ['install', '-y', '-qq', 'chromium'], aptEnv);
      if (isExecutable(standard)) return standard;
    }
    console.error(
      `browser: no Chromium at ${path}. Install it with \`sudo apt-get install -y chromium\` ` +
        `(or set CHROMIUM_PATH); the browser tests ${isCi ? 'fail (CI=true)' : 'are skipped'}.`,
    );
    return path;
  })();
  return chromiumPromise;
}

// ── main ────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((name) => !TIERS.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown tier: ${unknown.join(', ')} (tiers: ${TIERS.join(', ')})`);
    process.exit(2);
  }
  // Always in the canonical order: cheap and broad first.
  const tiers = requested.length > 0 ? TIERS.filter((t) => requested.includes(t)) : TIERS;

  const startedAt = performance.now();
  try {
    ensureInstall({ root });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }

  const results = [];
  for (const tier of tiers) {
    const tierStartedAt = performance.now();
    console.log(`\n════ tier ${tier} ════`);
    let counts;
    if (tier === 'static') {
      counts = await staticTier();
    } else {
      const needsRedis = tier === 'integration' || tier === 'reliability';
      const extraEnv = needsRedis ? { TEST_REDIS_URL: await ensureRedis() } : {};
      if (tier === 'browser') extraEnv.CHROMIUM_PATH = await ensureChromium();
      counts = await vitestTier(tier, extraEnv);
    }
    const line = counts.isEmpty
      ? 'no tests yet'
      : `${counts.passed} passed, ${counts.failed} failed` +
        (counts.skipped > 0 ? `, ${counts.skipped} skipped` : '');
    const result = { tier, ...counts, time: seconds(tierStartedAt), line };
    results.push(result);
    console.log(`tier ${tier}: ${result.time} — ${line}`);
  }

  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) for (const key of Object.keys(total)) total[key] += r[key];

  console.log('\n════ summary ════');
  const width = Math.max(...results.map((r) => r.tier.length));
  for (const r of results)
    console.log(`tier ${r.tier.padEnd(width)}  ${r.time.padStart(7)}  ${r.line}`);
  console.log(`total time ${seconds(startedAt)}`);
  if (isCi && total.skipped > 0) {
    // In CI a skip usually means a missing service (Redis, Chromium): that is a broken
    // pipeline, not a pass.
    console.log(
      `CI=true: ${total.skipped} skipped test(s) counted as failed (no silent skips in CI)`,
    );
    total.failed += total.skipped;
    total.skipped = 0;
  }
  console.log(
    `${total.passed} passed, ${total.failed} failed` +
      (total.skipped > 0 ? `, ${total.skipped} skipped` : ''),
  );
  process.exitCode = total.failed > 0 ? 1 : 0;
}

await main();
