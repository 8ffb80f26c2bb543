/** Choose the store from configuration: Redis when REDIS_URL is set, else SQLite in DATA_DIR. */
import { join } from 'node:path';
import type { Store } from './store.js';

export async function openStore(options: {
  redisUrl: string | null;
  redisPrefix: string;
  dataDir: string;
}): Promise<Store> {
  if (options.redisUrl) {
    const { createRedisStore } = await import('./redis/redis-store.js');
    return createRedisStore({ url: options.redisUrl, keyPrefix: options.redisPrefix });
  }
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore({ file: join(options.dataDir, 'talks.sqlite') });
}
