/**
 * `npm run bench -- --smoke` as one check of the reliability tier, so the benchmark never rots:
 * tiny sizes, one app/baseline pair, no thresholds. It passes when the harness gets through
 * every scenario against both servers and bench.json matches its schema.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('npm run bench -- --smoke gets through every scenario against the app and the baseline', async () => {
  let output = '';
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/run.ts', '--smoke'], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  expect(code, output.slice(-4000)).toBe(0);
  const result = JSON.parse(readFileSync(`${root}/bench-results/smoke/bench.json`, 'utf8')) as {
    mode: string;
    scenarios: Array<{ id: string; status: string }>;
  };
  expect(result.mode).toBe('smoke');
  const ran = result.scenarios.filter((s) => s.status === 'run').map((s) => s.id);
  expect(ran).toEqual(expect.arrayContaining(['S1', 'S2', 'S3', 'F']));
  // S4 needs Redis: test.mjs provides one, and CI does not skip.
  if (process.env.CI === 'true') expect(ran).toContain('S4');
});
