/**
 * From runs to results: medians and ranges per metric, app/baseline ratios, target verdicts,
 * and the three outputs (a table on stdout, bench.json checked against bench.schema.json, and
 * bench.md for docs/PERFORMANCE.md).
 */
import type { BundleSize, MachineInfo } from './machine.js';
import type { RunRecord } from './scenarios.js';
import { fmt, spread } from './stats.js';
import type { Spread } from './stats.js';

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'F';

export interface MetricSpec {
  key: string;
  label: string;
  unit: string;
}

export interface MetricResult extends MetricSpec {
  app: Spread | null;
  baseline: Spread | null;
  /** median(app) / median(baseline); null when either is missing or the baseline is 0. */
  ratio: number | null;
}

export type TargetStatus = 'met' | 'missed' | 'invalid' | 'not judged' | 'not run';

export interface TargetResult {
  text: string;
  status: TargetStatus;
  detail: string;
}

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  status: 'run' | 'not run';
  note: string;
  sizes: Record<string, number>;
  metrics: MetricResult[];
  targets: TargetResult[];
  runs: RunRecord[];
  invalidRuns: number;
}

export interface BenchResult {
  schema: 'gentofte-talks-bench/1';
  date: string;
  durationSeconds: number;
  mode: 'full' | 'default' | 'smoke';
  pairs: number;
  machine: MachineInfo & { fsyncPerSecond: number; fsyncFilesystem: string; fsyncDir: string };
  harness: {
    workers: number;
    pinned: boolean;
    serverCpus: string;
    harnessCpus: string;
    cpuLimitPct: number;
    fileLimitForChildren: number | null;
  };
  bundle: BundleSize | null;
  scenarios: ScenarioResult[];
  profiles: Array<{
    phase: 'S2' | 'S3';
    file: string;
    busyPct: number;
    top: Array<{ function: string; location: string; selfPct: number }>;
    areas: Array<{ area: string; selfPct: number }>;
  }>;
  notes: string[];
}

/** How the measurement itself went: shown under every scenario. */
const HARNESS_METRICS: MetricSpec[] = [
  { key: 'harnessCpuTotalPct', label: 'harness CPU (all its processes, % of a core)', unit: '%' },
  { key: 'harnessSendLagP99Ms', label: 'harness send lag p99 (behind schedule)', unit: 'ms' },
  { key: 'harnessLoopP99Ms', label: 'harness event-loop delay p99', unit: 'ms' },
  { key: 'otherCpuPct', label: 'CPU of other processes meanwhile (% of a core)', unit: '%' },
];

