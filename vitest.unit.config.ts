// Unit tier: fast, no network, no real Redis or browser. Runs beside the code (`*.test.ts`).
import { defineConfig } from 'vitest/config';
import { alwaysExcluded, sharedConfig } from './vitest.shared.js';

export default defineConfig({
  ...sharedConfig,
  test: {
    include: [
      'packages/**/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'scripts/**/*.test.ts',
      'client/src/**/*.test.ts',
    ],
    // The slower tiers share the `.test.ts` ending, so they are carved out by name here; tests
    // of runes (*.svelte.test.ts) need the Svelte compiler, which this plain-Node tier lacks.
    exclude: [...alwaysExcluded, '**/*.int.test.ts', '**/*.rel.test.ts', '**/*.svelte.test.ts'],
    environment: 'node',
    // An empty tier is reported by scripts/test.mjs as "no tests yet", not as a failure.
    passWithNoTests: true,
  },
});
