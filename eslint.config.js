// Lint for the whole monorepo. Two rules need types, and only where they guard the running
// server: a floating promise there is an unhandled rejection that can end the process, and a
// switch over a union that misses a member silently does nothing for the new member. They
// build a TypeScript program for server/ and packages/ only (tens of seconds in `npm test`);
// the client and scripts are linted without types.
//
// The important part is the dependency rule (docs: STYLE.md, "Dependency rule"):
//
//   client ──▶ protocol ◀── server        inside server: transport (realtime/, http/)
//      └────▶   core    ◀────┘                             → services → core + Store interface
//
// It is written as `no-restricted-imports` patterns per folder, each with a message that says
// WHY the arrow points that way, so whoever trips over it learns where the code belongs.
//
// Caveat of flat config: a later block that sets `no-restricted-imports` REPLACES the options of
// an earlier one for the same file (options are not merged). That is why the narrower folders
// below spread the broader lists (`...serverPatterns`) into their own.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './client/svelte.config.js';

// `fs`, `node:fs`, `fs/promises`, ... Built from Node's own list so nothing is forgotten.
const nodeBuiltinsRegex = `^(node:.*|(${builtinModules
  .filter((name) => !name.startsWith('_'))
  .map((name) => name.replace(/[/]/g, '\\/'))
  .join('|')})(\\/.*)?)$`;

// A relative import that climbs out of its package and lands in another top-level area, e.g.
// `../../protocol/src/x.js` from packages/core or `../../../client/src/x` from server.
const climbsInto = (...folders) => `^(\\.\\./)+(${folders.join('|')})(\\/|$)`;

const messages = {
  coreIsPure:
    'packages/core is the pure domain: no I/O, no Node built-ins, no server/client/protocol code, ' +
    'so its rules can be unit-tested without mocks and reused by client and server. ' +
    'Move the I/O into server/src/services (or a Store implementation) and pass plain data in.',
  protocolIsShared:
    'packages/protocol is the wire contract shared by browser and server: it may use @gt/core ' +
    'types and constants and zod, but no Node built-ins and no server/client code, ' +
    'otherwise the client bundle breaks. Keep transport code in server/src/realtime.',
  noServerInClient:
    'client and server are separate deployables and never import each other. ' +
    'Share what both need through @gt/protocol (wire shapes) or @gt/core (domain rules).',
  sharedByName:
    'Import shared packages by name (@gt/core, @gt/protocol), never by a relative path into ' +
    'packages/: the package name goes through its exports map, which is its public surface.',
  storeDependsOnInterface:
    'Store implementations depend only on the Store interface (store/store.ts), @gt/core and ' +
    '@gt/protocol. Services and transport call the store, never the reverse, so a store can be ' +
    'swapped (memory, SQLite, Redis) and run the shared contract suite on its own.',
  servicesBelowTransport:
    'Services must not import realtime/ or http/: transport depends on services, not the reverse. ' +
    'Return a result (data or an expected error) and let the handler turn it into an ack/broadcast.',
  servicesSeeInterface:
    'Services see only the Store interface (store/store.ts). Which implementation runs is chosen ' +
    'once in server.ts (the composition root) and passed in, so services are tested with any store.',
  noFullZodInPages:
    'Code that runs in the browser must not import zod (or @gt/protocol values, which pull in ' +
    'the zod schemas): full zod adds ~37 KB gzipped to every page, on old phones and festival ' +
    'networks. Use `import type` from @gt/protocol, its zod-free names from @gt/protocol/names, ' +
    'constants from @gt/core, or validate on the ' +
    'server (a form action, +page.server.ts, $lib/server).',
  compositionRoot:
    'server.ts and app.ts are the composition root (main.ts and production-main.ts start it): ' +
    'they import everything, nothing imports them. ' +
    'Take what you need as a constructor/function parameter instead.',
};

const serverPatterns = [
  { regex: '^@gt\\/client(\\/|$)', message: messages.noServerInClient },
  { regex: climbsInto('client'), message: messages.noServerInClient },
  { regex: climbsInto('packages', 'core', 'protocol'), message: messages.sharedByName },
];

const clientPatterns = [
  { regex: '^@gt\\/server(\\/|$)', message: messages.noServerInClient },
  { regex: climbsInto('server'), message: messages.noServerInClient },
  { regex: climbsInto('packages', 'core', 'protocol', 'i18n'), message: messages.sharedByName },
];

