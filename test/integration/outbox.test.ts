import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createOutbox, createOutboxRelay, createProducer, partitionForKey } from '../../src/index.js';
import { outboxStatus } from '../../src/outbox/admin.js';
import { relayStatements } from '../../src/outbox/table.js';
import type { OutboxRelay, RelayPool } from '../../src/outbox/relay.js';
import { NovaError } from '../../src/util/errors.js';
import { redisIdempotencyStore } from '../../src/runtime/idempotency.js';
import { databaseUrl, dropSchema, freshOutbox, inTransaction, terminateConnections, testPool } from './postgres.js';
import { brokers, createTopics, kafka, kafkaGate, keyedSample, readRaw, registerAll, registryUrl, runId, specs, topicsFor, waitFor } from './support.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const pool = testPool('nova-outbox-test', 30);
const schemas: string[] = [];
const relays: OutboxRelay[] = [];
const quiet = () => {};

async function setup(numPartitions = 3) {
  const run = runId();
  const schema = `outbox_${run}`;
  schemas.push(schema);
  const table = await freshOutbox(pool, schema);
  const topics = topicsFor(run);
  await createTopics(kafka(), [
    { topic: topics['nova.content.events']!, numPartitions },
    { topic: topics['nova.media.events']!, numPartitions: 2 },
  ]);
  const outbox = createOutbox({ registry: { url: registryUrl }, schema, topics, source: 'content-service', events: ['post.liked', 'post.created', 'media.uploaded'] });
  await outbox.connect();
  return { run, schema, table, topics, outbox };
}

function relay(schema: string, overrides: Partial<Parameters<typeof createOutboxRelay>[0]> = {}): OutboxRelay {
  const created = createOutboxRelay({ pool: pool as unknown as RelayPool, kafka: kafka(), schema, pollIntervalMs: 200, logger: quiet, ...overrides });
  relays.push(created);
  return created;
}

function like(postId = randomUUID()) {
  return { post_id: postId, user_id: randomUUID(), liked_at: new Date(1_790_000_000_000) };
}

