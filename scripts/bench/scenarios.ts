/**
 * The scenarios of issue 6, each run once against one server (app or baseline). run.ts calls
 * them in interleaved pairs and aggregates. Every function starts its own server and leaves
 * nothing running behind it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Harness } from './harness.js';
import { expectation } from './harness.js';
import type {
  Action,
  ClientSpec,
  ConnectResult,
  CpuSample,
  ReconnectSettings,
  Summary,
  VerifyResult,
} from './messages.js';
import { summarise } from './stats.js';
import { cpuMsOf, createSessions, machineCpuMs, rssKiBOf, startServer } from './targets.js';
import type { Kind, Launch, ServerHandle } from './targets.js';

export const HARNESS_CPU_LIMIT = 0.85;
/** A harness that sends later than this (p99) no longer offers the intended load. */
export const SEND_LAG_LIMIT_MS = 50;
/** The same for app and baseline (S3): socket.io-client's options. */
export const RECONNECT: ReconnectSettings = {
  delayMs: 500,
  delayMaxMs: 2000,
  randomizationFactor: 0.5,
};
/** The smoke run's: shorter, so that it fits in seconds. */
export const SMOKE_RECONNECT: ReconnectSettings = {
  delayMs: 100,
  delayMaxMs: 500,
  randomizationFactor: 0.5,
};
const REACTIONS = ['applause', 'heart', 'agree', 'disagree', 'question'];

export interface S2Size {
  attendees: number;
  senders: number;
  /** Attendees that post, vote and react (the first ones; the senders among them). */
  activeAttendees: number;
  postsPerSec: number;
  votesPerSec: number;
  reactionsPerSec: number;
  durationMs: number;
  connectPerSec: number;
}

export interface FSize {
  sessions: number;
  attendeesPerSession: number;
  postsPerSecPerSession: number;
  votesPerSecPerSession: number;
  reactionsPerSecPerSession: number;
  durationMs: number;
  /** Attendees per session that post, vote and react. */
  activePerSession: number;
  /** Offered connection rate of the ramp (S1 is measured on it). */
  rampPerSec: number;
  /** Screens that record latency (a fixed pseudo-random sample); every screen counts losses. */
  sampledScreens: number;
}

export interface Context {
  harness: Harness;
  launch: Launch;
  tmp: string;
  /** Device tokens per server kind, filled from the first server of that kind. */
  tokens: Record<Kind, string[]>;
  log: (line: string) => void;
  /** How long to wait for the last acknowledgements and deliveries after a load. */
  drainTimeoutMs: number;
  /** Pause after the ramp before reading the server's memory. */
  settleMs: number;
  /** Pause between connecting and the load. */
  pauseMs: number;
  reconnect: ReconnectSettings;
}

export interface RunRecord {
  kind: Kind;
  pair: number;
  valid: boolean;
  invalidReason: string | null;
  /** Highest CPU share of one harness process, and of all harness processes together (%). */
  harnessCpuMaxPct: number;
  harnessCpuTotalPct: number;
  harnessLoopP99Ms: number | null;
  /** p99 of (actual − intended) send time of the scheduled commands. */
  harnessSendLagP99Ms: number | null;
  /** CPU used meanwhile by other processes on the machine (% of one core), and stolen by the hypervisor. */
  otherCpuPct: number | null;
  stealPct: number | null;
  metrics: Record<string, number | null>;
  notes: string[];
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

/** Start recording the servers' own event-loop delay (outside the measured window). */
async function startLoopDelay(servers: ServerHandle[]): Promise<() => Promise<number | null>> {
  await Promise.all(servers.map(async (s) => (await s.inspector()).startLoopDelay()));
  // The worst node's p99, as the latency of a delivery is bounded by the slowest path.
  return async () => {
    const delays = await Promise.all(
      servers.map(async (s) => (await s.inspector()).readLoopDelay()),
    );
    const p99s = delays.flatMap((d) => (d ? [d.p99Ms] : []));
    return p99s.length ? Math.max(...p99s) : null;
  };
}

/** Resident memory after a full garbage collection in the server (issue 6: "both after GC"). */
async function rssAfterGcKiB(server: ServerHandle): Promise<number> {
  await (await server.inspector()).collectGarbage();
  return rssKiBOf(server.pid());
}

const nowNs = () => process.hrtime.bigint();

async function tokensFor(ctx: Context, kind: Kind, server: ServerHandle, count: number) {
  const bank = ctx.tokens[kind];
  if (bank.length < count)
    bank.push(...(await ctx.harness.registerDevices(server.url, count - bank.length)));
  return bank.slice(0, count);
}

/** A fixed pseudo-random sample: the same screens in every run. */
function sampler(fraction: number) {
  let state = 0x2545f491;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 < fraction;
  };
}

