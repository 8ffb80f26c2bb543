/**
 * The tree is the architecture (STYLE.md): inside the server's layers, a file's folder and
 * suffix say what it is. This check knows the roles each folder may hold and, for a file that
 * fits none, says which roles there are and where the file probably belongs, so whoever adds
 * one learns the layout instead of just hitting a wall.
 */

interface Role {
  /** Matches the path relative to the folder. */
  pattern: RegExp;
  what: string;
}

interface Folder {
  /** Repository-relative folder, with a trailing slash. */
  path: string;
  roles: Role[];
  /** Where a file that fits no role probably belongs. */
  hint: string;
}

const TESTS: Role = {
  pattern: /^([a-z]+\/)?[a-z0-9-]+(\.[a-z0-9-]+)*\.test\.ts$/,
  what: 'tests beside the code (*.test.ts, *.int.test.ts, *.rel.test.ts, *.types.test.ts)',
};

export const FOLDERS: Folder[] = [
  {
    path: 'server/src/services/',
    roles: [
      {
        pattern: /^[a-z-]+\.service\.ts$/,
        what: "one feature's handlers and AppApi methods (<feature>.service.ts)",
      },
      {
        pattern: /^(command-bus|context|application|principals|refusals|post-change)\.ts$/,
        what: 'the command bus and what the features share (command-bus, context, application, principals, refusals, post-change)',
      },
      {
        pattern:
          /^(tokens|rate-limits|login-throttle|reactions|organiser-auth|first-start|wall-rotation)\.ts$/,
        what: 'building blocks the features use (tokens, rate-limits, login-throttle, reactions, organiser-auth, first-start, wall-rotation)',
      },
      { pattern: /^testing\/[a-z-]+\.ts$/, what: 'the services’ test harness (testing/)' },
      TESTS,
    ],
    hint:
      'A new feature is a new <feature>.service.ts whose handlers commandTable (command-bus.ts) spreads in; ' +
      'its pure rules go to packages/core, its storage to a port in server/src/store/store.ts.',
  },
  {
    path: 'server/src/store/',
    roles: [
      { pattern: /^store\.ts$/, what: 'the ports (store.ts)' },
      { pattern: /^open-store\.ts$/, what: 'choosing the implementation (open-store.ts)' },
      {
        pattern: /^(sqlite|redis|memory)\/(sqlite|redis|memory)-[a-z-]+\.ts$/,
        what: 'an implementation’s feature code (<kind>/<kind>-*.ts)',
      },
      {
        pattern: /^(sqlite\/(group-commit|statements|migrations)|redis\/keys)\.ts$/,
        what: 'an implementation’s mechanism (sqlite: group-commit, statements, migrations; redis: keys)',
      },
      {
        pattern: /^testing\/([a-z-]+-contract|factories)\.ts$/,
        what: 'the contract suite every implementation runs (testing/*-contract.ts, factories)',
      },
      TESTS,
    ],
    hint:
      'A store operation is declared in a port of store.ts, implemented in sqlite/, redis/ and memory/, ' +
      'and tested by a case in testing/*-contract.ts.',
  },
  {
    path: 'server/src/realtime/',
    roles: [
      {
        pattern: /^(socket-server|redis-adapter)\.ts$/,
        what: 'the Socket.IO transport (socket-server, redis-adapter)',
      },
      {
        pattern: /^testing\/[a-z-]+\.ts$/,
        what: 'factories for the role matrix and fuzz tests (testing/)',
      },
      TESTS,
    ],
    hint: 'Transport stays thin: a decision belongs in a service, a rule in packages/core.',
  },
  {
    path: 'server/src/http/',
    roles: [
      { pattern: /^[a-z-]+\.routes\.ts$/, what: 'an Express router (*.routes.ts)' },
      { pattern: /^web\.ts$/, what: 'mounting the SvelteKit app (web.ts)' },
      TESTS,
    ],
    hint: 'A route that does more than call the application belongs in a service.',
  },
];

/** The problems with the given repository-relative file paths; empty when every file fits. */
export function fileRoleProblems(paths: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of paths) {
    const folder = FOLDERS.find((f) => file.startsWith(f.path));
    if (!folder) continue;
    const rest = file.slice(folder.path.length);
    if (folder.roles.some((role) => role.pattern.test(rest))) continue;
    problems.push(
      `${file} fits none of the file roles of ${folder.path}: ` +
        folder.roles.map((role) => role.what).join('; ') +
        `. ${folder.hint} (docs/ARCHITECTURE.md, STYLE.md "The shape of the repository")`,
    );
  }
  return problems;
}
