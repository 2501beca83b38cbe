import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createProducer } from '../../src/index.js';
import { createCatalogConsumer, createCatalogProducer, type ConsumeOutcome } from '../../src/runtime/index.js';
import { partitionForKey } from '../../src/runtime/partitioner.js';
import { catalog } from '../../generated/catalog.js';
import type { EventCatalog, EventSpec } from '../../src/runtime/event-spec.js';
import { NovaError } from '../../src/util/errors.js';
import { createTopics, kafka, readRaw, registerAll, registryUrl, runId, keyedSample, specs, topicsFor, waitFor } from './support.js';

const client = kafka();
const registry = { url: registryUrl };
let ids: Map<string, number>;

beforeAll(async () => {
  ids = await registerAll(specs);
});

const partitionsOf = new Map([...new Set(specs.map((s) => s.topic))].map((t) => [t, t === 'nova.content.events' ? 6 : 3]));

async function topicsForRun(run: string): Promise<Record<string, string>> {
  const topics = topicsFor(run);
  await createTopics(client, Object.entries(topics).map(([name, topic]) => ({ topic, numPartitions: partitionsOf.get(name) ?? 1 })));
  return topics;
}

function only(spec: EventSpec, versions: number[]): EventCatalog {
  return { [spec.type]: { ...spec, versions: spec.versions.filter((v) => versions.includes(v.version)) } };
}

describe('round trip of every event type', () => {
  it('frames with magic byte 0 and the registry id, keys by aggregate id, and decodes the same payload', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const producer = createProducer({ kafka: client, registry, source: 'round-trip-test', topics });
    const sent = specs.map((spec) => ({ spec, payload: keyedSample(spec) }));
    const published = await producer.publishBatch(sent.map(({ spec, payload }) => ({ type: spec.type, payload }) as never));
    await producer.disconnect();
    expect(published).toHaveLength(specs.length);

    const raw = await readRaw(client, [...new Set(specs.map((s) => topics[s.topic]!))], specs.length);
    const byEventId = new Map(raw.map((r) => [r.message.headers!['event_id']!.toString(), r]));
    for (const [i, { spec, payload }] of sent.entries()) {
      const record = byEventId.get(published[i]!.eventId)!;
      const value = record.message.value!;
      expect(value[0], spec.type).toBe(0);
      expect(value.readUInt32BE(1), spec.type).toBe(ids.get(`${spec.type}@${spec.versions.length}`));
      expect(record.message.key!.toString(), spec.type).toBe(payload[spec.key]);
      expect(record.partition, spec.type).toBe(partitionForKey(payload[spec.key] as string, partitionsOf.get(spec.topic)!));
      const headers = Object.fromEntries(Object.entries(record.message.headers!).map(([k, v]) => [k, String(v)]));
      expect(headers).toMatchObject({
        event_type: spec.type,
        ce_type: spec.type,
        ce_id: published[i]!.eventId,
        ce_specversion: '1.0',
        ce_source: 'round-trip-test',
        ce_subject: payload[spec.key],
        schema_version: String(spec.versions.length),
        'content-type': spec.schemaType === 'AVRO' ? 'application/avro' : 'application/json',
      });
      expect(headers['correlation_id']).toBe(published[i]!.eventId);
      expect(Date.parse(headers['ce_time']!)).not.toBeNaN();
    }

    const received = new Map<string, { event: unknown; schemaId: number; key: string | null }>();
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-all`, fromBeginning: true, topics });
    for (const spec of specs) {
      consumer.on(spec.type as never, (event: unknown, meta) => {
        received.set(meta.eventId!, { event, schemaId: meta.schemaId, key: meta.key });
      });
    }
    await consumer.run();
    try {
      await waitFor(() => received.size === specs.length, `${specs.length} typed events`);
    } finally {
      await consumer.stop();
    }
    for (const [i, { spec, payload }] of sent.entries()) {
      const got = received.get(published[i]!.eventId)!;
      expect(got.event, spec.type).toEqual(payload);
      expect(got.key).toBe(payload[spec.key]);
    }
  });
});

describe('evolution', () => {
  it('reads an older writer as the newest version: renamed field by alias, defaults filled', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const spec = catalog['post.created'] as EventSpec;
    const writerV1 = createCatalogProducer<Record<string, object>>(only(spec, [1]), { kafka: client, registry, topics });
    const post = { post_id: randomUUID(), user_id: randomUUID(), caption: 'hello', media_type: 'IMAGE', status: 'PUBLISHED', created_at: new Date(1_700_000_000_000) };
    await writerV1.publish('post.created', post);
    await writerV1.disconnect();

    const seen: { event: Record<string, unknown>; writer: number | undefined; reader: number }[] = [];
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-evolve`, fromBeginning: true, topics });
    consumer.on('post.created', (event, meta) => {
      seen.push({ event: event as unknown as Record<string, unknown>, writer: meta.writerVersion, reader: meta.readerVersion });
    });
    await consumer.run();
    await waitFor(() => seen.length === 1, 'the v1 event').finally(() => consumer.stop());
    expect(seen[0]).toMatchObject({ writer: 1, reader: 2 });
    expect({ ...seen[0]!.event }).toEqual({
      post_id: post.post_id,
      author_id: post.user_id,
      caption: 'hello',
      title: null,
      content: null,
      media_type: 'IMAGE',
      status: 'PUBLISHED',
      privacy: 'PUBLIC',
      tags: [],
      media_ids: [],
      created_at: post.created_at,
    });
  });

  it('reads a newer writer as an older reader where the level allows it (user.created is FULL_TRANSITIVE)', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const spec = catalog['user.created'] as EventSpec;
    const producer = createCatalogProducer<Record<string, object>>(only(spec, [1, 2]), { kafka: client, registry, topics });
    const user = keyedSample(spec);
    await producer.publish('user.created', user);
    await producer.disconnect();
    const seen: Record<string, unknown>[] = [];
    const oldConsumer = createCatalogConsumer<Record<string, object>>(only(spec, [1]), { kafka: client, registry, groupId: `${run}-old`, fromBeginning: true, topics });
    oldConsumer.on('user.created', (event, meta) => {
      expect(meta).toMatchObject({ writerVersion: undefined, readerVersion: 1 });
      seen.push(event as Record<string, unknown>);
    });
    await oldConsumer.run();
    await waitFor(() => seen.length === 1, 'the v2 event read as v1').finally(() => oldConsumer.stop());
    const v1Fields = (JSON.parse(spec.versions[0]!.schema) as { fields: { name: string }[] }).fields.map((f) => f.name);
    expect(Object.keys(seen[0]!).sort()).toEqual([...v1Fields].sort());
    for (const field of v1Fields) expect(seen[0]![field]).toEqual(user[field]);
  });
});