const restrict = (patterns) => ['error', { patterns }];

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.turbo/**',
      '.test-results/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A @ts-ignore silences every error on the next line, including the ones added later.
      // @ts-expect-error fails once the error is gone, and must say why it is there.
      '@typescript-eslint/ban-ts-comment': [
        'error',
        {
          'ts-ignore': true,
          'ts-nocheck': true,
          'ts-check': false,
          'ts-expect-error': 'allow-with-description',
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Svelte components: eslint-plugin-svelte parses them, with TypeScript inside <script>.
  svelte.configs.recommended,
  {
    files: ['client/**/*.svelte', 'client/**/*.svelte.ts', 'client/**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },
  {
    files: ['client/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // ── Dependency rule ────────────────────────────────────────────────────────────────────────
  {
    files: ['packages/core/**/*.{ts,js,mts}'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: nodeBuiltinsRegex, message: messages.coreIsPure },
        { regex: '^@gt\\/', message: messages.coreIsPure },
        {
          regex: climbsInto('packages', 'protocol', 'server', 'client'),
          message: messages.coreIsPure,
        },
      ]),
    },
  },
  {
    files: ['packages/protocol/**/*.{ts,js,mts}'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: nodeBuiltinsRegex, message: messages.protocolIsShared },
        { regex: '^@gt\\/(server|client)(\\/|$)', message: messages.protocolIsShared },
        { regex: climbsInto('server', 'client'), message: messages.protocolIsShared },
        { regex: climbsInto('packages', 'core'), message: messages.sharedByName },
      ]),
    },
  },
  {
    files: ['client/**/*.{ts,js,mts,svelte}'],
    rules: { 'no-restricted-imports': restrict(clientPatterns) },
  },
  {
    // What runs in the browser: components, universal load files, and $lib outside
    // $lib/server. (Server-only files: *.server.ts, hooks.server.ts, $lib/server/**.)
    files: ['client/src/**/*.{ts,js,svelte}'],
    ignores: ['client/src/**/*.server.ts', 'client/src/lib/server/**', 'client/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...clientPatterns,
            { regex: '^zod(\\/v4)?$', message: messages.noFullZodInPages },
            {
              regex: '^@gt\\/protocol$',
              allowTypeImports: true,
              message: messages.noFullZodInPages,
            },
          ],
        },
      ],
    },
  },
  {
    // Integration tests drive the real server: a client *.int.test.ts may start it through the
    // server's test harness (server/src/testing) and nothing else of the server. Code that
    // ships, and the client's unit tests, stay under the rules above.
    files: ['client/src/**/*.int.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^@gt\\/server(\\/|$)', message: messages.noServerInClient },
        { regex: '^(\\.\\./)+server\\/(?!src\\/testing\\/)', message: messages.noServerInClient },
        {
          regex: climbsInto('packages', 'core', 'protocol', 'i18n'),
          message: messages.sharedByName,
        },
      ]),
    },
  },
  {
    files: ['server/**/*.{ts,js,mts}'],
    rules: { 'no-restricted-imports': restrict(serverPatterns) },
  },
  {
    // Store implementations (and the contract suite in store/testing) sit below services.
    files: ['server/src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ...serverPatterns,
        {
          regex: climbsInto('realtime', 'http', 'services'),
          message: messages.storeDependsOnInterface,
        },
        { regex: '^(\\.\\./)+(main|server|app)(\\.[jt]s)?$', message: messages.compositionRoot },
      ]),
    },
  },
  {
    files: ['server/src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ...serverPatterns,
        { regex: climbsInto('realtime', 'http'), message: messages.servicesBelowTransport },
        { regex: '^(\\.\\./)+(main|server|app)(\\.[jt]s)?$', message: messages.compositionRoot },
        // Anything under store/ except the interface file itself: covers store/sqlite/**,
        // store/redis/**, store/memory-store.ts ... whatever layout the implementations take.
        {
          regex: '^(\\.\\./)+store\\/(?!store(\\.[jt]s)?$)',
          message: messages.servicesSeeInterface,
        },
      ]),
    },
  },
  {
    // A service's own test, and the services' test harness (services/testing/), are small
    // composition roots: they may build a concrete (usually in-memory) store to hand to the
    // services. Transport stays off limits even there.
    files: ['server/src/services/**/*.test.ts', 'server/src/services/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        ...serverPatterns,
        { regex: climbsInto('realtime', 'http'), message: messages.servicesBelowTransport },
      ]),
    },
  },

  // ── Rules that need types (server and shared packages) ─────────────────────────────────────
  {
    files: ['server/src/**/*.ts', 'packages/*/src/**/*.ts'],
    // scripts/lint/dependency-rule.test.ts lints snippets as files named fixture*.ts that do
    // not exist; the type-aware parser can only build a program for files that do.
    ignores: ['**/fixture.ts', '**/fixture.*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `void promise` marks a deliberate fire-and-forget; anything else is awaited or caught.
      '@typescript-eslint/no-floating-promises': 'error',
      // A `default:` is a deliberate choice for the members it covers; without one, every
      // member of the union needs its case.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },

  // ── Logging ────────────────────────────────────────────────────────────────────────────────
  {
    // pino is the server's logger (structured, levelled, redactable). console is allowed only
    // where no logger exists yet, or for the operator at the terminal: config errors at boot
    // (config.ts), the start-up banner (server.ts) and the last-resort crash path of the entry
    // points. Tests may print their tallies (the role matrix and fuzz counts).
    files: ['server/src/**/*.ts'],
    ignores: [
      'server/src/main.ts',
      'server/src/production-main.ts',
      'server/src/server.ts',
      'server/src/config.ts',
      'server/src/**/*.test.ts',
    ],
    rules: { 'no-console': 'error' },
  },
);
