// Proves the two type-aware rules of eslint.config.js bite in the server. Each case lints a
// snippet under the name of a real server file (the type-aware parser needs a file its
// tsconfig includes; ESLint lints the given text, not the file on disk).
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });
const AS_FILE = 'server/src/services/refusals.ts';

async function ruleIds(code: string) {
  const [result] = await eslint.lintText(code, { filePath: AS_FILE });
  expect(result?.messages.filter((m) => m.fatal)).toEqual([]);
  return (result?.messages ?? []).map((m) => m.ruleId);
}

// Building the TypeScript program takes seconds on a busy machine.
describe('type-aware lint rules in the server', { timeout: 60_000 }, () => {
  it('refuses a promise neither awaited, caught nor marked with void', async () => {
    const code = 'export function f(p: Promise<void>): void {\n  p.then(() => undefined);\n}\n';
    expect(await ruleIds(code)).toContain('@typescript-eslint/no-floating-promises');
    const marked = 'export function f(p: Promise<void>): void {\n  void p;\n}\n';
    expect(await ruleIds(marked)).not.toContain('@typescript-eslint/no-floating-promises');
  });

  it('refuses a switch that misses a member of its union, unless it has a default', async () => {
    const missing =
      "export function f(x: 'a' | 'b'): number {\n  switch (x) {\n    case 'a':\n      return 1;\n  }\n  return 0;\n}\n";
    expect(await ruleIds(missing)).toContain('@typescript-eslint/switch-exhaustiveness-check');
    const withDefault =
      "export function f(x: 'a' | 'b'): number {\n  switch (x) {\n    case 'a':\n      return 1;\n    default:\n      return 0;\n  }\n}\n";
    expect(await ruleIds(withDefault)).not.toContain(
      '@typescript-eslint/switch-exhaustiveness-check',
    );
  });
});
