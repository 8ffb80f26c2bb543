import { afterEach, describe, it, expect } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

const KEY = 'k'.repeat(32);
const made: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gt-config-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The problems loadConfig reports, or a failure if it accepts the environment. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('loadConfig', () => {
  it('[C5] uses the defaults for everything not set', () => {
    const config = loadConfig({ SECRET_KEY: KEY });
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      publicUrl: 'http://localhost:3000',
      allowedOrigins: ['http://localhost:3000'],
      trustProxy: false,
      secretKey: KEY,
      secretSource: 'env',
      organiserEmail: 'organiser@example.org',
      organiserPassword: null,
      organisationName: 'Gentofte Kommune',
      redisUrl: null,
      redisPrefix: 'gt:',
      logLevel: 'info',
      extraWords: [],
      rateLimits: true,
      isProduction: false,
      clientBuildDir: expect.stringMatching(/[/\\]client[/\\]build$/),
      warnings: [],
    });
  });

  it('[C1] reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/gentofte-talks',
      PUBLIC_URL: 'https://talks.gentofte.dk',
      TRUST_PROXY: '1',
      SECRET_KEY: KEY,
      ORGANISER_EMAIL: 'borgerservice@gentofte.dk',
      ORGANISER_PASSWORD: 'korrekt-hest-batteri',
      ORGANISATION_NAME: '  Lyngby-Taarbæk Kommune ',
      REDIS_URL: 'redis://redis:6379',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/gentofte-talks',
      publicUrl: 'https://talks.gentofte.dk',
      allowedOrigins: ['https://talks.gentofte.dk'],
      trustProxy: true,
      organiserEmail: 'borgerservice@gentofte.dk',
      organiserPassword: 'korrekt-hest-batteri',
      organisationName: 'Lyngby-Taarbæk Kommune',
      redisUrl: 'redis://redis:6379',
      logLevel: 'warn',
      isProduction: true,
      warnings: [],
    });
  });

  it('[C7] ORGANISATION_NAME must not be blank', () => {
    expect(problemsOf({ SECRET_KEY: KEY, ORGANISATION_NAME: '   ' }).join('\n')).toContain(
      'ORGANISATION_NAME',
    );
  });

  it('[C1] TRUST_PROXY takes a hop count as well as yes or no', () => {
    expect(loadConfig({ SECRET_KEY: KEY, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ SECRET_KEY: KEY, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(problemsOf({ SECRET_KEY: KEY, TRUST_PROXY: 'maybe' }).join('\n')).toContain(
      'TRUST_PROXY',
    );
  });

  it('[C1] reports every bad value at once, naming each variable', () => {
    const problems = problemsOf({ PORT: 'abc', ORGANISER_PASSWORD: 'short', SECRET_KEY: KEY });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ORGANISER_PASSWORD') && p.includes('12'))).toBe(true);
  });

  it('[C1] names each of several other bad values', () => {
    const problems = problemsOf({
      PORT: '70000',
      PUBLIC_URL: 'ftp://talks.gentofte.dk',
      SECRET_KEY: 'too-short',
      ORGANISER_EMAIL: 'not-an-email',
      REDIS_URL: 'http://redis:6379',
      LOG_LEVEL: 'loud',
    });
    for (const name of [
      'PORT',
      'PUBLIC_URL',
      'SECRET_KEY',
      'ORGANISER_EMAIL',
      'REDIS_URL',
      'LOG_LEVEL',
    ]) {
      expect(
        problems.some((p) => p.startsWith(name)),
        `${name} in ${JSON.stringify(problems)}`,
      ).toBe(true);
    }
  });

  it('[C1] the error message lists the problems for the start-up output', () => {
    try {
      loadConfig({ PORT: 'abc', SECRET_KEY: KEY });
      expect.unreachable('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/Invalid configuration:\n {2}- PORT /);
    }
  });

  it('[C1] an empty PORT is a problem, not port 0', () => {
    expect(problemsOf({ PORT: '', SECRET_KEY: KEY }).some((p) => p.startsWith('PORT'))).toBe(true);
  });

  it('[C3] refuses REDIS_URL without SECRET_KEY, and writes no key file', () => {
    const dataDir = join(tempDir(), 'data');
    const problems = problemsOf({ REDIS_URL: 'redis://redis:6379', DATA_DIR: dataDir });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SECRET_KEY .*REDIS_URL/);
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
  });

  it('[C1] [C3] reports REDIS_URL without SECRET_KEY together with the other problems', () => {
    const problems = problemsOf({ PORT: 'abc', REDIS_URL: 'redis://redis:6379' });
    expect(problems.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SECRET_KEY'))).toBe(true);
  });

  it('[C3] accepts REDIS_URL with SECRET_KEY', () => {
    const config = loadConfig({ REDIS_URL: 'rediss://redis:6380', SECRET_KEY: KEY });
    expect(config.redisUrl).toBe('rediss://redis:6380');
    expect(config.secretKey).toBe(KEY);
  });

  it('[C2] generates SECRET_KEY into DATA_DIR with mode 0600 and reuses it on the next start', () => {
    const dataDir = join(tempDir(), 'not', 'yet', 'there');
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, 'secret.key');
    expect(first.secretSource).toBe('generated');
    expect(first.secretKey.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8')).toBe(`${first.secretKey}\n`);
    expect(modeOf(file)).toBe(0o600);

    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.secretSource).toBe('file');
    expect(second.secretKey).toBe(first.secretKey);
  });

  it('[C2] two data directories get two different keys', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).secretKey).not.toBe(
      loadConfig({ DATA_DIR: tempDir() }).secretKey,
    );
  });

  it('[C2] tightens an existing key file to mode 0600', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'secret.key');
    writeFileSync(file, `${'s'.repeat(40)}\n`);
    chmodSync(file, 0o644);
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.secretKey).toBe('s'.repeat(40));
    expect(modeOf(file)).toBe(0o600);
  });

  it('[C2] [T1] never signs with an empty key from an empty key file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'secret.key'), '');
    let key: string | null = null;
    try {
      key = loadConfig({ DATA_DIR: dataDir }).secretKey;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
    }
    if (key !== null) expect(key.length).toBeGreaterThanOrEqual(32);
  });

  it('[C2] a SECRET_KEY from the environment writes no key file', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, SECRET_KEY: KEY });
    expect(config.secretSource).toBe('env');
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20'])(
    '[C4] warns when PUBLIC_URL is localhost but HOST is %s',
    (host) => {
      const config = loadConfig({
        SECRET_KEY: KEY,
        HOST: host,
        PUBLIC_URL: 'http://localhost:3000',
      });
      expect(config.warnings).toHaveLength(1);
      expect(config.warnings[0]).toContain('PUBLIC_URL');
      expect(config.warnings[0]).toContain(host);
    },
  );

  it('[C4] warns when HOST is 0.0.0.0 and PUBLIC_URL is left to default to localhost', () => {
    expect(loadConfig({ SECRET_KEY: KEY, HOST: '0.0.0.0' }).warnings).toHaveLength(1);
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000'])(
    '[C4] does not warn for PUBLIC_URL %s with HOST 127.0.0.1',
    (url) => {
      expect(loadConfig({ SECRET_KEY: KEY, HOST: '127.0.0.1', PUBLIC_URL: url }).warnings).toEqual(
        [],
      );
    },
  );

  it('[C4] does not warn when PUBLIC_URL is a real address and HOST is 0.0.0.0', () => {
    expect(
      loadConfig({ SECRET_KEY: KEY, HOST: '0.0.0.0', PUBLIC_URL: 'https://talks.gentofte.dk' })
        .warnings,
    ).toEqual([]);
  });

  it('[C5] removes trailing slashes from PUBLIC_URL', () => {
    const config = loadConfig({ SECRET_KEY: KEY, PUBLIC_URL: 'https://talks.gentofte.dk//' });
    expect(config.publicUrl).toBe('https://talks.gentofte.dk');
    expect(config.allowedOrigins).toEqual(['https://talks.gentofte.dk']);
  });

  it('[C5] the default allowed origin is the origin of PUBLIC_URL, without its path', () => {
    const config = loadConfig({ SECRET_KEY: KEY, PUBLIC_URL: 'https://gentofte.dk:8443/talks/' });
    expect(config.publicUrl).toBe('https://gentofte.dk:8443/talks');
    expect(config.allowedOrigins).toEqual(['https://gentofte.dk:8443']);
  });

  it('[C5] ALLOWED_ORIGINS is a comma-separated list, trimmed, without trailing slashes or blanks', () => {
    const config = loadConfig({
      SECRET_KEY: KEY,
      PUBLIC_URL: 'https://talks.gentofte.dk',
      ALLOWED_ORIGINS: ' https://talks.gentofte.dk/ ,https://wall.gentofte.dk,, ',
    });
    expect(config.allowedOrigins).toEqual([
      'https://talks.gentofte.dk',
      'https://wall.gentofte.dk',
    ]);
  });

  it('[W1] WORD_LIST_FILE adds terms, one per line, skipping blanks and # comments; an unreadable file is a problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gt-words-'));
    const file = join(dir, 'words.txt');
    writeFileSync(file, '# lokale ord\nlortekommune\n\n  skodpolitiker  \n');
    const config = loadConfig({ DATA_DIR: dir, SECRET_KEY: 'k'.repeat(40), WORD_LIST_FILE: file });
    expect(config.extraWords).toEqual(['lortekommune', 'skodpolitiker']);
    expect(() =>
      loadConfig({
        DATA_DIR: dir,
        SECRET_KEY: 'k'.repeat(40),
        WORD_LIST_FILE: join(dir, 'missing.txt'),
      }),
    ).toThrow(/WORD_LIST_FILE/);
    rmSync(dir, { recursive: true, force: true });
  });
});
