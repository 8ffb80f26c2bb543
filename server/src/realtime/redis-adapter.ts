/**
 * Fan-out across nodes: with REDIS_URL, Socket.IO's Redis adapter relays every room emit to
 * the other nodes, so a post committed on one node reaches sockets held by all of them.
 * Pub/sub needs two connections of its own (a subscribed connection can do nothing else).
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';

export interface FanOut {
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

export async function createRedisFanOut(
  url: string,
  channelPrefix = 'gt-socket.io',
): Promise<FanOut> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub, { key: channelPrefix }),
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