function coordinatorCpu() {
  const start = process.cpuUsage();
  const wall = nowNs();
  return (): CpuSample => {
    const used = process.cpuUsage(start);
    return { cpuMs: (used.user + used.system) / 1000, wallMs: Number(nowNs() - wall) / 1e6 };
  };
}

export interface WindowResult {
  wallMs: number;
  serverCpuMs: number;
  harnessCpuMaxPct: number;
  harnessCpuTotalPct: number;
  otherCpuPct: number;
  stealPct: number;
  invalidReason: string | null;
}

/**
 * A measured window: server CPU (from /proc), the harness processes' CPU (their own
 * process.cpuUsage, reported by each worker, plus this coordinator), and what the rest of the
 * machine used meanwhile. Closing it decides whether the run is valid: no harness process
 * above 85% of a core, the pinned harness processes together within 85% of their core(s), and
 * (for load phases) the commands sent on schedule.
 */
function openWindow(server: ServerHandle | ServerHandle[], pinnedCores: number | null) {
  const servers = Array.isArray(server) ? server : [server];
  const serverCpu = () => servers.reduce((t, s) => t + cpuMsOf(s.pid()), 0);
  const wall = nowNs();
  const server0 = serverCpu();
  const machine0 = machineCpuMs();
  const coordinator = coordinatorCpu();
  return (workers: CpuSample[], sendLagP99Ms: number | null = null): WindowResult => {
    const wallMs = Number(nowNs() - wall) / 1e6;
    const serverCpuMs = serverCpu() - server0;
    const machine = machineCpuMs();
    // Every share is over this window's wall time: a worker whose own sample is shorter (its
    // clients all connected early) must not count as busier than it was.
    const samples = [...workers, coordinator()];
    const harnessCpuMaxPct = (Math.max(...samples.map((s) => s.cpuMs)) / wallMs) * 100;
    const harnessCpuMs = samples.reduce((t, s) => t + s.cpuMs, 0);
    const harnessCpuTotalPct = (harnessCpuMs / wallMs) * 100;
    const other = machine.processes - machine0.processes - serverCpuMs - harnessCpuMs;
    let invalidReason: string | null = null;
    if (harnessCpuMaxPct > HARNESS_CPU_LIMIT * 100)
      invalidReason = `a harness process used ${harnessCpuMaxPct.toFixed(0)}% of a core (limit ${HARNESS_CPU_LIMIT * 100}%)`;
    else if (pinnedCores !== null && harnessCpuTotalPct > HARNESS_CPU_LIMIT * 100 * pinnedCores)
      invalidReason = `the harness processes together used ${harnessCpuTotalPct.toFixed(0)}% of their ${pinnedCores} core(s)`;
    else if (sendLagP99Ms !== null && sendLagP99Ms > SEND_LAG_LIMIT_MS)
      invalidReason = `the harness sent late (p99 ${sendLagP99Ms.toFixed(0)} ms behind schedule)`;
    return {
      wallMs,
      serverCpuMs,
      harnessCpuMaxPct,
      harnessCpuTotalPct,
      otherCpuPct: Math.max(0, (other / wallMs) * 100),
      stealPct: ((machine.steal - machine0.steal) / wallMs) * 100,
      invalidReason,
    };
  };
}

function record(
  kind: Kind,
  pair: number,
  window: WindowResult | null,
  extra: { loopP99Ms?: number | null; sendLagP99Ms?: number | null },
  metrics: Record<string, number | null>,
  notes: string[],
): RunRecord {
  return {
    kind,
    pair,
    valid: window?.invalidReason == null,
    invalidReason: window?.invalidReason ?? null,
    harnessCpuMaxPct: window?.harnessCpuMaxPct ?? 0,
    harnessCpuTotalPct: window?.harnessCpuTotalPct ?? 0,
    harnessLoopP99Ms: extra.loopP99Ms ?? null,
    harnessSendLagP99Ms: extra.sendLagP99Ms ?? null,
    otherCpuPct: window?.otherCpuPct ?? null,
    stealPct: window?.stealPct ?? null,
    metrics,
    notes,
  };
}

