import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducer } from '../../src/index.js';
import { memoryIdempotencyStore, redisIdempotencyStore } from '../../src/runtime/idempotency.js';
import { brokers, createTopics, kafka, redisUrl, registerAll, registryUrl, runId, specs, topicsFor, waitFor } from './support.js';

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
beforeAll(async () => {
  await redis.connect();
  await registerAll(specs.filter((s) => s.type === 'post.liked'));
});
afterAll(async () => {
  await redis.quit();
});

describe.each([
  ['in memory', () => memoryIdempotencyStore({ maxEntries: 2 })],
  ['in Redis', () => redisIdempotencyStore(redis, { prefix: `test:${randomUUID()}:`, ttlSeconds: 60 })],
])('the idempotency store %s', (_name, create) => {
  it('remembers handled event ids', async () => {
    const store = create();
    expect(await store.has('g:a')).toBe(false);
    await store.remember('g:a');
    expect(await store.has('g:a')).toBe(true);
    expect(await store.has('other-group:a')).toBe(false);
  });
});

describe('a consumer killed mid-batch and restarted', () => {
  it('loses no event, and with idempotency runs no handler twice', async () => {
    const client = kafka();
    const run = runId();
    const topics = topicsFor(run);
    await createTopics(client, [{ topic: topics['nova.content.events']!, numPartitions: 3 }]);
    const producer = createProducer({ kafka: client, registry: { url: registryUrl }, topics, events: ['post.liked'] });
    const published = await producer.publishBatch(
      Array.from({ length: 200 }, () => ({ type: 'post.liked' as const, payload: { post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date() } })),
    );
    await producer.disconnect();
    const expected = new Set(published.map((p) => p.eventId));

    const handled: string[] = [];
    const skipped: string[] = [];
    const start = (): ChildProcess => {
      const child = spawn(
        process.execPath,
        [join(import.meta.dirname, 'processes', 'crash-consumer.mjs'), brokers.join(','), registryUrl, `${run}-crash`, JSON.stringify(topics), `processed:${run}:`, redisUrl],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('handled ')) handled.push(line.split(' ')[1]!);
          if (line.startsWith('duplicate ')) skipped.push(line.split(' ')[1]!);
        }
      });
      return child;
    };

    const first = start();
    await waitFor(() => handled.length >= 60, '60 events handled by the first consumer', 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const handledBeforeCrash = handled.length;
    expect(handledBeforeCrash).toBeLessThan(200);

    const second = start();
    try {
      await waitFor(() => new Set(handled).size === expected.size, 'every event handled after the restart', 90_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      second.kill('SIGTERM');
    }
    expect(new Set(handled)).toEqual(expected);
    expect(handled.length).toBe(expected.size);
    // The restart did redeliver events whose offsets were not committed; the store skipped them.
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((id) => handled.indexOf(id) < handledBeforeCrash)).toBe(true);
  });
});