beforeAll(async () => {
  await registerAll(specs.filter((s) => ['post.liked', 'post.created', 'media.uploaded'].includes(s.type)));
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

describe('outbox.enqueue in the caller\'s transaction', () => {
  it('publishes a committed event once, with the bytes, key, headers and partition of a direct publish; a rolled-back one never', async () => {
    const { schema, table, topics, outbox } = await setup();
    const payload = like();
    const options = { eventId: randomUUID(), correlationId: 'req-1', causationId: 'cmd-1', time: new Date(1_790_000_000_123), headers: { 'x-tenant': 'acme' } };
    await inTransaction(pool, async (tx) => {
      await tx.query('SELECT 1');
      expect(await outbox.enqueue(tx, 'post.liked', payload, options)).toEqual({ eventId: options.eventId });
    });
    const rolledBack = randomUUID();
    await expect(
      inTransaction(pool, async (tx) => {
        await outbox.enqueue(tx, 'post.liked', like(), { eventId: rolledBack });
        throw new Error('the service failed after enqueue');
      }),
    ).rejects.toThrow('the service failed');

    const producer = createProducer({ kafka: kafka(), registry: { url: registryUrl }, topics, source: 'content-service', events: ['post.liked'] });
    await producer.connect();
    const direct = producer.encode('post.liked', payload, options);
    await producer.disconnect();

    relay(schema).run();
    const topic = topics['nova.content.events']!;
    const [received] = await readRaw(kafka(), [topic], 1);
    await new Promise((r) => setTimeout(r, 1000));
    const all = await readRaw(kafka(), [topic], 1);
    expect(all).toHaveLength(1);
    const message = received!.message;
    expect(message.key!.toString()).toBe(payload.post_id);
    expect(Buffer.compare(message.value!, direct.message.value)).toBe(0);
    expect(stringHeaders(message)).toEqual(direct.message.headers);
    expect(received!.partition).toBe(partitionForKey(payload.post_id, 3));
    expect(stringHeaders(message)['event_id']).not.toBe(rolledBack);
    expect(await outboxStatus(pool, table)).toMatchObject({ pending: 0, published: 1, dead: 0 });
  });

  it('orders two concurrent transactions of one key by their commit: the second waits for the first', async () => {
    const { schema, topics, outbox } = await setup();
    const postId = randomUUID();
    const first = await pool.connect();
    let firstCommittedAt = 0;
    try {
      await first.query('BEGIN');
      await outbox.enqueue(first, 'post.liked', like(postId), { eventId: `${postId}/first` });
      const second = inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', like(postId), { eventId: `${postId}/second` })).then(() => Date.now());
      const other = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', like(), { eventId: 'another-key' }));
      expect(other.eventId).toBe('another-key');
      await new Promise((resolve) => setTimeout(resolve, 300));
      firstCommittedAt = Date.now();
      await first.query('COMMIT');
      expect(await second).toBeGreaterThanOrEqual(firstCommittedAt);
    } finally {
      first.release();
    }
    relay(schema).run();
    const received = await readRaw(kafka(), [topics['nova.content.events']!], 3);
    const order = received.map((m) => String(m.message.headers!['event_id'])).filter((id) => id.startsWith(postId));
    expect(order).toEqual([`${postId}/first`, `${postId}/second`]);
  });

  it('fails the caller\'s transaction on a payload the contract refuses, with the field pointer, and writes nothing', async () => {
    const { schema, table, outbox } = await setup();
    const error = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', { ...like(), liked_at: 'yesterday' } as never)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NovaError);
    expect((error as NovaError).rule).toBe('PAYLOAD_INVALID');
    expect((error as NovaError).pointer).toBe('/liked_at');
    const missingKey = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', { ...like(), post_id: '' })).catch((e: unknown) => e);
    expect((missingKey as NovaError).rule).toBe('KEY_MISSING');
    expect(await outboxStatus(pool, table)).toMatchObject({ pending: 0, published: 0 });
    const noTable = createOutbox({ registry: { url: registryUrl }, schema: `${schema}_absent`, events: ['post.liked'] });
    await noTable.connect();
    const absent = await inTransaction(pool, (tx) => noTable.enqueue(tx, 'post.liked', like())).catch((e: unknown) => e);
    expect((absent as NovaError).rule).toBe('OUTBOX_ENQUEUE_FAILED');
    expect((absent as NovaError).hint).toContain('outbox migrate');
  });
});

function stringHeaders(message: KafkaMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
}

describe('three relays, one killed with SIGKILL mid-run and restarted', () => {
  it('puts every committed event on Kafka in commit order per key, and an idempotent consumer handles each once', async () => {
    const { run, schema, table, topics, outbox } = await setup(6);
    const aggregates = Array.from({ length: 100 }, () => randomUUID());
    const perAggregate = 50;
    const handled = new Map<string, number>();
    const orderByKey = new Map<string, number[]>();
    const redis = new Redis(process.env['NOVA_REDIS_URL'] ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const consumer = createConsumer({
      kafka: kafka(),
      registry: { url: registryUrl },
      groupId: `${run}-feed`,
      fromBeginning: true,
      topics,
      idempotency: redisIdempotencyStore(redis, { prefix: `test:${run}:`, ttlSeconds: 600 }),
    });
    consumer.on('post.liked', (event, meta) => {
      handled.set(meta.eventId!, (handled.get(meta.eventId!) ?? 0) + 1);
      const order = orderByKey.get(event.post_id) ?? [];
      order.push(Number(meta.eventId!.split('/')[1]));
      orderByKey.set(event.post_id, order);
    });
    await consumer.run();

    const processes: ChildProcess[] = [];
    const startRelay = () => {
      const child = spawn(
        process.execPath,
        [join(repoRoot, 'bin', 'nova-events.js'), 'relay', '--schema', schema, '--batch-size', '50', '--poll-interval', '200', '--brokers', brokers.join(',')],
        { env: { ...process.env, NOVA_OUTBOX_DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      processes.push(child);
      return child;
    };
    try {
      const [victim] = [startRelay(), startRelay(), startRelay()];
      // Each aggregate's events commit one after another; the aggregates run concurrently.
      const enqueueing = Promise.all(
        aggregates.map(async (postId) => {
          for (let n = 0; n < perAggregate; n++) {
            await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', like(postId), { eventId: `${postId}/${n}` }));
          }
        }),
      );
      let published = 0;
      await waitFor(() => published >= 1500, 'the relays to publish 1,500 rows', 90_000, async () => {
        published = (await outboxStatus(pool, table)).published;
      });
      victim!.kill('SIGKILL');
      const exit = await new Promise<NodeJS.Signals | null>((resolve) => victim!.once('exit', (_code, signal) => resolve(signal)));
      expect(exit).toBe('SIGKILL');
      expect(published).toBeLessThan(aggregates.length * perAggregate);
      startRelay();
      await enqueueing;

      const total = aggregates.length * perAggregate;
      await waitFor(() => handled.size === total, `all ${total} events handled`, 110_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(handled.size).toBe(total);
      expect([...handled.values()].every((count) => count === 1)).toBe(true);
      for (const postId of aggregates) expect(orderByKey.get(postId)).toEqual(Array.from({ length: perAggregate }, (_, n) => n));
      expect(await outboxStatus(pool, table)).toMatchObject({ pending: 0, dead: 0, published: total });
    } finally {
      for (const child of processes) child.kill('SIGTERM');
      await Promise.all(processes.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
      await consumer.stop();
      await redis.quit();
    }
  });
});

describe('the claim query', () => {
  it('walks the pending index in order even once the table has statistics (no scan and sort of every pending row)', async () => {
    const { table, outbox } = await setup();
    const keys = Array.from({ length: 200 }, () => randomUUID());
    await inTransaction(pool, async (tx) => {
      for (let i = 0; i < 3000; i++) await outbox.enqueue(tx, 'post.liked', like(keys[i % keys.length]));
    });
    await pool.query(`ANALYZE ${table.qualified}`);
    const script = relayStatements(table).claimBatch(100).replace('WITH heads AS', 'EXPLAIN (COSTS OFF) WITH heads AS');
    const client = await pool.connect();
    try {
      const results = (await client.query(script)) as unknown as { rows: Record<string, string>[] }[];
      const plan = results[results.length - 1]!.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain(`Index Scan using ${table.prefix}_pending_idx`);
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('outages', () => {
  it('keeps the rows while Kafka is unreachable, logs it once, and resumes by itself without spending attempts', async () => {
    const { schema, table, topics, outbox } = await setup();
    const gate = kafkaGate();
    const logs: string[] = [];
    const gated = new Kafka({ clientId: 'gated-relay', brokers, logLevel: logLevel.NOTHING, socketFactory: gate.socketFactory, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 }, connectionTimeout: 1000, requestTimeout: 2000 });
    const r = relay(schema, { kafka: gated, logger: (_level, message) => logs.push(message), outageBackoff: { initialDelayMs: 100, maxDelayMs: 500 } });
    void r.run();
    const enqueue = (count: number) => inTransaction(pool, async (tx) => {
      for (let i = 0; i < count; i++) await outbox.enqueue(tx, 'post.liked', like());
    });
    await enqueue(20);
    let status = await outboxStatus(pool, table);
    await waitFor(() => status.published === 20, 'the first 20 published', 30_000, async () => {
      status = await outboxStatus(pool, table);
    });
    gate.close();
    await enqueue(30);
    await waitFor(() => r.state === 'kafka-unavailable', 'the relay to notice the outage', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await outboxStatus(pool, table)).toMatchObject({ pending: 30, dead: 0, published: 20 });
    expect(logs.filter((line) => line.startsWith('Kafka is unavailable'))).toHaveLength(1);
    gate.open();
    await waitFor(() => status.published === 50, 'all 50 published after Kafka came back', 60_000, async () => {
      status = await outboxStatus(pool, table);
    });
    expect(r.state).toBe('running');
    expect(logs.some((line) => line.startsWith('relay resumed'))).toBe(true);
    const { rows } = await pool.query(`SELECT max(retry_count) AS attempts FROM ${table.qualified}`);
    expect(Number(rows[0].attempts)).toBe(0);
    const received = await readRaw(kafka(), [topics['nova.content.events']!], 50);
    expect(new Set(received.map((m) => String(m.message.headers!['event_id']))).size).toBe(50);
  });

  it('survives its PostgreSQL connections being terminated, and loses nothing', async () => {
    const { run, schema, table, outbox } = await setup();
    const application = `relay-${run}`;
    const relayPool = testPool(application, 4);
    try {
      const r = relay(schema, { pool: relayPool as unknown as RelayPool, outageBackoff: { initialDelayMs: 100, maxDelayMs: 500 } });
      void r.run();
      let status = await outboxStatus(pool, table);
      let killed = 0;
      for (let round = 0; round < 5; round++) {
        await inTransaction(pool, async (tx) => {
          for (let i = 0; i < 40; i++) await outbox.enqueue(tx, 'post.liked', like());
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        killed += await terminateConnections(pool, application);
      }
      // Its LISTEN connection and whatever batch connection it held, most rounds (it reconnects between them).
      expect(killed).toBeGreaterThanOrEqual(3);
      await waitFor(() => status.published === 200, 'all 200 published after the connections were killed', 60_000, async () => {
        status = await outboxStatus(pool, table);
      });
      expect(status).toMatchObject({ pending: 0, dead: 0 });
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await relayPool.end();
    }
  });
});

describe('a poison row', () => {
  it('is retried with backoff, dead-lettered with its bytes and reason, and its aggregate and the others go on', async () => {
    const { schema, table, topics, outbox } = await setup();
    const admin = kafka().admin();
    await admin.connect();
    const mediaTopic = topics['nova.media.events']!;
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: mediaTopic, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }] });
    await admin.disconnect();
    const media = specs.find((s) => s.type === 'media.uploaded')!;
    const uploadId = randomUUID();
    const poison = { ...keyedSample(media, uploadId), filename: 'x'.repeat(5000) };
    const { eventId: poisonId } = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'media.uploaded', poison as never));
    const { eventId: behindId } = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'media.uploaded', keyedSample(media, uploadId) as never));
    const others = await inTransaction(pool, async (tx) => [
      await outbox.enqueue(tx, 'media.uploaded', keyedSample(media) as never),
      await outbox.enqueue(tx, 'post.liked', like()),
    ]);
    const r = relay(schema, { maxAttempts: 3, retry: { initialDelayMs: 100, maxDelayMs: 300 } });
    void r.run();
    let status = await outboxStatus(pool, table);
    await waitFor(() => status.dead === 1 && status.pending === 0, 'the poison row dead and the rest published', 30_000, async () => {
      status = await outboxStatus(pool, table);
    });
    expect(status).toMatchObject({ dead: 1, published: 3 });
    const { rows } = await pool.query(`SELECT id, retry_count, last_error FROM ${table.qualified} WHERE dead_at IS NOT NULL`);
    expect(rows).toEqual([expect.objectContaining({ id: poisonId, retry_count: 3 })]);
    expect(rows[0].last_error).toMatch(/larger than the max message size/);
    const [dead] = await readRaw(kafka(), [`${mediaTopic}.dlq`], 1);
    expect(String(dead!.message.headers!['dlq_reason'])).toBe('OUTBOX_PUBLISH_FAILED');
    expect(String(dead!.message.headers!['event_id'])).toBe(poisonId);
    expect(String(dead!.message.headers!['dlq_attempts'])).toBe('3');
    expect(dead!.message.key!.toString()).toBe(uploadId);
    const published = await readRaw(kafka(), [mediaTopic, topics['nova.content.events']!], 3);
    expect(new Set(published.map((m) => String(m.message.headers!['event_id'])))).toEqual(new Set([behindId, ...others.map((o) => o.eventId)]));
  });
});
