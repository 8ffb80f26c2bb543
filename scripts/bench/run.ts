/**
 * `npm run bench [-- --smoke | --full] [--pairs=N] [--profile] [--no-build]`
 *
 * The app (the real server, `node server/dist/main.js`, SQLite) against a bare Socket.IO
 * baseline (baseline-server.ts), scenario by scenario, in interleaved pairs (app, baseline,
 * app, baseline …), driven by the same harness code in separate processes. Prints a table and
 * writes bench-results/bench.json (checked against bench.schema.json) and bench-results/bench.md.
 * docs/PERFORMANCE.md explains the method and quotes a run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { transformSync } from 'esbuild';
import { Harness } from './harness.js';
import { attendeeBundle, fsyncRate, machineInfo } from './machine.js';
import { markdown, notRun, scenarioResult, table, validate } from './report.js';
import type { BenchResult, ScenarioResult } from './report.js';
import {
  HARNESS_CPU_LIMIT,
  RECONNECT,
  redisAnswers,
  runS1F,
  runS2S3,
  runS4,
  SMOKE_RECONNECT,
} from './scenarios.js';
import type { Context, FSize, RunRecord, S2Size } from './scenarios.js';
import { running, setClockTicks, startServer } from './targets.js';
import type { Kind, Launch } from './targets.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const startedAt = performance.now();
const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(0)} s`;
const log = (line: string) => console.log(`[bench ${elapsed().padStart(5)}] ${line}`);

// ── options ──────────────────────────────────────────────────────────────────────────────────

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const mode: BenchResult['mode'] = flag('smoke') ? 'smoke' : flag('full') ? 'full' : 'default';
const isSmoke = mode === 'smoke';

const S2_SIZES: Record<BenchResult['mode'], S2Size> = {
  full: {
    attendees: 1000,
    senders: 50,
    activeAttendees: 100,
    postsPerSec: 20,
    votesPerSec: 200,
    reactionsPerSec: 200,
    durationMs: 10_000,
    connectPerSec: 2000,
  },
  default: {
    attendees: 1000,
    senders: 50,
    activeAttendees: 100,
    postsPerSec: 20,
    votesPerSec: 200,
    reactionsPerSec: 200,
    durationMs: 3000,
    connectPerSec: 2000,
  },
  smoke: {
    attendees: 40,
    senders: 5,
    activeAttendees: 40,
    postsPerSec: 10,
    votesPerSec: 20,
    reactionsPerSec: 20,
    durationMs: 700,
    connectPerSec: 1000,
  },
};
const F_SIZES: Record<BenchResult['mode'], FSize> = {
  full: {
    sessions: 40,
    attendeesPerSession: 250,
    activePerSession: 25,
    postsPerSecPerSession: 1,
    votesPerSecPerSession: 5,
    reactionsPerSecPerSession: 10,
    durationMs: 10_000,
    rampPerSec: 550,
    sampledScreens: 2000,
  },
  default: {
    sessions: 10,
    attendeesPerSession: 250,
    activePerSession: 25,
    postsPerSecPerSession: 1,
    votesPerSecPerSession: 5,
    reactionsPerSecPerSession: 10,
    durationMs: 3000,
    rampPerSec: 550,
    sampledScreens: 1500,
  },
  smoke: {
    sessions: 2,
    attendeesPerSession: 20,
    activePerSession: 20,
    postsPerSecPerSession: 1,
    votesPerSecPerSession: 5,
    reactionsPerSecPerSession: 10,
    durationMs: 700,
    rampPerSec: 500,
    sampledScreens: 100,
  },
};
const pairs = Number(option('pairs') ?? (isSmoke ? 1 : 5));
const s2Size = { ...S2_SIZES[mode] };
const fSize = { ...F_SIZES[mode] };
if (option('f-sessions')) fSize.sessions = Number(option('f-sessions'));
if (option('duration')) s2Size.durationMs = fSize.durationMs = Number(option('duration'));
const only = option('only')?.split(',');
const runs = (id: string) => !only || only.includes(id);

// ── the machine ──────────────────────────────────────────────────────────────────────────────

function main(): Promise<number> {
  return run().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    return 1;
  });
}

async function run(): Promise<number> {
  // The smoke run writes beside a full run's results, never over them.
  const resultsDir = join(root, 'bench-results');
  const outDir = isSmoke ? join(resultsDir, 'smoke') : resultsDir;
  mkdirSync(outDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'gt-bench-'));
  const machine = machineInfo();
  setClockTicks(machine.clockTicks);
  log(
    `mode ${mode}: ${pairs} pair(s) per scenario; ${machine.nproc} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  if (machine.loadAverageAtStart[0]! > 0.5)
    log(
      `note: the machine is busy (load average ${machine.loadAverageAtStart[0]}): other processes disturb the figures`,
    );

  // Server on CPU 0, harness on CPU 1, when there are two and taskset exists.
  const pinned = machine.taskset && machine.nproc >= 2;
  const serverCpus = pinned ? '0' : 'any';
  const harnessCpus = pinned ? `1${machine.nproc > 2 ? `-${machine.nproc - 1}` : ''}` : 'any';
  if (pinned)
    spawnSync('taskset', ['-a', '-p', '-c', harnessCpus, String(process.pid)], { stdio: 'ignore' });
  else
    log('not pinning: taskset is missing or there is one core; server and harness share the CPUs');
  const harnessCores = pinned ? machine.nproc - 1 : null;

  // Open files: each connection costs the server one, and its harness process one.
  const workers = Number(option('workers') ?? (isSmoke ? 2 : 3));
  const biggest = Math.max(s2Size.attendees + 2, fSize.sessions * (fSize.attendeesPerSession + 2));
  const needed = biggest + 512;
  let fileLimit: number | null = null;
  log(
    `ulimit -n: ${machine.fileLimit.soft} (hard ${machine.fileLimit.hard}); the largest scenario needs about ${needed}`,
  );
  if (machine.fileLimit.soft < needed) {
    if (machine.fileLimit.hard >= needed) {
      fileLimit = needed;
      log(
        `raising the limit to ${needed} for the server and harness processes (ulimit -n in their shell)`,
      );
    } else {
      const fit = Math.floor((machine.fileLimit.hard - 512) / (fSize.attendeesPerSession + 2));
      log(
        `the hard limit ${machine.fileLimit.hard} is too low for ${needed} files: run \`ulimit -n ${needed}\` as root first. F is scaled to ${fit} sessions.`,
      );
      fSize.sessions = Math.max(1, fit);
    }
  }

  // Build (as production does), and compile the baseline to plain JavaScript so both servers
  // start the same way: `node file.js`, no loader.
  if (!flag('no-build')) {
    log('building: turbo run build');
    const build = spawnSync(
      join(root, 'node_modules', '.bin', 'turbo'),
      ['run', 'build', '--output-logs=errors-only', '--ui=stream'],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
      },
    );
    if (build.status !== 0) throw new Error(`build failed (exit ${build.status})`);
  }
  const buildDir = join(resultsDir, '.build');
  mkdirSync(buildDir, { recursive: true });
  const baselineEntry = join(buildDir, 'baseline-server.mjs');
  writeFileSync(
    baselineEntry,
    transformSync(readFileSync(join(here, 'baseline-server.ts'), 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
    }).code,
  );

  const fsync = fsyncRate(tmp);
  log(`fsync: ${fsync.perSecond}/s (200 × 4 KiB write + fsync in ${tmp}, ${fsync.filesystem})`);
  const bundle = attendeeBundle(join(root, 'client', 'build'));
  if (bundle)
    log(
      `attendee page: JS ${(bundle.jsGzipBytes / 1024).toFixed(1)} KiB gz, CSS ${(bundle.cssGzipBytes / 1024).toFixed(1)} KiB gz (${bundle.scope})`,
    );
  else log('attendee page: no client build found');

  const launch: Launch = {
    root,
    baselineEntry,
    pin: pinned ? ['taskset', '-c', serverCpus] : [],
    fileLimit,
    secretKey: randomBytes(32).toString('hex'),
    organiserEmail: 'bench@gentofte.example',
    organiserPassword: randomBytes(12).toString('hex'),
  };
  const harness = await Harness.start({
    workers,
    taskset: pinned ? ['-c', harnessCpus] : null,
    fileLimit,
  });
  const ctx: Context = {
    harness,
    launch,
    tmp,
    tokens: { app: [], baseline: [] },
    log,
    drainTimeoutMs: isSmoke ? 2500 : 6000,
    settleMs: isSmoke ? 300 : 1000,
    pauseMs: isSmoke ? 50 : 300,
    reconnect: isSmoke ? SMOKE_RECONNECT : RECONNECT,
  };

  try {
    // Device tokens once per server kind (they are signed and stateless; each run reuses them),
    // from a server of their own so that no measured server carries that garbage.
    const tokenCount = Math.max(s2Size.attendees, fSize.sessions * fSize.attendeesPerSession);
    for (const kind of isSmoke ? [] : (['app', 'baseline'] as Kind[])) {
      const dataDir = mkdtempSync(join(tmp, `tokens-${kind}-`));
      const server = await startServer(kind, launch, { dataDir });
      ctx.tokens[kind] = await harness.registerDevices(server.url, tokenCount);
      await server.kill('SIGKILL');
    }
    if (!isSmoke) log(`${tokenCount} device tokens per server kind (device:register)`);

    const scenarios: ScenarioResult[] = [];
    // S4 needs a Redis; the shared one of the development machines by default (REDIS_URL or
    // TEST_REDIS_URL to choose another). It runs whenever one answers, unless --no-s4 (or an
    // --only=… without S4) leaves it out; --s4 is accepted for older scripts.
    const wantsS4 = !flag('no-s4') && (only ? only.includes('S4') : true);
    const redisCandidate =
      process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
    const redisUrl = wantsS4 && (await redisAnswers(redisCandidate)) ? redisCandidate : null;
    let s4Result: ScenarioResult | null = null;
    const pinnedCores = harnessCores;
    const judgeRun = (r: RunRecord) => (r.valid ? '' : ` INVALID: ${r.invalidReason}`);

    // S2 and S3 (S3 kills the server under S2's clients).
    if (runs('S2') || runs('S3') || runs('S4')) {
      const s2Runs: RunRecord[] = [];
      const s3Runs: RunRecord[] = [];
      const s4Runs: RunRecord[] = [];
      for (let pair = 1; pair <= pairs; pair++) {
        for (const kind of ['app', 'baseline'] as Kind[]) {
          const { s2, s3 } = await runS2S3(ctx, kind, pair, s2Size, pinnedCores);
          s2Runs.push(s2);
          s3Runs.push(s3);
          const m = s2.metrics;
          log(
            `S2 ${kind} #${pair}: p99 ${m.latencyP99Ms?.toFixed(1)} ms, delivered ${m.deliveredPct?.toFixed(2)}%, CPU/1k ${m.serverCpuMsPer1000Deliveries?.toFixed(1)} ms, harness ${s2.harnessCpuTotalPct.toFixed(0)}%, others ${s2.otherCpuPct?.toFixed(0)}%${judgeRun(s2)}` +
              ` | S3: all back in ${s3.metrics.recoveryAllMs?.toFixed(0)} ms, lost ${s3.metrics.lostAckedPosts ?? 'n/a'}`,
          );
          for (const note of [...s2.notes, ...s3.notes]) log(`  ${note}`);
        }
        // S4 in the same round: the same load on two app nodes behind Redis.
        if (redisUrl) {
          const s4 = await runS4(ctx, pair, s2Size, pinnedCores, redisUrl);
          s4Runs.push(s4);
          log(
            `S4 two nodes #${pair}: p99 ${s4.metrics.latencyP99Ms?.toFixed(1)} ms, delivered ${s4.metrics.deliveredPct?.toFixed(2)}%, harness ${s4.harnessCpuTotalPct.toFixed(0)}%${judgeRun(s4)}`,
          );
          for (const note of s4.notes) log(`  ${note}`);
        }
      }
      const s2Note = `1 post-moderated session: ${s2Size.attendees} attendees + moderator + wall; ${s2Size.senders} senders, ${s2Size.postsPerSec} posts/s; ${s2Size.votesPerSec} upvotes/s + ${s2Size.reactionsPerSec} reactions/s; ${s2Size.durationMs / 1000} s per run`;
      scenarios.push(
        scenarioResult('S2', 'one session, post-moderated', s2Note, { ...s2Size }, s2Runs, isSmoke),
      );
      scenarios.push(
        scenarioResult(
          'S3',
          'SIGKILL and restart under S2',
          `S2's ${s2Size.attendees + 2} clients; SIGKILL, restart at once on the same port and data; reconnection delay ${ctx.reconnect.delayMs}–${ctx.reconnect.delayMaxMs} ms, randomisation ${ctx.reconnect.randomizationFactor} (both servers)`,
          { clients: s2Size.attendees + 2 },
          s3Runs,
          isSmoke,
        ),
      );
      if (s4Runs.length)
        s4Result = scenarioResult(
          'S4',
          'two app nodes + Redis',
          `S2's load on two app nodes sharing Redis (${redisUrl}, own key prefix per run, deleted after), wall on node A, moderator on node B, attendees alternating; the "baseline" column is the single app node (S2's app runs of this bench run)`,
          { ...s2Size, nodes: 2 },
          [
            ...s4Runs,
            ...s2Runs
              .filter((r) => r.kind === 'app')
              .map((r) => ({ ...r, kind: 'baseline' as const })),
          ],
          isSmoke,
        );
    }

    // S1 (the ramp) and F (festival load on the same clients).
    if (runs('S1') || runs('F')) {
      const s1Runs: RunRecord[] = [];
      const fRuns: RunRecord[] = [];
      for (let pair = 1; pair <= pairs; pair++)
        for (const kind of ['app', 'baseline'] as Kind[]) {
          const { s1, f } = await runS1F(ctx, kind, pair, fSize, pinnedCores);
          s1Runs.push(s1);
          fRuns.push(f);
          log(
            `S1 ${kind} #${pair}: ${s1.metrics.connections} joined, ${s1.metrics.failedJoins} failed, ${s1.metrics.joinsPerSec?.toFixed(0)} joins/s, ${s1.metrics.memoryPerConnectionKiB?.toFixed(1)} KiB/conn${judgeRun(s1)}` +
              ` | F: p99 ${f.metrics.latencyP99Ms?.toFixed(1)} ms, lost ${f.metrics.lostDeliveries}, harness ${f.harnessCpuTotalPct.toFixed(0)}%${judgeRun(f)}`,
          );
          for (const note of [...s1.notes, ...f.notes]) log(`  ${note}`);
        }
      const connections = fSize.sessions * (fSize.attendeesPerSession + 2);
      const scaled =
        fSize.sessions < 40
          ? ` (scaled from the issue's 10,000 to fit the time budget; --full runs 40 sessions)`
          : '';
      scenarios.unshift(
        scenarioResult(
          'S1',
          'ramp of idle attendee connections',
          `${connections.toLocaleString('en-US')} connections${scaled}, offered at ${fSize.rampPerSec}/s, joined to ${fSize.sessions} sessions; measured on F's ramp, before its load`,
          { connections, rampPerSec: fSize.rampPerSec, sessions: fSize.sessions },
          s1Runs,
          isSmoke,
        ),
      );
      scenarios.push(
        scenarioResult(
          'F',
          'festival mix on one node',
          `${fSize.sessions} pre-moderated sessions × ${fSize.attendeesPerSession} attendees (+ wall, + moderator approving every post)${scaled}; per session ${fSize.postsPerSecPerSession} post/s, ${fSize.votesPerSecPerSession} votes/s, ${fSize.reactionsPerSecPerSession} reactions/s; ${fSize.durationMs / 1000} s per run; latency at ${fSize.sampledScreens} sampled screens`,
          { ...fSize },
          fRuns,
          isSmoke,
        ),
      );
    }
    const s4 =
      s4Result ??
      notRun(
        'S4',
        'two app nodes + Redis',
        !wantsS4
          ? 'not run (left out with --no-s4 or --only)'
          : `not run: no Redis answers at ${redisCandidate} (set REDIS_URL or TEST_REDIS_URL)`,
      );
    const fIndex = scenarios.findIndex((s) => s.id === 'F');
    scenarios.splice(fIndex < 0 ? scenarios.length : fIndex, 0, s4);

    // Optional: CPU profiles of the app, during S2's load and during S3's recovery (the
    // restarted process: a process killed with SIGKILL writes no profile).
    const profiles: BenchResult['profiles'] = [];
    if (flag('profile')) {
      for (const phase of ['S2', 'S3'] as const) {
        const dir = join(resultsDir, 'profile', phase);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        log(
          `profiling the app during ${phase === 'S2' ? "S2's load" : "S3's recovery"} (node --cpu-prof)`,
        );
        const { loadWindowNs, recoveryWindowNs } = await runS2S3(
          ctx,
          'app',
          0,
          s2Size,
          pinnedCores,
          {
            cpuProfileDir: dir,
            skipS3: phase === 'S2',
          },
        );
        const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        const window = phase === 'S2' ? loadWindowNs : recoveryWindowNs;
        if (file && window)
          profiles.push({
            phase,
            file: join('bench-results', 'profile', phase, file),
            ...profileSummary(join(dir, file), window),
          });
      }
    }

    const result: BenchResult = {
      schema: 'gentofte-talks-bench/1',
      date: new Date().toISOString(),
      durationSeconds: (performance.now() - startedAt) / 1000,
      mode,
      pairs,
      machine: {
        ...machine,
        fsyncPerSecond: fsync.perSecond,
        fsyncFilesystem: fsync.filesystem,
        fsyncDir: tmpdir(),
      },
      harness: {
        workers,
        pinned,
        serverCpus,
        harnessCpus,
        cpuLimitPct: HARNESS_CPU_LIMIT * 100,
        fileLimitForChildren: fileLimit,
      },
      bundle,
      scenarios,
      profiles,
      notes: [
        'Server CPU and memory are read from /proc (utime+stime, VmRSS): neither server can be asked from outside, and neither can be made to collect garbage first, so memory per connection is (RSS after the ramp and a 1 s settle − RSS before) / connections for both alike.',
        "The app's event-loop delay is not observable from outside the process; the harness's own is reported.",
        'Other processes on the machine (tests of other engineers, builds) share the cores: see the load average.',
      ],
    };
    const schema = JSON.parse(readFileSync(join(here, 'bench.schema.json'), 'utf8'));
    const problems = validate(schema, JSON.parse(JSON.stringify(result)));
    writeFileSync(join(outDir, 'bench.json'), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(join(outDir, 'bench.md'), markdown(result));
    console.log(`\n${table(result)}\n`);
    if (bundle)
      console.log(
        `Attendee page: JS ${(bundle.jsGzipBytes / 1024).toFixed(1)} KiB + CSS ${(bundle.cssGzipBytes / 1024).toFixed(1)} KiB gzipped (${bundle.scope})`,
      );
    for (const profile of profiles) {
      console.log(
        `\nCPU profile of the app during ${profile.phase === 'S2' ? "S2's load" : "S3's recovery"} (${profile.file}): busy in ${profile.busyPct.toFixed(0)}% of the samples. Self time as a share of the busy samples, by area:`,
      );
      for (const a of profile.areas)
        console.log(`  ${a.selfPct.toFixed(1).padStart(5)}%  ${a.area}`);
      console.log('by function:');
      for (const p of profile.top)
        console.log(`  ${p.selfPct.toFixed(1).padStart(5)}%  ${p.function}  ${p.location}`);
    }
    if (problems.length) {
      console.error(
        `bench.json does not match bench.schema.json:\n  ${problems.slice(0, 20).join('\n  ')}`,
      );
      return 1;
    }
    const shown = outDir.slice(root.length);
    console.log(
      `\nWrote ${shown}/bench.json (valid against scripts/bench/bench.schema.json) and ${shown}/bench.md in ${elapsed()}.`,
    );
    if (!isSmoke && performance.now() - startedAt > 300_000)
      console.log(`note: the run took ${elapsed()}, over the 5-minute budget`);

    if (isSmoke) {
      // The smoke run checks that the harness works end to end, not the figures.
      const works: Record<string, (r: RunRecord) => boolean> = {
        S1: (r) => r.metrics.failedJoins === 0,
        S2: (r) => Number(r.metrics.postsAcked) > 0 && r.metrics.deliveredPct === 100,
        S3: (r) =>
          r.metrics.recoveredPct === 100 &&
          (r.kind === 'baseline' || r.metrics.lostAckedPosts === 0),
        S4: (r) => Number(r.metrics.postsAcked) > 0 && r.metrics.deliveredPct === 100,
        F: (r) => Number(r.metrics.postsAcked) > 0 && r.metrics.deliveredPct === 100,
      };
      const broken = scenarios.flatMap((s) =>
        s.runs
          .filter((r) => works[s.id] && !works[s.id]!(r))
          .map((r) => `${s.id} ${r.kind}: ${JSON.stringify(r.metrics)}`),
      );
      if (broken.length) {
        console.error(`smoke: the harness did not get through:\n  ${broken.join('\n  ')}`);
        return 1;
      }
      console.log('smoke: the harness works against both servers');
    }
    return 0;
  } finally {
    await harness.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Where a .cpuprofile spent its time within a window (hrtime ns; V8 stamps samples in µs of the
 * same monotonic clock): the share of busy samples (idle left out) per function and per area.
 */
