import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createOutbox, createOutboxRelay, createProducer } from '../../src/index.js';
import type { RelayPool } from '../../src/outbox/relay.js';
import { DLQ_HEADER, LEGACY_COPY_HEADER, type ConsumeOutcome, type EventMeta } from '../../src/runtime/index.js';
import { dropSchema, freshOutbox, inTransaction, testPool } from './postgres.js';
import { createTopics, kafka, readRaw, registerAll, registryUrl, runId, specs, topicsFor, waitFor } from './support.js';

const client = kafka();
const registry = { url: registryUrl };
const pool = testPool('nova-legacy-test', 5);
const schemas: string[] = [];
const TYPES = ['post.created', 'post.status_updated', 'post.deleted', 'media.upload_completed', 'user.created'];

/** The seeds' JSON examples exactly (000), with the `event_type` header their services set. */
const SEED = {
  postCreated: '{"post_id":"uuid","user_id":"uuid","caption":"text","media_type":"image","status":"published","created_at":"2025-01-15T10:30:00Z"}',
  postStatusUpdated: '{"post_id":"uuid","user_id":"uuid","new_status":"archived","updated_at":"2025-01-15T10:30:00Z"}',
  postDeleted: '{"post_id":"uuid","user_id":"uuid","deleted_at":"2025-01-15T10:30:00Z"}',
  mediaUploaded: '{"upload_id":"uuid","media_id":"uuid","user_id":"uuid","file_name":"example.jpg","size_bytes":123456,"uploaded_at":"2025-01-15T10:30:00Z"}',
  userCreated: '{"user_id":"uuid","username":"username","email":"user@example.com","created_at":"2025-01-15T10:30:00Z"}',
};
const at = new Date('2025-01-15T10:30:00Z');

beforeAll(async () => {
  await registerAll(specs.filter((s) => TYPES.includes(s.type)));
});

afterAll(async () => {
  for (const schema of schemas) await dropSchema(pool, schema);
  await pool.end();
});

async function topicsForRun(run: string): Promise<Record<string, string>> {
  const topics = topicsFor(run);
  await createTopics(client, Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })));
  return topics;
}

/** A service of the running platform: plain kafkajs, JSON values, an `event_type` header. */
async function legacyProducer(messages: { topic: string; key: string; value: string; headers: Record<string, string> }[]): Promise<void> {
  const producer = client.producer();
  await producer.connect();
  try {
    for (const m of messages) await producer.send({ topic: m.topic, messages: [{ key: m.key, value: m.value, headers: m.headers }] });
  } finally {
    await producer.disconnect();
  }
}

