// ensure-install decides between "nothing to do", "record what npm already installed" and a
// clean `npm ci`. The last one deletes node_modules under every running process, so it must
// only happen when node_modules really does not match.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureInstall } from './ensure-install.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const abi = `node-abi-${process.versions.modules}-${process.platform}-${process.arch}`;

/** A project with no dependencies, installed once (by the first ensureInstall call). */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'gt-ensure-install-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', version: '1.0.0' }));
  writeLock(root, 1);
  return root;
}

function writeLock(root: string, generation: number) {
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({
      name: 'fixture',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'fixture', version: '1.0.0' } },
      generation,
    }),
  );
}

/** What npm leaves behind after `npm install`: its hidden lockfile, newer than the lock. */
function npmInstalledAfterLock(root: string) {
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  const hidden = join(root, 'node_modules', '.package-lock.json');
  writeFileSync(hidden, '{}');
  const later = new Date(Date.now() + 5_000);
  utimesSync(hidden, later, later);
}

const marker = (root: string) => join(root, 'node_modules', '.gt-install-hash');
const quiet = { log: () => undefined };

describe('ensureInstall', () => {
  it('does nothing when the recorded install matches', () => {
    const root = project();
    npmInstalledAfterLock(root);
    expect(ensureInstall({ root, ...quiet })).toBe(false); // records it
    const lines: string[] = [];
    expect(ensureInstall({ root, log: (line: string) => lines.push(line) })).toBe(false);
    expect(lines.join('\n')).toContain('up to date');
  });

  it('records, instead of reinstalling, when someone ran npm install after the last record', () => {
    const root = project();
    npmInstalledAfterLock(root);
    ensureInstall({ root, ...quiet });
    const before = readFileSync(marker(root), 'utf8');
    // `npm install -w client x` rewrote the lock, and then npm's own record.
    writeLock(root, 2);
    npmInstalledAfterLock(root);
    const lines: string[] = [];
    expect(ensureInstall({ root, log: (line: string) => lines.push(line) })).toBe(false);
    expect(lines.join('\n')).toContain('recorded it');
    expect(readFileSync(marker(root), 'utf8')).not.toBe(before);
    expect(readFileSync(marker(root), 'utf8')).toContain(abi);
  });

  it('reinstalls when the lock changed after npm last installed (a pull, a fresh clone)', () => {
    const root = project();
    npmInstalledAfterLock(root);
    ensureInstall({ root, ...quiet });
    writeLock(root, 2);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'package-lock.json'), future, future);
    expect(ensureInstall({ root, ...quiet })).toBe(true);
  });

  it('reinstalls when the marker was written for another Node ABI', () => {
    const root = project();
    npmInstalledAfterLock(root);
    ensureInstall({ root, ...quiet });
    writeLock(root, 2);
    npmInstalledAfterLock(root);
    const [hash] = readFileSync(marker(root), 'utf8').split('\n');
    writeFileSync(marker(root), `${hash}\nnode-abi-108-${process.platform}-${process.arch}\n`);
    expect(ensureInstall({ root, ...quiet })).toBe(true);
  });
});
