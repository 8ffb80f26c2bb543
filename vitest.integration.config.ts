// Integration tier: the real server on port 0, real socket.io-client, real SQLite and Redis
// (TEST_REDIS_URL is provided by scripts/test.mjs).
import { defineConfig } from 'vitest/config';
import { alwaysExcluded, sharedConfig } from './vitest.shared.js';

export default defineConfig({
  ...sharedConfig,
  test: {
    include: [
      'server/src/**/*.int.test.ts',
      'scripts/**/*.int.test.ts',
      'client/src/**/*.int.test.ts',
    ],
    exclude: alwaysExcluded,
    environment: 'node',
    // Generous: tests wait for a condition rather than assert elapsed time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The machine has 2 cores; more parallel servers only make every test slower and flakier.
    maxWorkers: 2,
    passWithNoTests: true,
  },
});
