import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileRoleProblems } from './file-roles.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Tracked and new (not ignored) files, as a fresh clone and the working tree have them. */
function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}

describe('file roles of the server’s layers', () => {
  it('every file in services/, store/, realtime/ and http/ has a role the architecture names', () => {
    const files = repositoryFiles();
    expect(files.filter((f) => f.startsWith('server/src/services/')).length).toBeGreaterThan(10);
    expect(fileRoleProblems(files)).toEqual([]);
  });

  it('refuses a service file without its role suffix, and says where a feature goes', () => {
    const [problem, ...more] = fileRoleProblems(['server/src/services/polls.ts']);
    expect(more).toEqual([]);
    expect(problem).toContain('server/src/services/polls.ts fits none of the file roles');
    expect(problem).toContain('<feature>.service.ts');
    expect(problem).toContain('commandTable');
  });

  it('refuses a store file outside an implementation folder, and names the ports', () => {
    const problems = fileRoleProblems([
      'server/src/store/polls-store.ts',
      'server/src/store/sqlite/sqlite-polls.ts',
      'server/src/store/testing/poll-contract.ts',
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('server/src/store/polls-store.ts');
    expect(problems[0]).toContain('a port of store.ts');
  });

  it('leaves folders it has no roles for alone', () => {
    expect(fileRoleProblems(['server/src/main.ts', 'client/src/lib/anything.ts'])).toEqual([]);
  });
});