export const METRICS: Record<ScenarioId, MetricSpec[]> = {
  S1: [
    { key: 'connections', label: 'connections joined', unit: '' },
    { key: 'failedJoins', label: 'failed joins', unit: '' },
    { key: 'joinsPerSec', label: 'joins per second', unit: '/s' },
    { key: 'joinP50Ms', label: 'join p50 (intended connect → join ack)', unit: 'ms' },
    { key: 'joinP99Ms', label: 'join p99', unit: 'ms' },
    { key: 'memoryPerConnectionKiB', label: 'memory per connection (RSS after GC)', unit: 'KiB' },
    { key: 'serverCpuMsPer1000Joins', label: 'server CPU per 1,000 joins', unit: 'ms' },
    {
      key: 'joinCapacityPerSec',
      label: 'joins/s one core could take (estimate from CPU per join)',
      unit: '/s',
    },
    { key: 'serverCpuPct', label: 'server CPU during the ramp', unit: '%' },
  ],
  S2: [
    { key: 'screens', label: 'screens', unit: '' },
    { key: 'deliveredPct', label: 'posts delivered to every screen', unit: '%' },
    { key: 'latencyP50Ms', label: 'post → screen p50', unit: 'ms' },
    { key: 'latencyP99Ms', label: 'post → screen p99', unit: 'ms' },
    { key: 'everyScreenP99Ms', label: 'post → last screen p99', unit: 'ms' },
    { key: 'postAckP99Ms', label: 'post acknowledgement p99', unit: 'ms' },
    { key: 'serverCpuMsPer1000Deliveries', label: 'server CPU per 1,000 deliveries', unit: 'ms' },
    { key: 'serverCpuPct', label: 'server CPU', unit: '%' },
    { key: 'serverLoopP99Ms', label: 'server event-loop delay p99', unit: 'ms' },
    { key: 'countsExact', label: 'final counts exact (1 = yes)', unit: '' },
    { key: 'failedCommands', label: 'failed commands', unit: '' },
  ],
  S3: [
    { key: 'clients', label: 'clients', unit: '' },
    { key: 'recoveredPct', label: 'clients joined again', unit: '%' },
    { key: 'restartMs', label: 'kill → healthy again', unit: 'ms' },
    { key: 'recoveryP50Ms', label: 'kill → client holds latest seq, p50', unit: 'ms' },
    { key: 'recoveryAllMs', label: 'kill → every client holds latest seq', unit: 'ms' },
    { key: 'lostAckedPosts', label: 'acknowledged posts lost', unit: '' },
  ],
  S4: [
    { key: 'screens', label: 'screens (split over the nodes)', unit: '' },
    { key: 'deliveredPct', label: 'posts delivered to every screen, across nodes', unit: '%' },
    { key: 'latencyP50Ms', label: 'post → screen p50', unit: 'ms' },
    { key: 'latencyP99Ms', label: 'post → screen p99', unit: 'ms' },
    { key: 'everyScreenP99Ms', label: 'post → last screen p99', unit: 'ms' },
    { key: 'postAckP99Ms', label: 'post acknowledgement p99', unit: 'ms' },
    {
      key: 'serverCpuMsPer1000Deliveries',
      label: 'server CPU per 1,000 deliveries (all nodes)',
      unit: 'ms',
    },
    { key: 'serverLoopP99Ms', label: 'server event-loop delay p99 (worse node)', unit: 'ms' },
    { key: 'countsExact', label: 'final counts exact (1 = yes)', unit: '' },
    { key: 'failedCommands', label: 'failed commands', unit: '' },
  ],
  F: [
    { key: 'screens', label: 'screens', unit: '' },
    { key: 'sampledScreens', label: 'screens measuring latency', unit: '' },
    { key: 'deliveredPct', label: 'posts delivered to every screen', unit: '%' },
    { key: 'lostDeliveries', label: 'lost deliveries', unit: '' },
    { key: 'latencyP50Ms', label: 'post → approved → screen p50', unit: 'ms' },
    { key: 'latencyP99Ms', label: 'post → approved → screen p99', unit: 'ms' },
    { key: 'postAckP99Ms', label: 'post acknowledgement p99', unit: 'ms' },
    { key: 'serverCpuMsPer1000Deliveries', label: 'server CPU per 1,000 deliveries', unit: 'ms' },
    { key: 'serverCpuPct', label: 'server CPU', unit: '%' },
    { key: 'serverLoopP99Ms', label: 'server event-loop delay p99', unit: 'ms' },
    { key: 'countsExact', label: 'final counts exact (1 = yes)', unit: '' },
    { key: 'failedCommands', label: 'failed commands', unit: '' },
  ],
};

function metricValue(run: RunRecord, key: string): number | null {
  if (key === 'harnessCpuTotalPct') return run.harnessCpuTotalPct;
  if (key === 'harnessLoopP99Ms') return run.harnessLoopP99Ms;
  if (key === 'harnessSendLagP99Ms') return run.harnessSendLagP99Ms;
  if (key === 'otherCpuPct') return run.otherCpuPct;
  if (key === 'stealPct') return run.stealPct;
  return run.metrics[key] ?? null;
}

export function aggregate(specs: MetricSpec[], runs: RunRecord[]): MetricResult[] {
  return [...specs, ...HARNESS_METRICS].map((spec) => {
    const of = (kind: 'app' | 'baseline') =>
      spread(runs.filter((r) => r.kind === kind).map((r) => metricValue(r, spec.key)));
    const app = of('app');
    const baseline = of('baseline');
    const ratio = app && baseline && baseline.median !== 0 ? app.median / baseline.median : null;
    return { ...spec, app, baseline, ratio };
  });
}

// ── targets ──────────────────────────────────────────────────────────────────────────────────

interface TargetSpec {
  text: string;
  /** Performance targets are judged on the median; correctness targets on every app run. */
  judge: (
    m: (key: string) => MetricResult | undefined,
    appRuns: RunRecord[],
  ) => { ok: boolean; detail: string };
}

const every = (
  runs: RunRecord[],
  key: string,
  ok: (v: number | null) => boolean,
  label: string,
) => {
  const bad = runs.filter((r) => !ok(r.metrics[key] ?? null));
  return {
    ok: bad.length === 0 && runs.length > 0,
    detail: bad.length
      ? `${bad.length} of ${runs.length} app runs: ${bad.map((r) => fmt(r.metrics[key])).join(', ')} ${label}`
      : `all ${runs.length} app runs`,
  };
};
const medianAtMost = (m: MetricResult | undefined, limit: number, unit: string) => ({
  ok: !!m?.app && m.app.median <= limit,
  detail: `median ${fmt(m?.app?.median)} ${unit}`.trim(),
});
const medianAtLeast = (m: MetricResult | undefined, limit: number, unit: string) => ({
  ok: !!m?.app && m.app.median >= limit,
  detail: `median ${fmt(m?.app?.median)} ${unit}`.trim(),
});
const ratioAtMost = (m: MetricResult | undefined, limit: number) => ({
  ok: m?.ratio !== null && m?.ratio !== undefined && m.ratio <= limit,
  detail: `${fmt(m?.app?.median)} vs ${fmt(m?.baseline?.median)} ${m?.unit ?? ''}: ${fmt(m?.ratio)}×`,
});

