#!/usr/bin/env node
// Installs dependencies when they are missing or out of date, and does nothing (in a few
// milliseconds) when they are not. Runs before node_modules exists, so it uses only Node.
//
// "Out of date" means: the hash of what decides the install (package-lock.json, the
// dependency fields of the root package.json, and the Node ABI) differs from the hash recorded
// in node_modules/.gt-install-hash after the last successful install. The Node ABI is part of it
// because better-sqlite3 is compiled for one Node major and crashes on another.
//
// Usage: node scripts/ensure-install.mjs   (start.mjs and test.mjs import ensureInstall())
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// Fields of package.json that change what npm installs. Editing `scripts` must not cost a
// two-minute reinstall (better-sqlite3 compiles from source here).
const INSTALL_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
  'workspaces',
  'allowScripts',
  'packageManager',
];

const nodeAbi = () => `node-abi-${process.versions.modules}-${process.platform}-${process.arch}`;

function installHash(root) {
  const hash = createHash('sha256');
  const lockPath = join(root, 'package-lock.json');
  hash.update(existsSync(lockPath) ? readFileSync(lockPath) : 'no lock file');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  hash.update(JSON.stringify(INSTALL_FIELDS.map((field) => pkg[field] ?? null)));
  hash.update(nodeAbi());
  return hash.digest('hex');
}

// A checkout installed by hand (`npm ci`, `npm install`) has no recorded hash. npm writes its
// own record, node_modules/.package-lock.json, at the end of every install; if that is newer
// than package-lock.json, node_modules already matches the lock and reinstalling would only
// burn two minutes. (npm trusts the same timestamp comparison for its hidden lockfile.)
function installedByNpmAfterLastLockChange(root) {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  return (
    existsSync(hidden) && existsSync(lock) && statSync(hidden).mtimeMs >= statSync(lock).mtimeMs
  );
}

/** The marker: the install hash, then the Node ABI it was installed for (absent in old markers). */
function readMarker(marker) {
  if (!existsSync(marker)) return { hash: null, abi: null };
  const [hash = '', abi = null] = readFileSync(marker, 'utf8').trim().split('\n');
  return { hash, abi };
}

function writeMarker(marker, hash) {
  // Write then rename, so an interrupted write never leaves a marker that looks valid. (npm
  // creates no node_modules for a package without dependencies, hence the mkdir.)
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(`${marker}.tmp`, `${hash}\n${nodeAbi()}\n`);
  renameSync(`${marker}.tmp`, marker);
}

const seconds = (startedAt) => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;

/** Returns true when it ran an install; throws when the install failed. */
export function ensureInstall({ root = repoRoot, log = (line) => console.log(line) } = {}) {
  const startedAt = performance.now();
  const nodeModules = join(root, 'node_modules');
  const marker = join(nodeModules, '.gt-install-hash');
  const { hash: recorded, abi: recordedAbi } = readMarker(marker);
  const current = installHash(root);

  if (recorded === current) {
    log(
      `ensure-install: dependencies up to date (${Math.round(performance.now() - startedAt)} ms)`,
    );
    return false;
  }
  // Someone ran `npm install` (say `npm install -w client some-package`) after our last
  // install: npm's own record shows node_modules matches the new lock. Trust it, unless Node's
  // ABI changed since we installed (native modules must be rebuilt then). Running `npm ci`
  // here instead would delete node_modules under every process using it, for two minutes.
  if (installedByNpmAfterLastLockChange(root) && (recorded === null || recordedAbi === nodeAbi())) {
    writeMarker(marker, current);
    log('ensure-install: node_modules was installed from the current lock file; recorded it');
    return false;
  }

  const reason = !existsSync(nodeModules)
    ? 'node_modules is missing'
    : recorded === null
      ? 'no record of the last install'
      : 'package-lock.json, package.json dependencies or the Node version changed';
  const hasLock = existsSync(join(root, 'package-lock.json'));
  // `npm ci` installs exactly the lock file, so every machine runs the same versions. Without a
  // lock (never in this repo, but possible in a fresh template) only `npm install` can work.
  const args = hasLock ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  log(`ensure-install: ${reason}; running npm ${args.join(' ')} (a cold install takes ~2 min)`);

  const result = spawnSync('npm', args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    const hint = hasLock
      ? ' If npm says package.json and package-lock.json are out of sync, run `npm install` once and commit the lock file.'
      : '';
    throw new Error(`ensure-install: npm ${args[0]} failed (exit ${result.status}).${hint}`);
  }
  // Hash after installing: `npm install` may just have written the lock file.
  writeMarker(marker, installHash(root));
  log(`ensure-install: installed in ${seconds(startedAt)}`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureInstall();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
