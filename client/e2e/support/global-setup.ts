/**
 * Before any browser journey: build what the server serves (turbo: a no-op when nothing
 * changed) and start one real server for the journeys that do not stop it themselves. Its
 * address reaches the tests through `inject('baseUrl')`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT, startServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const startedAt = performance.now();
  const build = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'turbo'),
    [
      'run',
      'build',
      '--filter=@gt/server',
      '--filter=@gt/client',
      '--output-logs=errors-only',
      '--ui=stream',
    ],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
    },
  );
  if (build.status !== 0)
    throw new Error(
      `the build failed, so no browser test can run:\n${build.stdout}${build.stderr}`,
    );
  const server = await startServer();
  console.log(
    `browser tests: built and started ${server.url} in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  );
  project.provide('baseUrl', server.url);
  return async () => {
    await server.dispose();
  };
}
