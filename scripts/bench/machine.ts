/** The machine a run is measured on, and the measurements that are not scenarios. */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  loadAverageAtStart: number[];
  clockTicks: number;
  taskset: boolean;
  fileLimit: { soft: number; hard: number };
}

function sh(command: string): string {
  const result = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

export function machineInfo(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    cpuModel =
      /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ??
      'unknown';
  } catch {
    // not Linux
  }
  const soft = sh('ulimit -n');
  const hard = sh('ulimit -Hn');
  const limit = (v: string) => (v === 'unlimited' ? Infinity : Number(v) || 0);
  return {
    nproc: Number(sh('nproc')) || availableParallelism(),
    cpuModel,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: sh('uname -sr') || process.platform,
    loadAverageAtStart: loadavg().map((v) => Math.round(v * 100) / 100),
    clockTicks: Number(sh('getconf CLK_TCK')) || 100,
    taskset: spawnSync('taskset', ['-V']).status === 0,
    fileLimit: { soft: limit(soft), hard: limit(hard) },
  };
}

/** `count` × (write 4 KiB + fsync) in a fresh file under `dir`: fsyncs per second. */
export function fsyncRate(dir: string, count = 200): { perSecond: number; filesystem: string } {
  const scratch = mkdtempSync(join(dir, 'fsync-'));
  const file = join(scratch, 'probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 7);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    writeSync(fd, block, 0, block.length, i * block.length);
    fsyncSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(fd);
  rmSync(scratch, { recursive: true, force: true });
  const filesystem = sh(`df -T "${dir}" | awk 'NR==2 {print $2 " (" $1 ")"}'`) || 'unknown';
  return { perSecond: Math.round(count / seconds), filesystem };
}

export interface BundleSize {
  /** What was measured: the attendee route's own files, or every file when it is missing. */
  scope: string;
  jsGzipBytes: number;
  cssGzipBytes: number;
  jsFiles: number;
  cssFiles: number;
}

/**
 * The attendee page's JavaScript and CSS, gzipped (level 9), from the production build: the
 * client entry (start, app and their imports) plus the route's layout and page nodes, as listed
 * in SvelteKit's server manifest. Only what the page loads up front; lazy chunks are not counted.
 */
export function attendeeBundle(clientBuild: string, route = '/s/[sessionId]'): BundleSize | null {
  const immutable = join(clientBuild, 'client', '_app', 'immutable');
  if (!existsSync(immutable)) return null;
  const gz = (file: string) =>
    gzipSync(readFileSync(join(clientBuild, 'client', file)), { level: 9 }).length;

  const serverChunks = join(clientBuild, 'server', 'chunks');
  const manifestFile = existsSync(serverChunks)
    ? readdirSync(serverChunks).find((f) => /^manifest.*\.js$/.test(f))
    : undefined;
  const fromManifest = (): BundleSize | null => {
    if (!manifestFile) return null;
    const manifest = readFileSync(join(serverChunks, manifestFile), 'utf8');
    const entry = /client:\s*\{[^}]*imports:\s*\[([^\]]*)\][^}]*stylesheets:\s*\[([^\]]*)\]/.exec(
      manifest,
    );
    const nodeFiles = [...manifest.matchAll(/import\('\.\/nodes\/(\d+)\.js-[^']*'\)/g)];
    const nodeFile = (index: number) =>
      nodeFiles.find((m) => Number(m[1]) === index)?.[0].match(/'\.\/(nodes\/[^']+)'/)?.[1];
    const escaped = route.replace(/[[\]/]/g, (c) => `\\${c}`);
    const routeMatch = new RegExp(
      `id:\\s*"${escaped}"[\\s\\S]*?page:\\s*\\{\\s*layouts:\\s*\\[([^\\]]*)\\][^}]*leaf:\\s*(\\d+)`,
    ).exec(manifest);
    if (!entry || !routeMatch) return null;
    const list = (text: string) => [...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const js = new Set(list(entry[1]!));
    const css = new Set(list(entry[2]!));
    const nodes = [
      ...routeMatch[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number),
      Number(routeMatch[2]),
    ];
    for (const index of nodes) {
      const file = nodeFile(index);
      if (!file) return null;
      const source = readFileSync(join(serverChunks, file), 'utf8');
      for (const f of list(/const imports = \[([^\]]*)\]/.exec(source)?.[1] ?? '')) js.add(f);
      for (const f of list(/const stylesheets = \[([^\]]*)\]/.exec(source)?.[1] ?? '')) css.add(f);
    }
    const sum = (files: Set<string>) => [...files].reduce((total, f) => total + gz(f), 0);
    return {
      scope: `route ${route}: client entry + layout + page nodes (${nodes.join(', ')})`,
      jsGzipBytes: sum(js),
      cssGzipBytes: sum(css),
      jsFiles: js.size,
      cssFiles: css.size,
    };
  };
  try {
    const measured = fromManifest();
    if (measured) return measured;
  } catch {
    // fall through to the totals
  }
  // Fallback: every .js and .css file of the build.
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|css)$/.test(name))
        all.push(path.slice(join(clientBuild, 'client').length + 1));
    }
  };
  walk(immutable);
  const js = all.filter((f) => f.endsWith('.js'));
  const css = all.filter((f) => f.endsWith('.css'));
  return {
    scope: `every file of _app/immutable (route ${route} not found in the manifest)`,
    jsGzipBytes: js.reduce((t, f) => t + gz(f), 0),
    cssGzipBytes: css.reduce((t, f) => t + gz(f), 0),
    jsFiles: js.length,
    cssFiles: css.length,
  };
}
