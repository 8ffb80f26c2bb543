/**
 * A load-generator process (forked by run.ts, pinned to the harness core). It holds a slice of
 * the clients: socket.io-client connections that speak docs/API.md like any phone, wall or
 * moderator screen. Commands go out open-loop at their intended time, which travels in the
 * post text (`t=<hrtime ns>`), so a slow server cannot slow the senders down and hide its own
 * latency (no coordinated omission). Every receiver parses it on arrival.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type {
  Action,
  ClientSpec,
  ConnectResult,
  CpuSample,
  Expected,
  ReconnectSettings,
  RecoveryResult,
  Reply,
  Request,
  Summary,
  VerifyResult,
} from './messages.js';

const now = () => process.hrtime.bigint();
const msSince = (from: bigint, to = now()) => Number(to - from) / 1e6;
const ACK_TIMEOUT_MS = 15_000;
const TIME_IN_TEXT = /t=(\d+)/;

interface WirePost {
  id: string;
  status: string;
  version: number;
  text: string;
}
interface Ack {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

interface Client {
  spec: ClientSpec;
  socket: Socket;
  intendedNs: bigint;
  joined: boolean;
  failedReason: string | null;
  publicSeq: number;
  /**
   * The last seq seen of every stream the last join answered with (the public one is also
   * `publicSeq`): a rejoin resumes from them, as the app's own client does (SPEC S8).
   */
  seqs: Record<string, number>;
  /** Posts this screen has seen visible (public stream; staff stream for a moderator). */
  visible: Set<string>;
  /** Visible post ids in arrival order: what an attendee may vote on. */
  votable: string[];
  voted: Set<string>;
  lastCounts: unknown;
  /** Recovery (S3): the seq held before the kill and whether it has joined again since. */
  preKillSeq: number;
  rejoined: boolean;
}

const workerTag = randomBytes(3).toString('hex');
let commandCounter = 0;
const commandId = () => `b${workerTag}_${(commandCounter++).toString(36)}`;

let clients: Client[] = [];
let loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

// What the current load phase observed; reset by `load`.
let latencies: number[] = [];
let lastScreen = new Map<string, number>();
let deliveries = { updates: 0, counts: 0 };
let disconnects = 0;
/** ms between an action's intended and actual send time: how well the harness keeps its schedule. */
let sendLags: number[] = [];
let pendingAcks = 0;
let summary: Summary = emptySummary();
let loadStartedNs = now();
let loadCpu = process.cpuUsage();
let autoApprove = false;

// Recovery (S3).
let killNs: bigint | null = null;
let recoveryTimes: number[] = [];
let seqBehind = 0;
let wallPostIds: string[] | null = null;
let onRecovered: (() => void) | null = null;

function emptySummary(): Summary {
  return {
    pendingAcks: 0,
    postsAcked: {},
    votesAcked: {},
    reactionsAcked: {},
    failedCommands: {},
    skippedVotes: 0,
    approvals: { ok: 0, failed: 0 },
    postAckLatencies: [],
  };
}

function cpuSince(start: NodeJS.CpuUsage, startNs: bigint): CpuSample {
  const used = process.cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: msSince(startNs) };
}

function fail(name: string) {
  summary.failedCommands[name] = (summary.failedCommands[name] ?? 0) + 1;
}

/** Emit a command with an acknowledgement and a timeout; `done` gets the result or null. */
function command(
  client: Client,
  name: string,
  payload: Record<string, unknown>,
  done: (ack: Ack | null) => void,
) {
  pendingAcks++;
  client.socket.timeout(ACK_TIMEOUT_MS).emit(name, payload, (err: Error | null, ack: Ack) => {
    pendingAcks--;
    if (err || !ack?.ok) fail(name);
    done(err ? null : ack);
  });
}

// ── screens: what arrives ────────────────────────────────────────────────────────────────────

/** A post became visible on this screen: record the latency once per screen and post. */
function sawVisible(client: Client, post: WirePost) {
  if (client.visible.has(post.id)) return;
  client.visible.add(post.id);
  if (client.spec.role === 'attendee') client.votable.push(post.id);
  if (!client.spec.sample) return;
  const match = TIME_IN_TEXT.exec(post.text);
  if (!match) return;
  const latency = msSince(BigInt(match[1]!));
  latencies.push(latency);
  const previous = lastScreen.get(post.id);
  if (previous === undefined || latency > previous) lastScreen.set(post.id, latency);
}