describe('a legacy producer -> our consumer', () => {
  it("hands each of the seeds' JSON events to its handler as the typed payload; malformed ones go to the DLQ with the reason, and later events are still handled", async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const content = topics['nova.content.events']!;
    const media = topics['nova.media.events']!;
    const identity = topics['nova.identity.events']!;
    const envelopeId = randomUUID();
    await legacyProducer([
      { topic: content, key: 'uuid', value: SEED.postCreated, headers: { event_type: 'content.post.created', event_id: 'e-created' } },
      { topic: content, key: 'uuid', value: '{"post_id":"uuid",', headers: { event_type: 'content.post.created', event_id: 'e-truncated' } },
      { topic: content, key: 'uuid', value: SEED.postCreated.replace('"image"', '"gif"'), headers: { event_type: 'content.post.created', event_id: 'e-gif' } },
      { topic: content, key: 'uuid', value: SEED.postStatusUpdated, headers: { event_type: 'content.post.status_updated', event_id: 'e-status' } },
      { topic: content, key: 'uuid', value: SEED.postDeleted, headers: { event_type: 'content.post.deleted' } },
      { topic: content, key: 'uuid', value: SEED.postDeleted, headers: { event_type: 'content.post.deleted', event_id: 'e-deleted' } },
      { topic: media, key: 'uuid', value: SEED.mediaUploaded, headers: { event_type: 'media.upload.completed', event_id: 'e-media' } },
      { topic: identity, key: 'uuid', value: SEED.userCreated, headers: { event_type: 'identity.user.created', event_id: 'e-user' } },
      // 004's envelope: its id is the event id.
      { topic: identity, key: 'u-2', value: JSON.stringify({ id: envelopeId, event_type: 'user.created', aggregate_id: 'u-2', aggregate_type: 'user', version: 1, data: JSON.stringify({ user_id: 'u-2', email: 'b@example.com', username: 'b', created_at: '2025-01-15T10:30:00Z', source: 'web' }), metadata: '{}', correlation_id: 'c', causation_id: null, created_at: '2025-01-15T10:30:00Z', created_by: 'u-2' }), headers: {} },
    ]);

    const seen: { type: string; payload: Record<string, unknown>; meta: EventMeta }[] = [];
    const outcomes: ConsumeOutcome[] = [];
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-legacy`, fromBeginning: true, topics, onOutcome: (o) => outcomes.push(o) });
    for (const type of TYPES) {
      consumer.on(type as 'post.created', (payload, meta) => {
        seen.push({ type, payload: payload as unknown as Record<string, unknown>, meta: meta as EventMeta });
      });
    }
    await consumer.run();
    await waitFor(() => outcomes.length >= 9, 'nine outcomes').finally(() => consumer.stop());

    const byId = Object.fromEntries(seen.map((s) => [s.meta.eventId, s]));
    expect(byId['e-created']).toMatchObject({ type: 'post.created', payload: { post_id: 'uuid', author_id: 'uuid', caption: 'text', media_type: 'IMAGE', status: 'PUBLISHED', privacy: 'PUBLIC', created_at: at }, meta: { encoding: 'json-payload', writerVersion: 1, readerVersion: 2 } });
    expect(byId['e-status']).toMatchObject({ type: 'post.status_updated', payload: { new_status: 'ARCHIVED', updated_at: at } });
    expect(byId['e-deleted']).toMatchObject({ type: 'post.deleted', payload: { author_id: 'uuid', deleted_at: at, deleted_by: null } });
    expect(byId['e-media']).toMatchObject({ type: 'media.upload_completed', payload: { size_bytes: 123456n, file_name: 'example.jpg' } });
    expect(byId['e-user']).toMatchObject({ type: 'user.created', payload: { username: 'username', email: 'user@example.com', created_at: at } });
    expect(byId[envelopeId]).toMatchObject({ type: 'user.created', payload: { user_id: 'u-2', username: 'b' }, meta: { encoding: 'json-envelope', eventId: envelopeId } });
    expect(seen).toHaveLength(6);

    const dead = await readRaw(client, [`${content}.dlq`], 3);
    const reasons = Object.fromEntries(dead.map((d) => [String(d.message.headers?.['event_id'] ?? '(none)'), { reason: String(d.message.headers?.[DLQ_HEADER.reason]), error: String(d.message.headers?.[DLQ_HEADER.error]) }]));
    expect(reasons['e-truncated']).toMatchObject({ reason: 'LEGACY_UNDECODABLE', error: expect.stringContaining('not JSON') });
    expect(reasons['e-gif']).toMatchObject({ reason: 'LEGACY_UNMAPPABLE', error: expect.stringContaining('field "media_type"') });
    // A payload-only message without an id cannot be deduplicated: dead-lettered unless legacy.eventIds is 'handle'.
    expect(reasons['(none)']).toMatchObject({ reason: 'EVENT_ID_MISSING' });
  });
});

describe('our producer with dual publish -> a legacy consumer', () => {
  it("writes 000's JSON next to the new event in one batch: the old consumer's filter and JSON.parse get the seeds' shape, and our consumer handles the event once", async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const content = topics['nova.content.events']!;
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.created'], source: 'content-service', legacy: { dualPublish: ['post.created'] } });
    await producer.connect();
    const postId = randomUUID();
    const result = await producer.publish('post.created', { post_id: postId, author_id: 'u-1', caption: 'hi', media_type: 'VIDEO', status: 'PUBLISHED', created_at: at, tags: ['t'] });
    await producer.publishBatch([{ type: 'post.created', payload: { post_id: postId, author_id: 'u-1', media_type: 'NONE', status: 'DRAFT', created_at: new Date(at.getTime() + 1) } }]);
    await producer.disconnect();
    expect(result.topic).toBe(content);

    // feed-service's consumer of seed 000, in kafkajs: filter on the header, parse the JSON.
    const raw = await readRaw(client, [content], 4);
    const legacySeen = raw
      .filter((r) => r.message.headers?.['event_type']?.toString() === 'content.post.created')
      .map((r) => ({ event: JSON.parse(r.message.value!.toString()) as Record<string, unknown>, key: r.message.key?.toString(), id: r.message.headers?.['event_id']?.toString() }));
    expect(legacySeen).toEqual([
      { key: postId, id: result.eventId, event: { post_id: postId, user_id: 'u-1', caption: 'hi', media_type: 'video', status: 'published', created_at: '2025-01-15T10:30:00Z' } },
      { key: postId, id: expect.any(String), event: { post_id: postId, user_id: 'u-1', caption: null, media_type: 'none', status: 'draft', created_at: '2025-01-15T10:30:00.001Z' } },
    ]);
    expect(Object.keys(legacySeen[0]!.event)).toEqual(Object.keys(JSON.parse(SEED.postCreated)));
    // The copy follows its event on the same partition.
    expect(raw.map((r) => r.message.headers?.['event_type']?.toString())).toEqual(['post.created', 'content.post.created', 'post.created', 'content.post.created']);

    const handled: EventMeta[] = [];
    const outcomes: ConsumeOutcome[] = [];
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-new`, fromBeginning: true, topics, onOutcome: (o) => outcomes.push(o) });
    consumer.on('post.created', (_payload, meta) => {
      handled.push(meta);
    });
    await consumer.run();
    await waitFor(() => outcomes.length >= 4, 'four outcomes').finally(() => consumer.stop());
    expect(handled.map((m) => m.encoding)).toEqual(['avro', 'avro']);
    expect(outcomes.map((o) => o.outcome)).toEqual(['handled', 'skipped', 'handled', 'skipped']);
  });
});