/** Wait until every command is acknowledged and every screen holds what it must (or time out). */
async function settle(ctx: Context) {
  const deadline = Date.now() + ctx.drainTimeoutMs;
  let summaries: Summary[] = await ctx.harness.summaries();
  while (summaries.some((s) => s.pendingAcks > 0) && Date.now() < deadline) {
    await sleep(100);
    summaries = await ctx.harness.summaries();
  }
  const expected = expectation(summaries);
  let results: VerifyResult[] = await ctx.harness.verify(expected);
  const done = (r: VerifyResult[]) =>
    r.every((v) => v.missingDeliveries === 0 && v.countsMismatches === 0);
  // Counts go out every 250 ms: give the last change time to arrive before judging.
  await sleep(300);
  results = await ctx.harness.verify(expected);
  while (!done(results) && Date.now() < deadline) {
    await sleep(200);
    results = await ctx.harness.verify(expected);
  }
  return { summaries, expected, results };
}

function mergeLoad(summaries: Summary[], results: VerifyResult[]) {
  const latencies = results.flatMap((r) => r.latencies);
  const lastScreen = new Map<string, number>();
  for (const r of results)
    for (const [post, ms] of Object.entries(r.lastScreen))
      lastScreen.set(post, Math.max(ms, lastScreen.get(post) ?? 0));
  const expectedDeliveries = results.reduce((t, r) => t + r.expectedDeliveries, 0);
  const missing = results.reduce((t, r) => t + r.missingDeliveries, 0);
  const failed: Record<string, number> = {};
  for (const s of summaries)
    for (const [name, n] of Object.entries(s.failedCommands))
      failed[name] = (failed[name] ?? 0) + n;
  return {
    latency: summarise(latencies),
    lastScreen: summarise([...lastScreen.values()]),
    postAck: summarise(summaries.flatMap((s) => s.postAckLatencies)),
    expectedDeliveries,
    missing,
    deliveredPct: expectedDeliveries
      ? (100 * (expectedDeliveries - missing)) / expectedDeliveries
      : null,
    deliveries: results.reduce((t, r) => t + r.deliveries.updates + r.deliveries.counts, 0),
    countsMismatches: results.reduce((t, r) => t + r.countsMismatches, 0),
    countsExample: results.find((r) => r.countsExample)?.countsExample ?? null,
    failed,
    failedTotal: Object.values(failed).reduce((t, n) => t + n, 0),
    skippedVotes: summaries.reduce((t, s) => t + s.skippedVotes, 0),
    approvalsFailed: summaries.reduce((t, s) => t + s.approvals.failed, 0),
    loopP99: Math.max(...results.map((r) => r.loop.p99Ms)),
    sendLagP99: summarise(results.flatMap((r) => r.sendLags)).p99,
    postsAcked: summaries.flatMap((s) => Object.values(s.postsAcked).flat()),
    disconnects: results.reduce((t, r) => t + r.disconnects, 0),
  };
}

function joinStats(results: ConnectResult[]) {
  const ok = results.reduce((t, r) => t + r.ok, 0);
  const failed = results.reduce((t, r) => t + r.failed, 0);
  const first = results.reduce(
    (m, r) => (BigInt(r.firstIntendedNs) < m ? BigInt(r.firstIntendedNs) : m),
    BigInt(results[0]!.firstIntendedNs),
  );
  const last = results.reduce((m, r) => (BigInt(r.lastAckNs) > m ? BigInt(r.lastAckNs) : m), 0n);
  const seconds = Number(last - first) / 1e9;
  const errors: Record<string, number> = {};
  for (const r of results)
    for (const [e, n] of Object.entries(r.errors)) errors[e] = (errors[e] ?? 0) + n;
  return {
    ok,
    failed,
    errors,
    joinsPerSec: seconds > 0 ? ok / seconds : null,
    join: summarise(results.flatMap((r) => r.joinLatencies)),
  };
}