export const TARGETS: Record<ScenarioId, TargetSpec[]> = {
  S1: [
    { text: '0 failed', judge: (_, runs) => every(runs, 'failedJoins', (v) => v === 0, 'failed') },
    { text: '≥ 500 joins/s', judge: (m) => medianAtLeast(m('joinsPerSec'), 500, 'joins/s') },
    {
      text: 'memory per connection ≤ 1.2× baseline',
      judge: (m) => ratioAtMost(m('memoryPerConnectionKiB'), 1.2),
    },
  ],
  S2: [
    {
      text: '100% delivered',
      judge: (_, runs) => every(runs, 'deliveredPct', (v) => v === 100, '%'),
    },
    {
      text: 'post → every screen p99 ≤ 1.3× baseline',
      judge: (m) => ratioAtMost(m('latencyP99Ms'), 1.3),
    },
    {
      text: 'server CPU per 1,000 deliveries ≤ 1.3× baseline',
      judge: (m) => ratioAtMost(m('serverCpuMsPer1000Deliveries'), 1.3),
    },
    {
      text: 'final counts exact',
      judge: (_, runs) => every(runs, 'countsExact', (v) => v === 1, ''),
    },
  ],
  S3: [
    {
      text: "every client holds the latest sequence number again ≤ 1.2× baseline's time",
      judge: (m) => ratioAtMost(m('recoveryAllMs'), 1.2),
    },
    {
      text: '0 acknowledged posts lost',
      judge: (_, runs) => every(runs, 'lostAckedPosts', (v) => v === 0, 'lost'),
    },
  ],
  // In S4 the "baseline" column is the single app node of the same bench run (S2's app runs).
  S4: [
    {
      text: '100% cross-node delivery',
      judge: (_, runs) => every(runs, 'deliveredPct', (v) => v === 100, '%'),
    },
    {
      text: 'p99 ≤ 2× the single node in the same run',
      judge: (m) => ratioAtMost(m('latencyP99Ms'), 2),
    },
  ],
  F: [
    { text: 'p99 ≤ 250 ms', judge: (m) => medianAtMost(m('latencyP99Ms'), 250, 'ms') },
    { text: '0 lost', judge: (_, runs) => every(runs, 'lostDeliveries', (v) => v === 0, 'lost') },
  ],
};

export function judge(
  id: ScenarioId,
  metrics: MetricResult[],
  runs: RunRecord[],
  isSmoke: boolean,
): TargetResult[] {
  const invalid = runs.filter((r) => !r.valid).length;
  const m = (key: string) => metrics.find((x) => x.key === key);
  const appRuns = runs.filter((r) => r.kind === 'app');
  return TARGETS[id].map((t) => {
    const { ok, detail } = t.judge(m, appRuns);
    if (isSmoke) return { text: t.text, status: 'not judged', detail: `smoke run: ${detail}` };
    if (invalid > 0)
      return {
        text: t.text,
        status: 'invalid',
        detail: `${invalid} run(s) INVALID (harness overloaded); would be ${ok ? 'met' : 'missed'}: ${detail}`,
      };
    return { text: t.text, status: ok ? 'met' : 'missed', detail };
  });
}

// ── output ───────────────────────────────────────────────────────────────────────────────────

const cell = (s: Spread | null, unit: string) =>
  s
    ? `${fmt(s.median)}${unit && unit !== '%' ? ' ' : ''}${unit} (${fmt(s.min)}–${fmt(s.max)})`
    : '–';

