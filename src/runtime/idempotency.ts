/**
 * Remembers which events a consumer group already handled, keyed by event id, so that a
 * redelivered event (after a crash before the offset commit) does not run its handler twice.
 */
export interface IdempotencyStore {
  /** True when the event was handled before. */
  has(key: string): Promise<boolean>;
  /** Records that the event was handled. */
  remember(key: string): Promise<void>;
}

/** An in-process store holding at most `maxEntries` ids (oldest forgotten first). */
export function memoryIdempotencyStore(options: { readonly maxEntries?: number } = {}): IdempotencyStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const seen = new Set<string>();
  return {
    has: async (key) => seen.has(key),
    async remember(key) {
      seen.delete(key);
      seen.add(key);
      if (seen.size > maxEntries) seen.delete(seen.values().next().value as string);
    },
  };
}

/** The Redis commands the Redis store needs (ioredis and node-redis v4 `legacyMode` both fit). */
export interface RedisLike {
  exists(key: string): Promise<number>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
}

/**
 * A store in Redis, shared by every instance of a consumer group: `processed:<group>:<event id>`
 * with a TTL (7 days by default), as the platform's idempotent consumers already do.
 */
export function redisIdempotencyStore(redis: RedisLike, options: { readonly prefix?: string; readonly ttlSeconds?: number } = {}): IdempotencyStore {
  const prefix = options.prefix ?? 'processed:';
  const ttl = options.ttlSeconds ?? 604_800;
  return {
    has: async (key) => (await redis.exists(prefix + key)) > 0,
    remember: async (key) => {
      await redis.set(prefix + key, '1', 'EX', ttl);
    },
  };
}
