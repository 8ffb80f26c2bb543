// Settings every test tier shares. Each tier's config (vitest.<tier>.config.ts) adds only what
// differs: which files, how long a test may take, how many files run at once.
import { defaultClientConditions, defaultServerConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

// The workspace packages export their TypeScript source under the `development` condition
// (and dist/ otherwise). Tests must run against the source, so that they never depend on a
// stale or missing build. Vitest runs node tests in Vite's SSR environment, which reads
// `ssr.resolve.conditions`, not `resolve.conditions`; set both, explicitly, rather than rely on
// Vite mapping `development|production` from NODE_ENV. scripts/vitest-resolution.test.ts checks it.
const conditions = ['development'];

export const sharedConfig = {
  resolve: { conditions: [...conditions, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [...conditions, ...defaultServerConditions] } },
} satisfies ViteUserConfig;

export const alwaysExcluded = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/.svelte-kit/**',
];