export function markdown(result: BenchResult): string {
  const lines: string[] = [];
  const m = result.machine;
  lines.push(
    `Run ${result.date.slice(0, 16).replace('T', ' ')} UTC, mode ${result.mode}, ${result.pairs} interleaved app/baseline pair(s) per scenario, ${Math.round(result.durationSeconds)} s in all.`,
    `Machine: ${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; fsync: ${m.fsyncPerSecond.toLocaleString('en-US')}/s (4 KiB write + fsync, ${m.fsyncFilesystem}); load average at start ${m.loadAverageAtStart.join(' ')}.`,
    `Server on CPU ${result.harness.serverCpus}, harness (${result.harness.workers} worker processes + coordinator) on CPU ${result.harness.harnessCpus}${result.harness.pinned ? ' (taskset)' : ' (not pinned)'}.`,
    '',
    '| scenario | metric | app: median (range) | baseline: median (range) | app / baseline |',
    '|---|---|---|---|---|',
  );
  for (const s of result.scenarios) {
    if (s.status === 'not run') {
      lines.push(`| ${s.id} | ${s.note} | not run | not run | |`);
      continue;
    }
    for (const metric of s.metrics)
      lines.push(
        `| ${s.id} | ${metric.label} | ${cell(metric.app, metric.unit)} | ${cell(metric.baseline, metric.unit)} | ${metric.ratio === null ? '–' : `${fmt(metric.ratio)}×`} |`,
      );
  }
  lines.push('', '| scenario | target | result | detail |', '|---|---|---|---|');
  for (const s of result.scenarios)
    for (const t of s.targets)
      lines.push(
        `| ${s.id} | ${t.text} | ${t.status === 'missed' ? '**missed**' : t.status} | ${t.detail} |`,
      );
  if (result.bundle)
    lines.push(
      '',
      `Attendee page (${result.bundle.scope}): JavaScript ${(result.bundle.jsGzipBytes / 1024).toFixed(1)} KiB gzipped (${result.bundle.jsFiles} files), CSS ${(result.bundle.cssGzipBytes / 1024).toFixed(1)} KiB gzipped (${result.bundle.cssFiles} files).`,
    );
  const sizes = result.scenarios.filter((s) => s.status === 'run').map((s) => `${s.id}: ${s.note}`);
  if (sizes.length) lines.push('', 'Sizes used:', '', ...sizes.map((s) => `- ${s}`));
  return lines.join('\n') + '\n';
}

export function table(result: BenchResult): string {
  const rows: string[][] = [
    ['', 'metric', 'app median (range)', 'baseline median (range)', 'app/base'],
  ];
  for (const s of result.scenarios) {
    if (s.status === 'not run') {
      rows.push([s.id, s.note, 'not run', 'not run', '']);
      continue;
    }
    for (const metric of s.metrics)
      rows.push([
        s.id,
        metric.label,
        cell(metric.app, metric.unit),
        cell(metric.baseline, metric.unit),
        metric.ratio === null ? '–' : `${fmt(metric.ratio)}×`,
      ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const out = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  out.push(
    '',
    'Targets (performance targets on the median of the app runs; correctness targets on every app run):',
  );
  for (const s of result.scenarios)
    for (const t of s.targets)
      out.push(
        `  ${s.id.padEnd(3)} ${t.status === 'missed' ? 'MISSED' : t.status.toUpperCase().padEnd(6)}  ${t.text}  [${t.detail}]`,
      );
  return out.join('\n');
}

// ── a small JSON Schema checker (the subset bench.schema.json uses) ──────────────────────────

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minItems?: number;
  $defs?: Record<string, Schema>;
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems with `value` against `schema` (empty: valid). Supports the keywords listed in Schema. */
export function validate(
  schema: Schema,
  value: unknown,
  root: Schema = schema,
  path = '$',
): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    const target = root.$defs?.[name];
    if (!target) return [`${path}: unknown $ref ${schema.$ref}`];
    return validate(target, value, root, path);
  }
  const problems: string[] = [];
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number')))
      return [`${path}: expected ${types.join(' or ')}, got ${actual}`];
  }
  if (schema.const !== undefined && value !== schema.const)
    problems.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    problems.push(`${path}: must be ≥ ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${path}: needs at least ${schema.minItems} items`);
    if (schema.items)
      value.forEach((v, i) => problems.push(...validate(schema.items!, v, root, `${path}[${i}]`)));
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (!(key in object)) problems.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...validate(property, v, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected ${key}`);
      else if (typeof schema.additionalProperties === 'object')
        problems.push(...validate(schema.additionalProperties, v, root, `${path}.${key}`));
    }
  }
  return problems;
}

export function scenarioResult(
  id: ScenarioId,
  title: string,
  note: string,
  sizes: Record<string, number>,
  runs: RunRecord[],
  isSmoke: boolean,
): ScenarioResult {
  const metrics = aggregate(METRICS[id], runs);
  return {
    id,
    title,
    status: 'run',
    note,
    sizes,
    metrics,
    targets: judge(id, metrics, runs, isSmoke),
    runs,
    invalidRuns: runs.filter((r) => !r.valid).length,
  };
}

export function notRun(id: ScenarioId, title: string, note: string): ScenarioResult {
  return {
    id,
    title,
    status: 'not run',
    note,
    sizes: {},
    metrics: [],
    targets: TARGETS[id].map((t) => ({ text: t.text, status: 'not run', detail: note })),
    runs: [],
    invalidRuns: 0,
  };
}