describe('the outbox with dual publish', () => {
  it('stores the legacy copy with the row, and the relay sends both in one batch', async () => {
    const run = runId();
    const schema = `legacy_${run}`;
    schemas.push(schema);
    await freshOutbox(pool, schema);
    const topics = await topicsForRun(run);
    const content = topics['nova.content.events']!;
    const outbox = createOutbox({ registry, schema, topics, source: 'content-service', events: ['post.deleted', 'post.created'], legacy: { dualPublish: ['post.deleted'] } });
    await outbox.connect();
    const postId = randomUUID();
    const { eventId } = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.deleted', { post_id: postId, author_id: 'u-9', deleted_at: at, reason: 'USER' }));
    await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.created', { post_id: postId, author_id: 'u-9', media_type: 'NONE', status: 'DRAFT', created_at: at }));
    const relay = createOutboxRelay({ pool: pool as unknown as RelayPool, kafka: kafka(), schema, pollIntervalMs: 200, logger: () => {} });
    void relay.run();
    try {
      const raw = await readRaw(client, [content], 3);
      expect(raw.map((r) => r.message.headers?.['event_type']?.toString())).toEqual(['post.deleted', 'content.post.deleted', 'post.created']);
      const copy = raw[1]!.message;
      expect(JSON.parse(copy.value!.toString())).toEqual({ post_id: postId, user_id: 'u-9', deleted_at: '2025-01-15T10:30:00Z', reason: 'user' });
      expect(copy.key?.toString()).toBe(postId);
      expect(copy.headers?.['event_id']?.toString()).toBe(eventId);
      expect(copy.headers?.[LEGACY_COPY_HEADER]?.toString()).toBe('true');
    } finally {
      await relay.stop();
    }
  });
});