function profileSummary(file: string, windowNs: [bigint, bigint], count = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }>;
    startTime: number;
    samples: number[];
    timeDeltas: number[];
  };
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const from = Number(windowNs[0] / 1000n);
  const to = Number(windowNs[1] / 1000n);
  const hits = new Map<number, number>();
  let t = profile.startTime;
  let inWindow = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) return;
    inWindow++;
    if (frames.get(id)?.functionName === '(idle)') idle++;
    else hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const busy = inWindow - idle || 1;
  const fromBundle = bundleModules();
  const where = (url: string) => {
    const path = url.replace(`file://${root}`, '');
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    if (pkg) return pkg;
    if (path.startsWith('server/src/') || path.startsWith('server/dist/'))
      return `app: ${path.split('/').slice(2, -1).join('/') || 'main'}`;
    if (path.startsWith('packages/')) return `@gt/${path.split('/')[1]}`;
    if (path.startsWith('node:')) return 'node internals';
    return path ? 'other' : 'native / runtime';
  };
  const byFunction = new Map<string, { function: string; location: string; hits: number }>();
  const byArea = new Map<string, number>();
  for (const [id, n] of hits) {
    const frame = frames.get(id)!;
    const { functionName, lineNumber } = frame;
    const url = fromBundle(frame.url, lineNumber);
    // A line number in the bundle means nothing in the module's own file: leave it out.
    const line = url === frame.url ? `:${lineNumber + 1}` : '';
    const location = url
      ? `${url.replace(`file://${root}`, '').replace(/^.*node_modules\//, '')}${line}`
      : '';
    const key = `${functionName}@${location}`;
    const entry = byFunction.get(key) ?? {
      function: functionName || '(anonymous)',
      location,
      hits: 0,
    };
    entry.hits += n;
    byFunction.set(key, entry);
    const area = where(url);
    byArea.set(area, (byArea.get(area) ?? 0) + n);
  }
  return {
    busyPct: (100 * (inWindow - idle)) / (inWindow || 1),
    top: [...byFunction.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, count)
      .map((e) => ({ function: e.function, location: e.location, selfPct: (100 * e.hits) / busy })),
    areas: [...byArea]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([area, n]) => ({ area, selfPct: (100 * n) / busy })),
  };
}

