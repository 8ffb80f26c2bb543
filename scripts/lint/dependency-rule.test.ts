// Proves that eslint.config.js enforces the dependency arrows of STYLE.md. Each case lints a
// snippet as if it lived at `filePath` (the file need not exist), so the test exercises the
// real config, globs included: delete a rule or mistype a folder glob and a case here fails.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  // A fatal parse error would also produce "no restricted import" and make the control cases
  // pass for the wrong reason.
  expect(result?.messages.filter((m) => m.fatal)).toEqual([]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
}

// The first lint loads ESLint's config and TypeScript's parser: seconds on a busy machine,
// beyond the unit tier's 5 s default.
describe('dependency rule', { timeout: 30_000 }, () => {
  it.each([
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n"],
    ['fs without the node: prefix', "import fs from 'fs';\nexport const read = fs.readFileSync;\n"],
    ['@gt/server', "export { createApp } from '@gt/server';\n"],
    ['@gt/protocol', "export type { Command } from '@gt/protocol';\n"],
    ['a relative path into another package', "export * from '../../protocol/src/index.js';\n"],
  ])('rejects %s in packages/core and says the core is pure', async (_label, code) => {
    const errors = await restrictedImports('packages/core/src/fixture.ts', code);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.severity).toBe(2);
    expect(errors[0]?.message).toContain('packages/core is the pure domain');
    expect(errors[0]?.message).toContain('unit-tested without mocks');
  });

  it('rejects a store implementation importing realtime code and explains the layering', async () => {
    const errors = await restrictedImports(
      'server/src/store/sqlite/fixture.ts',
      "import { broadcast } from '../../realtime/x.js';\nexport const b = broadcast;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(
      'Store implementations depend only on the Store interface',
    );
  });

  it('rejects a service importing transport code', async () => {
    const errors = await restrictedImports(
      'server/src/services/fixture.service.ts',
      "import { io } from '../realtime/io.js';\nexport const x = io;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('transport depends on services, not the reverse');
  });

  it.each([
    ['../store/sqlite/sqlite-store.js'],
    ['../store/redis/index.js'],
    ['../store/memory-store.js'],
  ])('rejects a service importing the store implementation %s', async (source) => {
    const errors = await restrictedImports(
      'server/src/services/fixture.service.ts',
      `import { Impl } from '${source}';\nexport const x = Impl;\n`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('Services see only the Store interface');
  });

  it('rejects the server importing the client, even from a deep folder', async () => {
    const errors = await restrictedImports(
      'server/src/store/fixture.ts',
      "export * from '@gt/client';\nexport * from '../../../client/src/lib/x.js';\n",
    );
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error.message).toContain('never import each other');
  });

  it('rejects the client importing the server', async () => {
    const errors = await restrictedImports(
      'client/src/lib/fixture.ts',
      "export * from '@gt/server';\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('never import each other');
  });

  it.each([
    [
      'client/src/routes/s/[id]/+page.svelte',
      'a page',
      '<script lang="ts">\n  import { z } from \'zod\';\n  export const s = z.string();\n</script>\n',
    ],
    [
      'client/src/lib/session/fixture.svelte.ts',
      'a state class',
      "import { z } from 'zod';\nexport const s = z.string();\n",
    ],
    [
      'client/src/routes/+page.ts',
      'a universal load',
      "import { commands } from '@gt/protocol';\nexport const c = commands;\n",
    ],
  ])(
    'rejects full zod in browser code (%s: %s) and says what it costs',
    async (filePath, _what, code) => {
      const errors = await restrictedImports(filePath, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain('~37 KB gzipped');
    },
  );

  it('applies the client arrows to Svelte components too', async () => {
    const errors = await restrictedImports(
      'client/src/routes/Fixture.svelte',
      '<script lang="ts">\n  import { createApp } from \'../../../server/src/app.js\';\n  export const x = createApp;\n</script>\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('never import each other');
  });

  it('rejects Node built-ins in packages/protocol, which the browser bundles', async () => {
    const errors = await restrictedImports(
      'packages/protocol/src/fixture.ts',
      "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('wire contract shared by browser and server');
  });

  it.each([
    [
      'server/src/services/fixture.service.ts',
      "import { x } from '@gt/core';\nexport const y = x;\n",
    ],
    [
      'server/src/services/fixture.service.ts',
      "import type { Store } from '../store/store.js';\nexport type S = Store;\n",
    ],
    [
      'server/src/realtime/fixture.ts',
      "import { s } from '../services/session.service.js';\nexport const t = s;\n",
    ],
    [
      'server/src/store/sqlite/fixture.ts',
      "import { c } from '@gt/protocol';\nimport type { Store } from '../store.js';\nexport const d: Store | typeof c = c;\n",
    ],
    [
      'server/src/main.ts',
      "import { SqliteStore } from './store/sqlite/sqlite-store.js';\nexport const s = SqliteStore;\n",
    ],
    [
      'packages/protocol/src/fixture.ts',
      "import { LIMIT } from '@gt/core';\nexport const l = LIMIT;\n",
    ],
    [
      'packages/core/src/fixture.ts',
      "import { rank } from './ranking/rank.js';\nexport const r = rank;\n",
    ],
    [
      'client/src/lib/server/fixture.ts',
      "export * from '@gt/protocol';\nexport * from '@gt/core';\n",
    ],
    [
      'client/src/routes/organiser/+page.server.ts',
      "import { z } from 'zod';\nimport { commands } from '@gt/protocol';\nexport const x = [z, commands];\n",
    ],
    [
      'client/src/lib/fixture.ts',
      "import type { Result } from '@gt/protocol';\nimport { asId } from '@gt/core';\nexport type R = Result<typeof asId>;\n",
    ],
    [
      'client/src/routes/Fixture.svelte',
      '<script lang="ts">\n  import type { PostView } from \'@gt/core\';\n  let { post }: { post: PostView } = $props();\n</script>\n\n<p>{post.text}</p>\n',
    ],
  ])('allows %s to import along the arrows', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});

describe('other house rules', { timeout: 30_000 }, () => {
  it('rejects @ts-ignore', async () => {
    const [result] = await eslint.lintText('// @ts-ignore\nexport const x: number = 1;\n', {
      filePath: 'packages/core/src/fixture.ts',
    });
    expect(result?.messages.map((m) => m.ruleId)).toContain('@typescript-eslint/ban-ts-comment');
  });

  it('rejects console in server code but allows it in main.ts and config.ts', async () => {
    const code = "console.log('hello');\n";
    const ruleIds = async (filePath: string) =>
      (await eslint.lintText(code, { filePath }))[0]?.messages.map((m) => m.ruleId);
    expect(await ruleIds('server/src/services/fixture.service.ts')).toContain('no-console');
    expect(await ruleIds('server/src/main.ts')).not.toContain('no-console');
    expect(await ruleIds('server/src/config.ts')).not.toContain('no-console');
  });
});