function attach(client: Client) {
  const { socket, spec } = client;
  const onUpdate = (update: { stream: string; seq: number; type: string; post?: WirePost }) => {
    deliveries.updates++;
    if (update.stream in client.seqs && update.seq > client.seqs[update.stream]!)
      client.seqs[update.stream] = update.seq;
    if (update.stream === 'public') {
      if (update.seq > client.publicSeq) client.publicSeq = update.seq;
      if (update.type === 'post:created' && update.post && spec.role !== 'moderator')
        sawVisible(client, update.post);
    } else if (update.stream === 'staff' && update.post) {
      if (update.post.status === 'visible') sawVisible(client, update.post);
      else if (update.post.status === 'pending' && autoApprove && update.type === 'post:created')
        approve(client, update.post);
    }
  };
  for (const name of ['post:created', 'post:updated', 'post:withdrawn', 'session:updated'])
    socket.on(name, onUpdate);
  socket.on('counts', (counts: unknown) => {
    deliveries.counts++;
    client.lastCounts = counts;
  });
  socket.on('disconnect', () => {
    disconnects++;
  });
  socket.on('connect_error', (error: Error) => {
    if (!client.joined) client.failedReason = error.message;
  });
  socket.on('connect', () => join(client));
}

/** A stream as the join answers it: a snapshot, or (resumed) the entries after a seq. */
interface JoinedStream {
  seq: number;
  posts: WirePost[];
  resumedFrom?: number;
  entries?: { seq: number; update: { type: string; post?: WirePost } }[];
}

function join(client: Client) {
  // A rejoin resumes the streams held, as the app's client does (SPEC S8); the wall always
  // takes a fresh snapshot, so that after S3's restart its snapshot shows that no
  // acknowledged post was lost. The baseline keeps no log and answers with its snapshot.
  const resume = client.spec.role === 'wall' ? {} : client.seqs;
  const payload = {
    sessionId: client.spec.sessionId,
    ...(Object.keys(resume).length > 0 ? { resume: { ...resume } } : {}),
  };
  command(client, 'session:join', payload, (ack) => {
    const at = now();
    if (!ack?.ok) {
      client.failedReason = ack?.error?.code ?? 'join timeout';
      return;
    }
    const streams = ack.data?.streams as Record<string, JoinedStream> | undefined;
    // Live updates may have overtaken the acknowledgement: keep the higher seq.
    client.seqs = Object.fromEntries(
      Object.entries(streams ?? {}).map(([name, stream]) => [
        name,
        Math.max(stream.seq, client.seqs[name] ?? 0),
      ]),
    );
    const seq = streams?.public.seq ?? 0;
    if (!client.joined) {
      client.joined = true;
      connectWaiter?.(client, at);
    }
    if (killNs !== null && !client.rejoined && at > killNs) {
      client.rejoined = true;
      recoveryTimes.push(msSince(killNs, at));
      if (seq < client.preKillSeq) seqBehind++;
      if (client.spec.role === 'wall' && wallPostIds === null)
        wallPostIds = (streams?.public.posts ?? []).map((p) => p.id);
      if (recoveryTimes.length === clients.length) onRecovered?.();
    }
    if (seq > client.publicSeq) client.publicSeq = seq;
    const resumedPosts = (streams?.public?.entries ?? []).flatMap(({ update }) =>
      update.type === 'post:created' && update.post ? [update.post] : [],
    );
    for (const post of [...(streams?.public?.posts ?? []), ...resumedPosts]) {
      client.visible.add(post.id);
      if (client.spec.role === 'attendee' && !client.votable.includes(post.id))
        client.votable.push(post.id);
    }
    client.lastCounts = ack.data?.counts ?? client.lastCounts;
  });
}

// ── connecting ───────────────────────────────────────────────────────────────────────────────

let connectWaiter: ((client: Client, at: bigint) => void) | null = null;