/**
 * The server runs as one esbuild bundle (server/build.mjs), so a profile names
 * server/dist/server.cjs for every frame (its path, as the vm.Script that runs it is named). esbuild starts each module's code with a `// path`
 * comment line (relative to server/); this maps a frame's line back to that module, so the
 * summary can still say "socket.io" or "app: services".
 */
function bundleModules(): (url: string, lineNumber: number) => string {
  const bundle = join(root, 'server', 'dist', 'server.cjs');
  let starts: Array<{ line: number; path: string }> = [];
  try {
    readFileSync(bundle, 'utf8')
      .split('\n')
      .forEach((text, line) => {
        const module = /^\/\/ ((?:\.\.\/|src\/)\S+\.[cm]?[jt]s)$/.exec(text)?.[1];
        if (module) starts.push({ line, path: module });
      });
  } catch {
    starts = [];
  }
  return (url, lineNumber) => {
    if ((url !== bundle && url !== `file://${bundle}`) || starts.length === 0) return url;
    let low = 0;
    let high = starts.length - 1;
    if (lineNumber < starts[0]!.line) return url;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]!.line <= lineNumber) low = mid;
      else high = mid - 1;
    }
    return `file://${join(root, 'server', starts[low]!.path)}`;
  };
}

// Ctrl-C: stop the servers and the harness (forked workers exit with their IPC channel).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });

process.exitCode = await main();