async function withServer<T>(
  ctx: Context,
  kind: Kind,
  body: (server: ServerHandle) => Promise<T>,
  options: { cpuProfileDir?: string } = {},
): Promise<T> {
  const dataDir = mkdtempSync(join(ctx.tmp, `${kind}-`));
  const server = await startServer(kind, ctx.launch, { dataDir, ...options });
  try {
    return await body(server);
  } catch (error) {
    ctx.log(`${kind} server output (tail):\n${server.output().slice(-2000)}`);
    throw error;
  } finally {
    await ctx.harness.close().catch(() => undefined);
    // A profile is written only on a normal exit: ask politely, then insist.
    if (options.cpuProfileDir) {
      const force = setTimeout(() => void server.kill('SIGKILL'), 10_000);
      await server.kill('SIGTERM');
      clearTimeout(force);
    } else await server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * S2's open-loop schedule (client 0 the wall, 1 the moderator, 2… attendees): posts round-robin
 * over the senders; votes and reactions spread over the active attendees. Votes start once there are
 * posts to vote on.
 */
function s2Actions(size: S2Size): Action[] {
  const actions: Action[] = [];
  const attendee = (i: number) => 2 + (i % size.activeAttendees);
  for (let k = 0, at = 0; at < size.durationMs; k++, at = (k * 1000) / size.postsPerSec)
    actions.push({ at, client: attendee(k % size.senders), kind: 'post' });
  for (let k = 0, at = 500; at < size.durationMs; k++, at = 500 + (k * 1000) / size.votesPerSec)
    actions.push({ at, client: attendee(size.senders + k * 7), kind: 'vote' });
  for (let k = 0, at = 2; at < size.durationMs; k++, at = 2 + (k * 1000) / size.reactionsPerSec)
    actions.push({
      at,
      client: attendee(k * 13 + 5),
      kind: 'react',
      reaction: REACTIONS[k % REACTIONS.length]!,
    });
  return actions;
}

function s2Metrics(
  screens: number,
  joinFailures: number,
  load: ReturnType<typeof mergeLoad>,
  w: WindowResult,
): Record<string, number | null> {
  return {
    screens,
    joinFailures,
    postsAcked: load.postsAcked.length,
    deliveredPct: load.deliveredPct,
    latencyP50Ms: load.latency.p50,
    latencyP99Ms: load.latency.p99,
    latencyMaxMs: load.latency.max,
    everyScreenP99Ms: load.lastScreen.p99,
    postAckP99Ms: load.postAck.p99,
    serverCpuMsPer1000Deliveries: load.deliveries ? (w.serverCpuMs * 1000) / load.deliveries : null,
    serverCpuPct: (w.serverCpuMs / w.wallMs) * 100,
    deliveries: load.deliveries,
    countsExact: load.countsMismatches === 0 ? 1 : 0,
    failedCommands: load.failedTotal,
    skippedVotes: load.skippedVotes,
  };
}

// ── S2 (and S3 on the same clients) ──────────────────────────────────────────────────────────

export interface S2S3Result {
  s2: RunRecord;
  s3: RunRecord;
  /** The load's window in hrtime ns (the clock V8's CPU profiles use, in µs). */
  loadWindowNs: [bigint, bigint];
  /** From the kill to the last client back (S3). */
  recoveryWindowNs: [bigint, bigint] | null;
}

export async function runS2S3(
  ctx: Context,
  kind: Kind,
  pair: number,
  size: S2Size,
  pinnedCores: number | null,
  options: { cpuProfileDir?: string; skipS3?: boolean } = {},
): Promise<S2S3Result> {
  return withServer(
    ctx,
    kind,
    async (server) => {
      const [session] = await createSessions(server.url, ctx.launch, 1, 'post');
      const tokens = await tokensFor(ctx, kind, server, size.attendees);
      const sessionId = session!.sessionId;
      // 0: the wall, 1: the moderator, 2…: attendees (the first `senders` of them post).
      const clients: ClientSpec[] = [
        { auth: { v: 1 }, sessionId, role: 'wall', sample: true },
        {
          auth: { v: 1, staff: session!.moderatorToken },
          sessionId,
          role: 'moderator',
          sample: true,
        },
        ...tokens.map((device, i): ClientSpec => ({
          auth: { v: 1, device },
          sessionId,
          role: 'attendee',
          sample: true,
          active: i < size.activeAttendees,
        })),
      ];
      const offsets = clients.map((_, j) => (j * 1000) / size.connectPerSec);
      const connected = joinStats(
        await ctx.harness.connect(
          server.url,
          clients,
          offsets,
          nowNs() + 100_000_000n,
          20_000,
          ctx.reconnect,
        ),
      );
      const notes: string[] = [];
      if (connected.failed > 0)
        notes.push(
          `${connected.failed} clients failed to join: ${JSON.stringify(connected.errors)}`,
        );
      await sleep(ctx.pauseMs);

      const actions = s2Actions(size);
      const loopDelay = await startLoopDelay([server]);
      const window = openWindow(server, pinnedCores);
      const t0 = nowNs() + 200_000_000n;
      await ctx.harness.load(t0, actions, false);
      await sleep(size.durationMs + 200);
      const { summaries, results } = await settle(ctx);
      const loadWindowNs: [bigint, bigint] = [t0, nowNs()];
      const serverLoopP99Ms = await loopDelay();
      const load = mergeLoad(summaries, results);
      const w = window(
        results.map((r) => r.cpu),
        load.sendLagP99,
      );
      if (load.countsExample && load.countsMismatches > 0)
        notes.push(`counts differ: ${load.countsExample}`);
      if (load.failedTotal > 0) notes.push(`failed commands: ${JSON.stringify(load.failed)}`);

      const s2 = record(
        kind,
        pair,
        w,
        { loopP99Ms: load.loopP99, sendLagP99Ms: load.sendLagP99 },
        { ...s2Metrics(clients.length, connected.failed, load, w), serverLoopP99Ms },
        notes,
      );
      if (options.skipS3) return { s2, s3: s2, loadWindowNs, recoveryWindowNs: null };

      // S3: SIGKILL, restart on the same port and data, and time until every client has joined
      // again and holds the stream head (the join acknowledgement carries it).
      const killNs = nowNs();
      await ctx.harness.all({ type: 'arm-recovery', killNs: String(killNs) });
      await server.kill('SIGKILL');
      await server.restart();
      const restartMs = Number(nowNs() - killNs) / 1e6;
      const recovery = await ctx.harness.recovery();
      const recoveryWindowNs: [bigint, bigint] = [killNs, nowNs()];
      const recovered = recovery.reduce((t, r) => t + r.recovered, 0);
      const total = recovery.reduce((t, r) => t + r.total, 0);
      const times = summarise(recovery.flatMap((r) => r.times));
      const wall = new Set(recovery.flatMap((r) => r.wallPostIds));
      const lost = kind === 'app' ? load.postsAcked.filter((id) => !wall.has(id)).length : null;
      const s3 = record(
        kind,
        pair,
        null,
        {},
        {
          clients: total,
          recoveredPct: total ? (100 * recovered) / total : null,
          restartMs,
          recoveryAllMs: recovered === total ? times.max : null,
          recoveryP50Ms: times.p50,
          seqBehind: kind === 'app' ? recovery.reduce((t, r) => t + r.seqBehind, 0) : null,
          lostAckedPosts: lost,
        },
        kind === 'baseline'
          ? ['the baseline keeps no posts: its stream head after a restart is 0']
          : [],
      );
      return { s2, s3, loadWindowNs, recoveryWindowNs };
    },
    options,
  );
}

// ── S1 (the ramp) and F (the festival load on the same clients) ──────────────────────────────

export interface S1FResult {
  s1: RunRecord;
  f: RunRecord;
}

export async function runS1F(
  ctx: Context,
  kind: Kind,
  pair: number,
  size: FSize,
  pinnedCores: number | null,
): Promise<S1FResult> {
  return withServer(ctx, kind, async (server) => {
    const sessions = await createSessions(server.url, ctx.launch, size.sessions, 'pre');
    const perSession = size.attendeesPerSession;
    const tokens = await tokensFor(ctx, kind, server, size.sessions * perSession);
    const total = size.sessions * (perSession + 2);
    const sample = sampler(Math.min(1, size.sampledScreens / total));
    // Staff screens and walls first, then attendees interleaved across sessions.
    const clients: ClientSpec[] = [];
    for (const s of sessions) {
      clients.push({ auth: { v: 1 }, sessionId: s.sessionId, role: 'wall', sample: sample() });
      clients.push({
        auth: { v: 1, staff: s.moderatorToken },
        sessionId: s.sessionId,
        role: 'moderator',
        sample: false,
        active: true,
      });
    }
    const attendeeIndex = (session: number, i: number) =>
      2 * size.sessions + i * size.sessions + session;
    for (let i = 0; i < perSession; i++)
      for (let s = 0; s < size.sessions; s++)
        clients.push({
          auth: { v: 1, device: tokens[i * size.sessions + s]! },
          sessionId: sessions[s]!.sessionId,
          role: 'attendee',
          sample: sample(),
          active: i < size.activePerSession,
        });

    await sleep(ctx.pauseMs);
    const rss0 = await rssAfterGcKiB(server);
    const rampWindow = openWindow(server, pinnedCores);
    const offsets = clients.map((_, j) => (j * 1000) / size.rampPerSec);
    const connectResults = await ctx.harness.connect(
      server.url,
      clients,
      offsets,
      nowNs() + 200_000_000n,
      20_000,
      ctx.reconnect,
    );
    const ramp = joinStats(connectResults);
    const wRamp = rampWindow(connectResults.map((r) => r.cpu));
    await sleep(ctx.settleMs);
    const rssN = await rssAfterGcKiB(server);
    const s1 = record(
      kind,
      pair,
      wRamp,
      {},
      {
        connections: clients.length,
        failedJoins: ramp.failed,
        joinsPerSec: ramp.joinsPerSec,
        joinP50Ms: ramp.join.p50,
        joinP99Ms: ramp.join.p99,
        memoryPerConnectionKiB: ramp.ok ? (rssN - rss0) / ramp.ok : null,
        rssBeforeMiB: rss0 / 1024,
        rssAfterMiB: rssN / 1024,
        serverCpuMsPer1000Joins: ramp.ok ? (wRamp.serverCpuMs * 1000) / ramp.ok : null,
        // What one core could take if joining were the only work: an estimate, not a measurement.
        joinCapacityPerSec: wRamp.serverCpuMs > 0 ? (ramp.ok * 1000) / wRamp.serverCpuMs : null,
        serverCpuPct: (wRamp.serverCpuMs / wRamp.wallMs) * 100,
      },
      ramp.failed > 0 ? [`failed joins: ${JSON.stringify(ramp.errors)}`] : [],
    );

    // F: every session 1 post/s, 5 votes/s, 10 reactions/s, pre-moderated, its moderator
    // approving each post as it arrives; phases staggered so sessions do not fire together.
    const actions: Action[] = [];
    const active = Math.min(size.activePerSession, perSession);
    for (let s = 0; s < size.sessions; s++) {
      const phase = (s * 1000) / size.sessions / size.postsPerSecPerSession;
      const at = (k: number, rate: number, offset = 0) => phase + offset + (k * 1000) / rate;
      for (let k = 0; at(k, size.postsPerSecPerSession) < size.durationMs; k++)
        actions.push({
          at: at(k, size.postsPerSecPerSession),
          client: attendeeIndex(s, k % active),
          kind: 'post',
        });
      for (let k = 0; at(k, size.votesPerSecPerSession, 600) < size.durationMs; k++)
        actions.push({
          at: at(k, size.votesPerSecPerSession, 600),
          client: attendeeIndex(s, (k * 7 + 3) % active),
          kind: 'vote',
        });
      for (let k = 0; at(k, size.reactionsPerSecPerSession, 3) < size.durationMs; k++)
        actions.push({
          at: at(k, size.reactionsPerSecPerSession, 3),
          client: attendeeIndex(s, (k * 13 + 5) % active),
          kind: 'react',
          reaction: REACTIONS[k % REACTIONS.length]!,
        });
    }
    const loopDelay = await startLoopDelay([server]);
    const window = openWindow(server, pinnedCores);
    await ctx.harness.load(nowNs() + 200_000_000n, actions, true);
    await sleep(size.durationMs + 200);
    const { summaries, results } = await settle(ctx);
    const serverLoopP99Ms = await loopDelay();
    const load = mergeLoad(summaries, results);
    const w = window(
      results.map((r) => r.cpu),
      load.sendLagP99,
    );
    const notes: string[] = [];
    if (load.failedTotal > 0) notes.push(`failed commands: ${JSON.stringify(load.failed)}`);
    if (load.countsMismatches > 0 && load.countsExample)
      notes.push(`counts differ: ${load.countsExample}`);
    const f = record(
      kind,
      pair,
      w,
      { loopP99Ms: load.loopP99, sendLagP99Ms: load.sendLagP99 },
      {
        screens: clients.length,
        sampledScreens: clients.filter((c) => c.sample).length,
        postsAcked: load.postsAcked.length,
        deliveredPct: load.deliveredPct,
        lostDeliveries: load.missing,
        latencyP50Ms: load.latency.p50,
        latencyP99Ms: load.latency.p99,
        latencyMaxMs: load.latency.max,
        postAckP99Ms: load.postAck.p99,
        serverCpuMsPer1000Deliveries: load.deliveries
          ? (w.serverCpuMs * 1000) / load.deliveries
          : null,
        serverCpuPct: (w.serverCpuMs / w.wallMs) * 100,
        serverLoopP99Ms,
        deliveries: load.deliveries,
        countsExact: load.countsMismatches === 0 ? 1 : 0,
        failedCommands: load.failedTotal,
        approvalsFailed: load.approvalsFailed,
      },
      notes,
    );
    return { s1, f };
  });
}

// ── S4: two app nodes behind Redis ───────────────────────────────────────────────────────────

/** Remove a run's keys from the shared Redis (never FLUSHALL: other runs and tests use it). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

export async function redisAnswers(url: string): Promise<boolean> {
  try {
    const { Redis } = await import('ioredis');
    const redis = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: () => null,
    });
    await redis.connect();
    const pong = await redis.ping();
    await redis.quit();
    return pong === 'PONG';
  } catch {
    return false;
  }
}

/**
 * S2's load on two app nodes sharing one Redis (store and Socket.IO adapter), clients split
 * across them: the wall on node A, the moderator on node B, attendees (and senders) alternating.
 * Each run uses its own key prefix and deletes its keys afterwards.
 */
export async function runS4(
  ctx: Context,
  pair: number,
  size: S2Size,
  pinnedCores: number | null,
  redisUrl: string,
): Promise<RunRecord> {
  const prefix = `gt-bench:${randomBytes(6).toString('hex')}:`;
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
  const dirs = [mkdtempSync(join(ctx.tmp, 's4a-')), mkdtempSync(join(ctx.tmp, 's4b-'))];
  const nodes: ServerHandle[] = [];
  try {
    const started = await Promise.allSettled(
      dirs.map((dataDir) => startServer('app', ctx.launch, { dataDir, env })),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [a, b] = nodes as [ServerHandle, ServerHandle];
    const [session] = await createSessions(a.url, ctx.launch, 1, 'post');
    const tokens = await tokensFor(ctx, 'app', a, size.attendees);
    const sessionId = session!.sessionId;
    const clients: ClientSpec[] = [
      { auth: { v: 1 }, sessionId, role: 'wall', sample: true, url: a.url },
      {
        auth: { v: 1, staff: session!.moderatorToken },
        sessionId,
        role: 'moderator',
        sample: true,
        url: b.url,
      },
      ...tokens.map((device, i): ClientSpec => ({
        auth: { v: 1, device },
        sessionId,
        role: 'attendee',
        sample: true,
        active: i < size.activeAttendees,
        url: i % 2 ? b.url : a.url,
      })),
    ];
    const offsets = clients.map((_, j) => (j * 1000) / size.connectPerSec);
    const connected = joinStats(
      await ctx.harness.connect(
        a.url,
        clients,
        offsets,
        nowNs() + 100_000_000n,
        20_000,
        ctx.reconnect,
      ),
    );
    await sleep(ctx.pauseMs);
    const loopDelay = await startLoopDelay(nodes);
    const window = openWindow(nodes, pinnedCores);
    await ctx.harness.load(nowNs() + 200_000_000n, s2Actions(size), false);
    await sleep(size.durationMs + 200);
    const { summaries, results } = await settle(ctx);
    const serverLoopP99Ms = await loopDelay();
    const load = mergeLoad(summaries, results);
    const w = window(
      results.map((r) => r.cpu),
      load.sendLagP99,
    );
    const notes: string[] = [];
    if (connected.failed > 0) notes.push(`${connected.failed} clients failed to join`);
    if (load.failedTotal > 0) notes.push(`failed commands: ${JSON.stringify(load.failed)}`);
    if (load.countsMismatches > 0 && load.countsExample)
      notes.push(`counts differ: ${load.countsExample}`);
    return record(
      'app',
      pair,
      w,
      { loopP99Ms: load.loopP99, sendLagP99Ms: load.sendLagP99 },
      { ...s2Metrics(clients.length, connected.failed, load, w), serverLoopP99Ms },
      notes,
    );
  } finally {
    await ctx.harness.close().catch(() => undefined);
    for (const node of nodes) await node.kill('SIGKILL');
    await deleteRedisKeys(redisUrl, prefix).catch((error: unknown) =>
      ctx.log(`could not delete the Redis keys ${prefix}*: ${String(error)}`),
    );
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
