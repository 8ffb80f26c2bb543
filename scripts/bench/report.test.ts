import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aggregate, judge, validate } from './report.js';
import type { RunRecord } from './scenarios.js';
import { percentile, spread, summarise } from './stats.js';

const schema = JSON.parse(readFileSync(new URL('./bench.schema.json', import.meta.url), 'utf8'));

function run(kind: 'app' | 'baseline', metrics: Record<string, number | null>, valid = true) {
  return {
    kind,
    pair: 1,
    valid,
    invalidReason: valid ? null : 'harness overloaded',
    harnessCpuMaxPct: 40,
    harnessCpuTotalPct: 60,
    harnessLoopP99Ms: 12,
    harnessSendLagP99Ms: 3,
    otherCpuPct: 5,
    stealPct: 0,
    metrics,
    notes: [],
  } satisfies RunRecord;
}

describe('bench statistics', () => {
  it('takes nearest-rank percentiles, so p99 of 100 samples is the 99th smallest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(summarise(values)).toEqual({ p50: 50, p99: 99, max: 100, count: 100 });
    expect(percentile([], 99)).toBeNull();
  });

  it('reports the median and range of runs, ignoring runs without a value', () => {
    expect(spread([5, 1, 3, null, 4])).toEqual({ median: 3.5, min: 1, max: 5, n: 4 });
    expect(spread([null])).toBeNull();
  });
});

describe('bench targets', () => {
  it('judges a ratio target on the medians of app and baseline', () => {
    const runs = [
      run('app', { latencyP99Ms: 30 }),
      run('app', { latencyP99Ms: 100 }),
      run('app', { latencyP99Ms: 32 }),
      run('baseline', { latencyP99Ms: 25 }),
      run('baseline', { latencyP99Ms: 26 }),
      run('baseline', { latencyP99Ms: 24 }),
    ];
    const metrics = aggregate([{ key: 'latencyP99Ms', label: 'p99', unit: 'ms' }], runs);
    const p99 = judge('S2', metrics, runs, false).find((t) => t.text.includes('p99'))!;
    // 32 / 25 = 1.28: met, although one app run was far slower.
    expect(p99.status).toBe('met');
  });

  it('judges correctness targets on every app run, not on the median', () => {
    const runs = [
      run('app', { failedJoins: 0 }),
      run('app', { failedJoins: 3 }),
      run('app', { failedJoins: 0 }),
    ];
    const [zeroFailed] = judge('S1', aggregate([], runs), runs, false);
    expect(zeroFailed!.status).toBe('missed');
  });

  it('does not judge a scenario with an invalid run', () => {
    const runs = [run('app', { latencyP99Ms: 30 }, false), run('baseline', { latencyP99Ms: 30 })];
    const metrics = aggregate([{ key: 'latencyP99Ms', label: 'p99', unit: 'ms' }], runs);
    expect(judge('F', metrics, runs, false)[0]!.status).toBe('invalid');
  });
});

describe('bench.schema.json and its checker', () => {
  it('accepts a result of the documented shape and names what is wrong with another', () => {
    const result = {
      schema: 'gentofte-talks-bench/1',
      date: '2026-11-30T05:00:00.000Z',
      durationSeconds: 250,
      mode: 'default',
      pairs: 5,
      machine: {
        nproc: 2,
        cpuModel: 'Intel(R) Xeon(R) Processor',
        memoryGiB: 23.5,
        node: 'v20.20.2',
        os: 'Linux',
        loadAverageAtStart: [0.5, 0.4, 0.3],
        clockTicks: 100,
        taskset: true,
        fileLimit: { soft: 20000, hard: 20000 },
        fsyncPerSecond: 1400,
        fsyncFilesystem: 'ext4',
        fsyncDir: '/tmp',
      },
      harness: {
        workers: 2,
        pinned: true,
        serverCpus: '0',
        harnessCpus: '1',
        cpuLimitPct: 85,
        fileLimitForChildren: null,
      },
      bundle: null,
      scenarios: [
        {
          id: 'S2',
          title: 'one session',
          status: 'run',
          note: '',
          sizes: { attendees: 1000 },
          metrics: aggregate(
            [{ key: 'latencyP99Ms', label: 'p99', unit: 'ms' }],
            [run('app', { latencyP99Ms: 30 })],
          ),
          targets: [{ text: '100% delivered', status: 'met', detail: '' }],
          runs: [run('app', { latencyP99Ms: 30 })],
          invalidRuns: 0,
        },
      ],
      profiles: [],
      notes: [],
    };
    expect(validate(schema, JSON.parse(JSON.stringify(result)))).toEqual([]);
    const broken = { ...result, mode: 'fast', scenarios: [{ ...result.scenarios[0], id: 'S9' }] };
    expect(validate(schema, broken)).toEqual([
      '$.mode: must be one of ["full","default","smoke"]',
      '$.scenarios[0].id: must be one of ["S1","S2","S3","S4","F"]',
    ]);
  });
});