function connectAll(
  url: string,
  specs: ClientSpec[],
  offsets: number[],
  startNs: bigint,
  timeoutMs: number,
  reconnect: ReconnectSettings,
): Promise<ConnectResult> {
  const cpuStart = process.cpuUsage();
  const wallStart = now();
  return new Promise((resolve) => {
    let joined = 0;
    let lastAck = startNs;
    const joinLatencies: number[] = [];
    const finish = () => {
      connectWaiter = null;
      clearTimeout(deadline);
      const errors: Record<string, number> = {};
      for (const c of clients)
        if (!c.joined) {
          const reason = c.failedReason ?? 'no join within the timeout';
          errors[reason] = (errors[reason] ?? 0) + 1;
        }
      resolve({
        ok: joined,
        failed: clients.length - joined,
        errors,
        firstIntendedNs: String(startNs + BigInt(Math.round((offsets[0] ?? 0) * 1e6))),
        lastAckNs: String(lastAck),
        joinLatencies,
        cpu: cpuSince(cpuStart, wallStart),
      });
    };
    const last = offsets.length ? offsets[offsets.length - 1]! : 0;
    const deadline = setTimeout(finish, last + timeoutMs + msSince(now(), startNs));
    connectWaiter = (client, at) => {
      joined++;
      if (at > lastAck) lastAck = at;
      joinLatencies.push(msSince(client.intendedNs, at));
      if (joined === specs.length) finish();
    };
    if (specs.length === 0) return finish();

    let next = 0;
    const tick = () => {
      const elapsed = msSince(startNs);
      while (next < specs.length && offsets[next]! <= elapsed) {
        const spec = specs[next]!;
        const socket = io(spec.url ?? url, {
          auth: spec.auth,
          transports: ['websocket'],
          forceNew: true,
          reconnection: true,
          reconnectionDelay: reconnect.delayMs,
          reconnectionDelayMax: reconnect.delayMaxMs,
          randomizationFactor: reconnect.randomizationFactor,
          timeout: timeoutMs,
          // engine.io-client hands it to ws (and so to net.connect); its types do not list it.
          ...({ localAddress: spec.localAddress } as object),
        });
        const client: Client = {
          spec,
          socket,
          intendedNs: startNs + BigInt(Math.round(offsets[next]! * 1e6)),
          joined: false,
          failedReason: null,
          publicSeq: 0,
          seqs: {},
          visible: new Set(),
          votable: [],
          voted: new Set(),
          lastCounts: null,
          preKillSeq: 0,
          rejoined: false,
        };
        clients.push(client);
        attach(client);
        next++;
      }
      if (next < specs.length) setTimeout(tick, Math.max(0, offsets[next]! - msSince(startNs)));
    };
    setTimeout(tick, Math.max(0, -msSince(startNs)));
  });
}

// ── load ─────────────────────────────────────────────────────────────────────────────────────

function bump(map: Record<string, Record<string, number>>, a: string, b: string) {
  const inner = (map[a] ??= {});
  inner[b] = (inner[b] ?? 0) + 1;
}

function fire(action: Action, t0: bigint) {
  const client = clients[action.client];
  if (!client?.joined) {
    fail(`${action.kind} (client not joined)`);
    return;
  }
  const sessionId = client.spec.sessionId;
  const intendedNs = t0 + BigInt(Math.round(action.at * 1e6));
  if (action.kind === 'post') {
    command(
      client,
      'post:create',
      {
        sessionId,
        commandId: commandId(),
        kind: 'question',
        text: `Benchmark ${intendedNs} t=${intendedNs}`,
      },
      (ack) => {
        if (!ack?.ok) return;
        const post = ack.data?.post as WirePost;
        (summary.postsAcked[sessionId] ??= []).push(post.id);
        summary.postAckLatencies.push(msSince(intendedNs));
      },
    );
  } else if (action.kind === 'vote') {
    let postId: string | undefined;
    for (let i = client.votable.length - 1; i >= 0; i--) {
      const candidate = client.votable[i]!;
      if (!client.voted.has(candidate)) {
        postId = candidate;
        break;
      }
    }
    if (!postId) {
      summary.skippedVotes++;
      return;
    }
    client.voted.add(postId);
    const votedId = postId;
    command(
      client,
      'post:upvote',
      { sessionId, commandId: commandId(), postId: votedId, isOn: true },
      (ack) => {
        if (ack?.ok) bump(summary.votesAcked, sessionId, votedId);
      },
    );
  } else {
    const reaction = action.reaction ?? 'applause';
    command(client, 'reaction:send', { sessionId, commandId: commandId(), reaction }, (ack) => {
      if (ack?.ok) bump(summary.reactionsAcked, sessionId, reaction);
    });
  }
}

function approve(client: Client, post: WirePost) {
  command(
    client,
    'post:approve',
    {
      sessionId: client.spec.sessionId,
      commandId: commandId(),
      postId: post.id,
      version: post.version,
    },
    (ack) => {
      if (ack?.ok) summary.approvals.ok++;
      else summary.approvals.failed++;
    },
  );
}

function runLoad(t0: bigint, actions: Action[]): void {
  let next = 0;
  const tick = () => {
    const elapsed = msSince(t0);
    while (next < actions.length && actions[next]!.at <= elapsed) {
      sendLags.push(elapsed - actions[next]!.at);
      fire(actions[next++]!, t0);
    }
    if (next < actions.length) setTimeout(tick, Math.max(0, actions[next]!.at - msSince(t0)));
  };
  setTimeout(tick, Math.max(0, -msSince(t0)));
}

// ── checks ───────────────────────────────────────────────────────────────────────────────────

