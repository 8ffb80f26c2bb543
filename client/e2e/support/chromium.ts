/**
 * The system Chromium (Debian's package; never a downloaded browser build): CHROMIUM_PATH, else
 * /usr/bin/chromium. scripts/test.mjs installs it with apt-get when it can. Without one, the
 * browser journeys are skipped locally and fail under CI=true: no silent skips in CI.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const isCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium && !isCi)
  console.warn(
    `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );

/** `describe` when a browser can run (or CI must fail without one), else `describe.skip`. */
export const describeInBrowser = hasChromium || isCi ? describe : describe.skip;

// --headless and friends: no GPU, no QUIC, no background traffic to Google's services (the
// machine has no network but the registries), no first-run UI. No --user-data-dir:
// playwright-core already gives every launch a fresh temporary profile.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One browser per test file; a new context (cookies, storage) per simulated person. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
