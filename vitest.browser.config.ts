// Browser tier: journeys in client/e2e that drive the system Chromium through playwright-core.
// Vitest itself runs in node; the tests launch the browser (see TOOLCHAIN.md: never
// `playwright install`, use /usr/bin/chromium or CHROMIUM_PATH).
import { defineConfig } from 'vitest/config';
import { alwaysExcluded, sharedConfig } from './vitest.shared.js';

export default defineConfig({
  ...sharedConfig,
  test: {
    include: ['client/e2e/**/*.e2e.ts'],
    // Builds the app (turbo: a no-op when up to date) and starts the real server once.
    globalSetup: ['client/e2e/support/global-setup.ts'],
    exclude: alwaysExcluded,
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser and one server at a time: Chromium alone can take both cores.
    fileParallelism: false,
    passWithNoTests: true,
  },
});
