// Reliability tier: restarts, dropped connections, several server instances behind Redis.
// Files run one at a time because they start and stop processes and share ports and Redis.
import { defineConfig } from 'vitest/config';
import { alwaysExcluded, sharedConfig } from './vitest.shared.js';

export default defineConfig({
  ...sharedConfig,
  test: {
    include: ['**/*.rel.test.ts'],
    exclude: alwaysExcluded,
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    passWithNoTests: true,
  },
});
