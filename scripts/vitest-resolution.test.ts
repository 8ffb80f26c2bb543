// Tests must run against the workspace packages' TypeScript source, never a stale dist/. The
// packages export their source under the `development` condition, which vitest.shared.ts turns
// on. If that setting is lost, `@gt/core` resolves to packages/core/dist/index.js, a different
// module from the source file, and these identities no longer hold.
import { describe, expect, it } from 'vitest';

describe('workspace packages in tests', () => {
  it('resolves @gt/core to packages/core/src/index.ts', async () => {
    const byName = await import('@gt/core');
    const bySource = await import('../packages/core/src/index.ts');
    expect(byName).toBe(bySource);
  });

  it('resolves @gt/protocol to packages/protocol/src/index.ts', async () => {
    const byName = await import('@gt/protocol');
    const bySource = await import('../packages/protocol/src/index.ts');
    expect(byName).toBe(bySource);
  });
});