/** Counts as a comparable string: zero entries dropped, keys sorted. */
function canonical(votes: Record<string, number> | undefined, reactions: Record<string, number>) {
  const clean = (o: Record<string, number> | undefined) =>
    Object.fromEntries(
      Object.entries(o ?? {})
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  return JSON.stringify({ votes: clean(votes), reactions: clean(reactions) });
}

/** Which entries differ, e.g. `reactions.heart: expected 40, held 36`. */
function countsDifference(
  want: { votes?: Record<string, number>; reactions?: Record<string, number> },
  held: { votes?: Record<string, number>; reactions?: Record<string, number> },
): string {
  const out: string[] = [];
  for (const part of ['votes', 'reactions'] as const) {
    const a = want[part] ?? {};
    const b = held[part] ?? {};
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if ((a[key] ?? 0) !== (b[key] ?? 0))
        out.push(`${part}.${key}: expected ${a[key] ?? 0}, held ${b[key] ?? 0}`);
  }
  return out.length > 6
    ? `${out.slice(0, 6).join('; ')}; … (${out.length} entries)`
    : out.join('; ');
}

function verify(expected: Expected): VerifyResult {
  let missingDeliveries = 0;
  let expectedDeliveries = 0;
  let countsMismatches = 0;
  let countsExample: string | null = null;
  for (const client of clients) {
    const sessionId = client.spec.sessionId;
    const want = expected.posts[sessionId] ?? 0;
    expectedDeliveries += want;
    if (!client.joined) {
      missingDeliveries += want;
      continue;
    }
    missingDeliveries += Math.max(0, want - client.visible.size);
    const wanted = canonical(expected.votes[sessionId], expected.reactions[sessionId] ?? {});
    const held = client.lastCounts as {
      votes?: Record<string, number>;
      reactions?: Record<string, number>;
    } | null;
    const got = held ? canonical(held.votes, held.reactions ?? {}) : 'none';
    if (got !== wanted) {
      countsMismatches++;
      countsExample ??= countsDifference(
        { votes: expected.votes[sessionId], reactions: expected.reactions[sessionId] },
        held ?? {},
      );
    }
  }
  return {
    missingDeliveries,
    expectedDeliveries,
    countsMismatches,
    countsExample,
    latencies,
    lastScreen: Object.fromEntries(lastScreen),
    deliveries,
    cpu: cpuSince(loadCpu, loadStartedNs),
    loop: { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 },
    sendLags,
    disconnects,
  };
}

// ── devices ──────────────────────────────────────────────────────────────────────────────────

/** Device tokens from `device:register`, pipelined over a few connections. */
async function registerDevices(url: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  const lanes = 4;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      const socket = io(url, { auth: { v: 1 }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const mine = Math.floor(count / lanes) + (lane < count % lanes ? 1 : 0);
      for (let done = 0; done < mine;) {
        const batch = Math.min(200, mine - done);
        const acks = await Promise.all(
          Array.from(
            { length: batch },
            () => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('device:register', {}) as Promise<Ack>,
          ),
        );
        for (const ack of acks) {
          if (!ack.ok) throw new Error(`device:register failed: ${ack.error?.message}`);
          tokens.push(ack.data!.deviceToken as string);
        }
        done += batch;
      }
      socket.close();
    }),
  );
  return tokens;
}

// ── requests ─────────────────────────────────────────────────────────────────────────────────

async function handle(request: Request): Promise<unknown> {
  switch (request.type) {
    case 'connect':
      clients = [];
      killNs = null;
      return connectAll(
        request.url,
        request.clients,
        request.offsets,
        BigInt(request.startNs),
        request.timeoutMs,
        request.reconnect,
      );
    case 'load':
      latencies = [];
      lastScreen = new Map();
      deliveries = { updates: 0, counts: 0 };
      disconnects = 0;
      sendLags = [];
      summary = emptySummary();
      autoApprove = request.autoApprove;
      loadStartedNs = now();
      loadCpu = process.cpuUsage();
      loop.disable();
      loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      runLoad(BigInt(request.t0Ns), request.actions);
      return null;
    case 'summary':
      return { ...summary, pendingAcks } satisfies Summary;
    case 'verify':
      return verify(request.expected);
    case 'arm-recovery':
      killNs = BigInt(request.killNs);
      recoveryTimes = [];
      seqBehind = 0;
      wallPostIds = null;
      for (const client of clients) {
        client.preKillSeq = client.publicSeq;
        client.rejoined = false;
      }
      return null;
    case 'recovery': {
      if (recoveryTimes.length < clients.length)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 60_000);
          onRecovered = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      onRecovered = null;
      return {
        recovered: recoveryTimes.length,
        total: clients.length,
        times: recoveryTimes,
        seqBehind,
        wallPostIds: wallPostIds ?? [],
      } satisfies RecoveryResult;
    }
    case 'register-devices':
      return registerDevices(request.url, request.count);
    case 'close':
      for (const client of clients) {
        client.socket.removeAllListeners();
        client.socket.disconnect();
      }
      clients = [];
      return null;
    case 'exit':
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (message: { id: number; request: Request }) => {
  handle(message.request).then(
    (data) => process.send!({ id: message.id, ok: true, data } satisfies Reply),
    (error: unknown) =>
      process.send!({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies Reply),
  );
});
process.on('disconnect', () => process.exit(0));
