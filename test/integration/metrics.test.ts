import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createOutbox, createOutboxRelay, createProducer } from '../../src/index.js';
import { outboxStatus } from '../../src/outbox/admin.js';
import type { RelayPool } from '../../src/outbox/relay.js';
import type { ConsumeOutcome } from '../../src/runtime/consumer.js';
import { samplesOf, serveMetrics, valueOf } from './exposition.js';
import { dropSchema, freshOutbox, inTransaction, testPool } from './postgres.js';
import { createTopics, kafka, keyedSample, registerAll, registryUrl, runId, specs, topicsFor, waitFor } from './support.js';

const client = kafka();
const registry = { url: registryUrl };
const pool = testPool('nova-metrics-test', 5);
const schemas: string[] = [];
const spec = (type: string) => specs.find((s) => s.type === type)!;

beforeAll(async () => {
  await registerAll(specs.filter((s) => ['post.liked', 'post.created'].includes(s.type)));
});

afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

describe('a real scrape of the consumer and producer metrics', () => {
  it('counts what was produced and handled, by catalog labels only, and the lag drops to 0', async () => {
    const run = runId();
    const topics = topicsFor(run);
    const topic = topics['nova.content.events']!;
    await createTopics(client, [{ topic, numPartitions: 3 }]);
    const group = `${run}-feed-service`;
    const producerRegistry = new Registry();
    const consumerRegistry = new Registry();

    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked', 'post.created'], metrics: { registry: producerRegistry } });
    const failing = randomUUID();
    await producer.publishBatch([
      ...Array.from({ length: 5 }, () => ({ type: 'post.liked' as const, payload: keyedSample(spec('post.liked')) as never })),
      ...Array.from({ length: 3 }, () => ({ type: 'post.created' as const, payload: keyedSample(spec('post.created')) as never })),
    ]);
    await producer.publish('post.created', keyedSample(spec('post.created'), failing) as never);
    await expect(producer.publish('post.liked', { post_id: 'p' } as never)).rejects.toThrow();
    await producer.disconnect();
    // A type no catalog has, with a header of its own: one `unknown` series, never its value.
    const raw = client.producer();
    await raw.connect();
    await raw.send({ topic, messages: [{ key: 'k', value: Buffer.from([0, 0, 0, 0, 1]), headers: { event_type: `post.exploded.${randomUUID()}`, event_id: randomUUID() } }] });
    await raw.disconnect();

    const outcomes: ConsumeOutcome[] = [];
    const consumer = createConsumer({
      kafka: client,
      registry,
      groupId: group,
      topics,
      fromBeginning: true,
      readLegacyTopics: false,
      retry: { retries: 1, initialDelayMs: 10 },
      metrics: { registry: consumerRegistry },
      onOutcome: (o) => outcomes.push(o),
    });
    consumer.on('post.liked', () => {});
    consumer.on('post.created', (_, meta) => {
      if (meta.key === failing) throw new Error('the handler cannot take this one');
    });
    expect(consumer.health()).toMatchObject({ connected: false, ready: false, live: true });
    const served = await serveMetrics(consumerRegistry);
    const producerServed = await serveMetrics(producerRegistry);
    try {
      await consumer.run();
      await waitFor(() => outcomes.length >= 10, 'ten outcomes', 60_000);
      await waitFor(() => consumer.health().ready, 'group membership');

      const published = await producerServed.scrape();
      expect(valueOf(published, 'events_published_total', { event_type: 'post.liked', topic })).toBe(5);
      expect(valueOf(published, 'events_published_total', { event_type: 'post.created', topic })).toBe(4);
      expect(valueOf(published, 'events_publish_failures_total', { event_type: 'post.liked', topic })).toBe(1);

      const samples = await served.scrape();
      const consumed = (type: string, outcome: string) => valueOf(samples, 'events_consumed_total', { event_type: type, topic, group, outcome });
      expect(consumed('post.liked', 'handled')).toBe(5);
      expect(consumed('post.created', 'handled')).toBe(3);
      expect(consumed('post.created', 'dead-lettered')).toBe(1);
      expect(consumed('unknown', 'skipped')).toBe(1);
      expect(samplesOf(samples, 'events_consumed_total').reduce((n, s) => n + s.value, 0)).toBe(outcomes.length);
      expect(valueOf(samples, 'events_dead_lettered_total', { reason: 'HANDLER_FAILED', topic })).toBe(1);
      expect(valueOf(samples, 'event_processing_duration_seconds_count', { event_type: 'post.liked', group })).toBe(5);
      expect(valueOf(samples, 'event_processing_duration_seconds_count', { event_type: 'post.created', group })).toBe(4);
      const lag = samplesOf(samples, 'kafka_consumer_lag', { group, topic });
      expect(lag.length).toBeGreaterThan(0);
      expect(lag.every((s) => s.value === 0 && /^[0-2]$/.test(s.labels['partition']!))).toBe(true);
      // Labels are the catalog's and the broker's: no header value reached a series.
      const values = new Set(samples.flatMap((s) => Object.values(s.labels)));
      expect([...values].filter((v) => v.startsWith('post.exploded'))).toEqual([]);

      const health = consumer.health();
      expect(health).toMatchObject({ connected: true, groupMember: true, groupId: group, ready: true, live: true, crash: undefined });
      expect(health.memberId).toEqual(expect.any(String));
      expect(Object.keys(health.assignment)).toEqual([topic]);
      expect(health.lastPollAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(health.lastProcessedAt).toBeInstanceOf(Date);
    } finally {
      await consumer.stop();
      await served.close();
      await producerServed.close();
    }
    expect(consumer.health()).toMatchObject({ connected: false, groupMember: false, ready: false });
  });
});

describe('the relay metrics', () => {
  it("exposes gauges equal to the table's counts, and the publish histogram", async () => {
    const run = runId();
    const schema = `metrics_${run}`;
    schemas.push(schema);
    const table = await freshOutbox(pool, schema);
    const topics = topicsFor(run);
    await createTopics(client, [{ topic: topics['nova.content.events']!, numPartitions: 3 }]);
    const outbox = createOutbox({ registry, schema, topics, events: ['post.liked'] });
    await outbox.connect();
    await inTransaction(pool, async (tx) => {
      for (let i = 0; i < 4; i++) await outbox.enqueue(tx, 'post.liked', keyedSample(spec('post.liked')) as never);
    });
    await pool.query(`UPDATE ${table.qualified} SET dead_at = now(), created_at = now() - interval '1 hour' WHERE seq = (SELECT min(seq) FROM ${table.qualified})`);
    await pool.query(`UPDATE ${table.qualified} SET created_at = now() - interval '90 seconds' WHERE dead_at IS NULL AND seq = (SELECT min(seq) FROM ${table.qualified} WHERE dead_at IS NULL)`);

    const metricsRegistry = new Registry();
    const relay = createOutboxRelay({ pool: pool as unknown as RelayPool, kafka: client, schema, pollIntervalMs: 100, logger: () => {}, metrics: { registry: metricsRegistry, queueIntervalMs: 50 } });
    const served = await serveMetrics(metricsRegistry);
    const gauge = (samples: Awaited<ReturnType<typeof served.scrape>>, name: string) => valueOf(samples, name, {});
    try {
      expect(relay.health()).toMatchObject({ state: 'starting', ready: false, live: true, lastPollAt: undefined, lastPublishAt: undefined });
      await relay.refreshQueueMetrics();
      let samples = await served.scrape();
      const before = await outboxStatus(pool, table);
      expect([gauge(samples, 'outbox_queue_size'), gauge(samples, 'outbox_dead_total')]).toEqual([before.pending, before.dead]);
      expect([before.pending, before.dead]).toEqual([3, 1]);
      // The dead row is older, but only pending rows count for the backlog's age.
      expect(gauge(samples, 'outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(89);
      expect(gauge(samples, 'outbox_oldest_pending_age_seconds')).toBeLessThan(600);

      void relay.run();
      await waitFor(() => relay.health().lastPublishAt !== undefined, 'a published batch');
      await new Promise((r) => setTimeout(r, 400));
      samples = await served.scrape();
      const after = await outboxStatus(pool, table);
      expect([after.pending, after.dead, after.published]).toEqual([0, 1, 3]);
      expect([gauge(samples, 'outbox_queue_size'), gauge(samples, 'outbox_dead_total'), gauge(samples, 'outbox_oldest_pending_age_seconds')]).toEqual([0, 1, 0]);
      expect(gauge(samples, 'outbox_relay_publish_duration_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(relay.health()).toMatchObject({ state: 'running', connected: true, ready: true, live: true });
      expect(relay.health().lastPollAt!.getTime()).toBeGreaterThanOrEqual(relay.health().lastPublishAt!.getTime());
    } finally {
      await relay.stop();
      await served.close();
    }
    expect(relay.health()).toMatchObject({ state: 'stopped', ready: false, live: false });
  });
});
