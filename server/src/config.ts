/**
 * Configuration: the environment is read here and nowhere else, through one schema. Every
 * problem is reported at once, naming the variable, and start-up stops.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z
  .object({
    // A blank PORT= line must be an error, not port 0 (a random port nobody can find).
    PORT: z
      .string()
      .regex(/^[0-9]{1,5}$/, 'must be a port number')
      .transform(Number)
      .refine((n) => n <= 65535, 'must be at most 65535')
      .default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    ALLOWED_ORIGINS: z.string().optional(),
    TRUST_PROXY: z.union([boolish, z.coerce.number().int().min(0).max(10)]).default(false),
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    ORGANISER_EMAIL: z.email().default('organiser@example.org'),
    ORGANISER_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    // The organisation the first start creates (SPEC C7); later starts keep the stored one.
    ORGANISATION_NAME: z
      .string()
      .trim()
      .min(1, 'must not be blank')
      .max(200, 'must be at most 200 characters')
      .default('Gentofte Kommune'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    // Lets several deployments (or test runs) share one Redis without seeing each other.
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 letters, digits or _.:-')
      .default('gt:'),
    // One extra term per line, added to the built-in offensive-word list (posts are held, not rejected).
    WORD_LIST_FILE: z.string().min(1).optional(),
    // Off only for load tests and benchmarks: the limits protect a live event from floods.
    RATE_LIMITS: z.enum(['on', 'off']).default('on'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    // Where adapter-node's build of the client lives (handler.js); the repository's by default.
    CLIENT_BUILD_DIR: z.string().min(1).optional(),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    // Several nodes must verify each other's signatures: a key generated per node would not.
    if (env.REDIS_URL && !env.SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY'],
        message: 'is required when REDIS_URL is set (every node must share it)',
      });
    }
  });

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  allowedOrigins: string[];
  trustProxy: boolean | number;
  secretKey: string;
  /** Where the key came from, for the start-up message. */
  secretSource: 'env' | 'file' | 'generated';
  organiserEmail: string;
  organiserPassword: string | null;
  /** The first organisation's name, used once: when the store has none yet. */
  organisationName: string;
  redisUrl: string | null;
  redisPrefix: string;
  logLevel: string;
  extraWords: string[];
  rateLimits: boolean;
  isProduction: boolean;
  /** The SvelteKit build (adapter-node) that server/src/http/web.ts mounts. */
  clientBuildDir: string;
  warnings: string[];
}

/** client/build beside server/, from src/ (tsx) and from dist/ (node) alike. */
const DEFAULT_CLIENT_BUILD_DIR = fileURLToPath(new URL('../../client/build', import.meta.url));

function readWordList(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  } catch {
    throw new ConfigError([`WORD_LIST_FILE ${file} cannot be read`]);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parse the environment; throws ConfigError listing every problem. Side effect: may create DATA_DIR and the secret file. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`),
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const hostForUrl =
    LOOPBACK.has(e.HOST) || e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${hostForUrl}:${e.PORT}`).replace(/\/+$/, '');
  const warnings: string[] = [];
  const publicHost = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  if (LOOPBACK.has(publicHost) && !LOOPBACK.has(e.HOST)) {
    warnings.push(
      `PUBLIC_URL is ${publicUrl} but HOST is ${e.HOST}: phones on the network will be sent to localhost, and QR posters will encode it. Set PUBLIC_URL to the address people reach.`,
    );
  }
  const allowedOrigins = e.ALLOWED_ORIGINS
    ? e.ALLOWED_ORIGINS.split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean)
    : [new URL(publicUrl).origin];

  let secretKey = e.SECRET_KEY;
  let secretSource: Config['secretSource'] = 'env';
  if (!secretKey) {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'secret.key');
    const stored = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (stored.length >= 32) {
      secretKey = stored;
      secretSource = 'file';
    } else if (stored.length > 0) {
      throw new ConfigError([
        `SECRET_KEY file ${file} holds a key shorter than 32 characters; remove it to generate a new one`,
      ]);
    } else {
      // No file, or an empty one left by an interrupted first start: nothing was signed yet.
      secretKey = randomBytes(48).toString('base64url');
      writeFileSync(file, secretKey + '\n', { mode: 0o600 });
      secretSource = 'generated';
    }
    // Even an existing file is tightened: the key signs every staff link.
    chmodSync(file, 0o600);
  }

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    publicUrl,
    allowedOrigins,
    trustProxy: e.TRUST_PROXY,
    secretKey,
    secretSource,
    organiserEmail: e.ORGANISER_EMAIL,
    organiserPassword: e.ORGANISER_PASSWORD ?? null,
    organisationName: e.ORGANISATION_NAME,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    rateLimits: e.RATE_LIMITS === 'on',
    extraWords: e.WORD_LIST_FILE ? readWordList(e.WORD_LIST_FILE) : [],
    isProduction: e.NODE_ENV === 'production',
    clientBuildDir: resolve(e.CLIENT_BUILD_DIR ?? DEFAULT_CLIENT_BUILD_DIR),
    warnings,
  };
}

/**
 * Sets what adapter-node's handler reads from the environment, and must run before the handler
 * is imported: it reads them once, at import. Without ORIGIN it assumes https, and every form
 * post over plain http is refused as cross-site (403). PUBLIC_URL is the one source of truth.
 */
export function exportWebEnvironment(
  config: Pick<Config, 'publicUrl'>,
  env: Record<string, string | undefined> = process.env,
): void {
  env.ORIGIN = new URL(config.publicUrl).origin;
}