describe('ordering', () => {
  it('delivers the events of each aggregate in order across partitions', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked'] });
    const posts = Array.from({ length: 30 }, () => randomUUID());
    const sentPerKey = new Map<string, string[]>(posts.map((p) => [p, []]));
    for (let round = 0; round < 4; round++) {
      const batch = Array.from({ length: 150 }, (_, i) => ({ type: 'post.liked' as const, payload: { post_id: posts[i % posts.length]!, user_id: randomUUID(), liked_at: new Date() } }));
      const published = await producer.publishBatch(batch);
      published.forEach((event, i) => sentPerKey.get(batch[i]!.payload.post_id)!.push(event.eventId));
    }
    await producer.disconnect();
    const receivedPerKey = new Map<string, string[]>(posts.map((p) => [p, []]));
    const partitions = new Set<number>();
    let count = 0;
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-order`, fromBeginning: true, topics });
    consumer.on('post.liked', (event, meta) => {
      receivedPerKey.get(event.post_id)!.push(meta.eventId!);
      partitions.add(meta.partition);
      count++;
    });
    await consumer.run();
    await waitFor(() => count >= 600, '600 events').finally(() => consumer.stop());
    expect(count).toBe(600);
    expect(partitions.size).toBeGreaterThan(1);
    for (const post of posts) expect(receivedPerKey.get(post)).toEqual(sentPerKey.get(post));
  });
});

describe('faults', () => {
  it('dead-letters poison messages and failed handlers with the reasons, and goes on', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const topic = topics['nova.content.events']!;
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked'] });
    const good = (post_id: string) => ({ post_id, user_id: randomUUID(), liked_at: new Date() });
    await producer.connect();
    const valid = producer.encode('post.liked', good(randomUUID()));
    const raw = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await raw.connect();
    const poison = [
      { key: 'wrong-magic', value: Buffer.from([7, 0, 0, 0, 1, 2, 3]), headers: { event_type: 'post.liked' } },
      { key: 'unknown-id', value: Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2]), headers: { event_type: 'post.liked' } },
      { key: 'truncated', value: valid.message.value.subarray(0, 12), headers: valid.message.headers! },
    ];
    await raw.send({ topic, messages: poison });
    await raw.disconnect();
    const failing = randomUUID();
    const failedAt = await producer.publish('post.liked', good(failing));
    const later = randomUUID();
    await producer.publish('post.liked', good(later));
    await producer.disconnect();

    const outcomes: ConsumeOutcome[] = [];
    const handled: string[] = [];
    let attempts = 0;
    const consumer = createConsumer({
      kafka: client,
      registry,
      groupId: `${run}-dlq`,
      fromBeginning: true,
      topics,
      retry: { retries: 2, initialDelayMs: 10 },
      onOutcome: (o) => outcomes.push(o),
    });
    consumer.on('post.liked', (event) => {
      if (event.post_id === failing) {
        attempts++;
        throw new Error(`cannot like ${event.post_id}`);
      }
      handled.push(event.post_id);
    });
    await consumer.run();
    await waitFor(() => handled.includes(later) && outcomes.filter((o) => o.outcome === 'dead-lettered').length >= 4, 'the later event and 4 dead letters').finally(() => consumer.stop());
    expect(outcomes.filter((o) => o.outcome === 'dead-lettered')).toHaveLength(4);
    expect(attempts).toBe(3);

    const dead = await readRaw(client, [`${topic}.dlq`], 4);
    const reasons = new Map(dead.map((d) => [d.message.key!.toString(), Object.fromEntries(Object.entries(d.message.headers!).map(([k, v]) => [k, String(v)]))]));
    expect(reasons.get('wrong-magic')).toMatchObject({ dlq_reason: 'UNDECODABLE_MESSAGE', dlq_source_topic: topic, dlq_attempts: '0', event_type: 'post.liked' });
    expect(reasons.get('unknown-id')).toMatchObject({ dlq_reason: 'UNKNOWN_SCHEMA_ID' });
    expect(reasons.get('truncated')).toMatchObject({ dlq_reason: 'UNDECODABLE_MESSAGE' });
    expect(reasons.get('truncated')!['dlq_error']).toContain('truncated');
    const failed = reasons.get(failing)!;
    expect(failed).toMatchObject({ dlq_reason: 'HANDLER_FAILED', dlq_attempts: '3', dlq_error: `cannot like ${failing}`, dlq_consumer_group: `${run}-dlq` });
    expect(failed['dlq_stack']).toContain('runtime.test.ts');
    expect(failed).toMatchObject({ dlq_source_partition: String(failedAt.partition), dlq_source_offset: failedAt.offset });
    const original = dead.find((d) => d.message.key!.toString() === failing)!;
    expect(original.message.value![0]).toBe(0);
  });

  it('fails fast with a clear error when the registry is unreachable', async () => {
    const producer = createProducer({ kafka: client, registry: { url: 'http://user:hunter2@127.0.0.1:9', timeoutMs: 2_000 } });
    const started = Date.now();
    const error = await producer.connect().then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(NovaError);
    expect((error as NovaError).rule).toBe('REGISTRY_UNAVAILABLE');
    expect((error as NovaError).message).toContain('127.0.0.1:9');
    expect((error as NovaError).message).not.toContain('hunter2');
  });

  it('auto-registers a missing contract at the contract\'s level, not the library\'s default', async () => {
    const spec = { ...(catalog['post.liked'] as EventSpec), subject: `auto-${randomUUID()}` };
    const producer = createCatalogProducer({ [spec.type]: spec }, { kafka: client, registry, autoRegister: true });
    await producer.connect();
    await producer.disconnect();
    const config = (await (await fetch(`${registryUrl}/config/${spec.subject}`)).json()) as { compatibilityLevel: string };
    expect(config.compatibilityLevel).toBe(spec.compatibility);
  });

  it('fails fast at connect when a contract is not registered', async () => {
    const spec = { ...(catalog['post.liked'] as EventSpec), subject: `unregistered-${randomUUID()}` };
    const producer = createCatalogProducer({ [spec.type]: spec }, { kafka: client, registry });
    await expect(producer.connect()).rejects.toMatchObject({ rule: 'CONTRACT_NOT_REGISTERED' });
  });
});
