/**
 * What the coordinator (run.ts) and the load-generator processes (worker.ts) say to each
 * other over the fork IPC channel. Times cross the process boundary as `process.hrtime`
 * nanoseconds in decimal strings: CLOCK_MONOTONIC, the same clock in every process here.
 */

export type Role = 'attendee' | 'wall' | 'moderator';

export interface ClientSpec {
  /** The handshake, exactly as docs/API.md describes it. */
  auth: { v: 1; device?: string; staff?: string };
  sessionId: string;
  role: Role;
  /** The server this client talks to, when not the one of the `connect` request (S4: two nodes). */
  url?: string;
  /** The loopback address it connects from (its "phone's" IP address). */
  localAddress?: string;
  /** Record latency at this client (every client in small scenarios, a fixed sample in large ones). */
  sample: boolean;
  /** Sends commands (posts, votes, reactions, approvals): lives in the harness's sender process. */
  active?: boolean;
}

export interface ReconnectSettings {
  delayMs: number;
  delayMaxMs: number;
  randomizationFactor: number;
}

/** One scheduled command. `at` is milliseconds after the load's t0 (the intended send time). */
export interface Action {
  at: number;
  /** Index into this worker's client list. */
  client: number;
  kind: 'post' | 'vote' | 'react';
  reaction?: string;
}

export type Request =
  | {
      type: 'connect';
      url: string;
      clients: ClientSpec[];
      /** Intended connect time of each client, ms after `startNs` (open-loop ramp). */
      offsets: number[];
      startNs: string;
      timeoutMs: number;
      reconnect: ReconnectSettings;
    }
  | { type: 'load'; t0Ns: string; actions: Action[]; autoApprove: boolean }
  | { type: 'summary' }
  | { type: 'verify'; expected: Expected }
  | { type: 'arm-recovery'; killNs: string }
  | { type: 'recovery' }
  | { type: 'register-devices'; url: string; count: number }
  | { type: 'close' }
  | { type: 'exit' };

export interface ConnectResult {
  ok: number;
  failed: number;
  errors: Record<string, number>;
  /** hrtime ns of the first intended connect and of the last successful join ack. */
  firstIntendedNs: string;
  lastAckNs: string;
  /** ms from intended connect time to join acknowledgement, per joined client. */
  joinLatencies: number[];
  cpu: CpuSample;
}

export interface CpuSample {
  /** CPU time of this process over the window, in ms (user + system). */
  cpuMs: number;
  wallMs: number;
}

/** What the senders saw acknowledged; the coordinator merges these into the expectation. */
export interface Summary {
  pendingAcks: number;
  /** sessionId → acknowledged post ids. */
  postsAcked: Record<string, string[]>;
  /** sessionId → postId → acknowledged upvotes (isOn: true, one per device and post). */
  votesAcked: Record<string, Record<string, number>>;
  /** sessionId → reaction → acknowledged reactions. */
  reactionsAcked: Record<string, Record<string, number>>;
  failedCommands: Record<string, number>;
  skippedVotes: number;
  approvals: { ok: number; failed: number };
  /** ms from intended send time to acknowledgement, posts only. */
  postAckLatencies: number[];
}

export interface Expected {
  /** sessionId → the number of public posts every joined client must hold. */
  posts: Record<string, number>;
  votes: Record<string, Record<string, number>>;
  reactions: Record<string, Record<string, number>>;
}

export interface VerifyResult {
  /** Expected public posts not (yet) received, summed over clients. */
  missingDeliveries: number;
  expectedDeliveries: number;
  /** Clients whose last `counts` differs from the expectation. */
  countsMismatches: number;
  countsExample: string | null;
  /** ms from intended send time to receipt at a sampled screen. */
  latencies: number[];
  /** postId → ms until the last sampled screen of this worker had it (merged by max). */
  lastScreen: Record<string, number>;
  /** Updates and `counts` messages received since the load began (every client). */
  deliveries: { updates: number; counts: number };
  cpu: CpuSample;
  loop: { p99Ms: number; maxMs: number };
  /** ms between each action's intended and actual send time. */
  sendLags: number[];
  disconnects: number;
}

export interface RecoveryResult {
  /** Clients that joined again after the kill. */
  recovered: number;
  total: number;
  /** ms from the kill to each client's new join acknowledgement. */
  times: number[];
  /** Clients whose public seq after rejoining is behind what they held before the kill. */
  seqBehind: number;
  /** Post ids in a wall's snapshot after rejoining (for the lost-post check). */
  wallPostIds: string[];
}

export type Reply =
  { id: number; ok: true; data: unknown } | { id: number; ok: false; error: string };
