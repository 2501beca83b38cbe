import { randomUUID } from 'node:crypto';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createProducer } from '../../src/index.js';
import { createCatalogConsumer, memoryIdempotencyStore, type ConsumeOutcome, type EventMeta } from '../../src/runtime/index.js';
import { catalog } from '../../generated/catalog.js';
import type { EventSpec } from '../../src/runtime/event-spec.js';
import { createTopics, kafka, keyedSample, readRaw, registerAll, registryUrl, runId, topicsFor, waitFor } from './support.js';

const client = kafka();
const registry = { url: registryUrl };
const postCreated = catalog['post.created'] as EventSpec;
const postLiked = catalog['post.liked'] as EventSpec;

beforeAll(async () => {
  await registerAll([postCreated, postLiked]);
});

async function topicsForRun(run: string): Promise<Record<string, string>> {
  const topics = topicsFor(run);
  await createTopics(client, Object.values(topics).map((topic) => ({ topic, numPartitions: 1 })));
  return topics;
}

type RawHeaders = Record<string, string | Buffer | null | (string | Buffer | null)[]>;
type RawMessage = { key: string; value: Buffer; headers: RawHeaders };

/**
 * Sends messages as any other client may write them. kafkajs 2.2.4 reads a null header value
 * but cannot write one (its record size computation calls `Buffer.byteLength(null)` and
 * throws): while this send runs a null counts 0 bytes there, and its encoder writes the null.
 */
async function sendRaw(topic: string, messages: RawMessage[]): Promise<void> {
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const byteLength = Buffer.byteLength;
  Buffer.byteLength = ((value: unknown, encoding?: BufferEncoding) => (value === null ? 0 : byteLength(value as string, encoding))) as typeof Buffer.byteLength;
  try {
    await producer.send({ topic, messages: messages.map((m) => ({ ...m, headers: m.headers as IHeaders })) });
  } finally {
    Buffer.byteLength = byteLength;
    await producer.disconnect();
  }
}

const strings = (headers: IHeaders | undefined) => Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v === null ? null : String(v)]));

describe('untrusted headers', () => {
  it('handles messages with null, repeated and non-UTF-8 header values, and goes on', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked'] });
    await producer.connect();
    const postId = randomUUID();
    const like = () => ({ post_id: postId, user_id: randomUUID(), liked_at: new Date(1_700_000_000_000) });
    const [a, b] = [producer.encode('post.liked', like()), producer.encode('post.liked', like())];
    await sendRaw(a.topic, [
      // The sample: `{event_type: 'post.created', event_id: 'e-13', trace: null}`, on post.liked.
      { key: a.message.key, value: a.message.value, headers: { ...(a.message.headers as RawHeaders), trace: null } },
      { key: b.message.key, value: b.message.value, headers: { ...(b.message.headers as RawHeaders), trace: [null, 'x', null], blob: Buffer.from([0xff, 0xfe]), huge: 'h'.repeat(100_000) } },
    ]);
    const later = await producer.publish('post.liked', like());
    await producer.disconnect();

    const seen: EventMeta[] = [];
    const outcomes: ConsumeOutcome[] = [];
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-headers`, fromBeginning: true, topics, onOutcome: (o) => outcomes.push(o) });
    consumer.on('post.liked', (_event, meta) => {
      seen.push(meta);
    });
    await consumer.run();
    await waitFor(() => seen.length >= 3, 'the three events').finally(() => consumer.stop());
    expect(seen.map((m) => m.eventId)).toEqual([a.eventId, b.eventId, later.eventId]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['handled', 'handled', 'handled']);
    expect(seen[0]!.headers.all).not.toHaveProperty('trace');
    expect(seen[1]!.headers.all).toMatchObject({ blob: '\uFFFD\uFFFD', huge: 'h'.repeat(100_000) });
    expect(seen[1]!.headers.all).not.toHaveProperty('trace');
  });

  it('an onOutcome that throws neither stops the partition nor runs a handler twice', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked'] });
    const postId = randomUUID();
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push((await producer.publish('post.liked', { post_id: postId, user_id: randomUUID(), liked_at: new Date() })).eventId);
    await producer.disconnect();
    const handled: string[] = [];
    const consumer = createConsumer({
      kafka: client,
      registry,
      groupId: `${run}-observer`,
      fromBeginning: true,
      topics,
      onOutcome: () => {
        throw new Error('metrics backend down');
      },
    });
    consumer.on('post.liked', (_event, meta) => {
      handled.push(meta.eventId!);
    });
    await consumer.run();
    try {
      await waitFor(() => handled.length >= 3, 'the three events', 15_000);
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await consumer.stop();
    }
    expect(handled).toEqual(sent);
  });
});

describe('no message stops its partition', () => {
  it('dead-letters a message the consumer itself fails on (CONSUMER_INTERNAL_ERROR) and goes on', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const topic = topics['nova.content.events']!;
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked'] });
    const sent = [];
    for (let i = 0; i < 2; i++) sent.push(await producer.publish('post.liked', { post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date() }));
    await producer.disconnect();
    // A hand-built catalog the generator would never write: the consumer has no version to read into.
    const broken = { 'post.liked': { ...postLiked, versions: [] } };
    const outcomes: ConsumeOutcome[] = [];
    let calls = 0;
    const consumer = createCatalogConsumer<Record<string, unknown>>(broken, { kafka: client, registry, groupId: `${run}-internal`, fromBeginning: true, topics, onOutcome: (o) => outcomes.push(o) });
    consumer.on('post.liked', () => {
      calls++;
    });
    await consumer.run();
    await waitFor(() => outcomes.length >= 2, 'two outcomes').finally(() => consumer.stop());
    expect(calls).toBe(0);
    expect(outcomes.map((o) => [o.outcome, (o as { reason?: string }).reason, o.offset])).toEqual(sent.map((s) => ['dead-lettered', 'CONSUMER_INTERNAL_ERROR', s.offset]));
    const dead = await readRaw(client, [`${topic}.dlq`], 2);
    for (const d of dead) {
      expect(strings(d.message.headers)).toMatchObject({ dlq_reason: 'CONSUMER_INTERNAL_ERROR', event_type: 'post.liked' });
      expect(strings(d.message.headers)['dlq_error']).toContain('has no versions');
    }
  });
});

describe('routing by the event_type header', () => {
  it('reads legacy event types and legacy topics as their catalog event', async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    expect(postCreated.legacyTypes).toEqual(expect.arrayContaining(['content.post.created', 'PostCreated']));
    expect(postCreated.legacyTopics).toContain('nova.post.created');
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.created'] });
    await producer.connect();
    const legacyTypes = postCreated.legacyTypes.map((type) => ({ type, event: producer.encode('post.created', keyedSample(postCreated) as never) }));
    const onLegacyTopic = producer.encode('post.created', keyedSample(postCreated) as never);
    await producer.disconnect();
    await sendRaw(topics['nova.content.events']!, legacyTypes.map(({ type, event }) => ({ key: event.message.key, value: event.message.value, headers: { ...(event.message.headers as RawHeaders), event_type: type, ce_type: type } })));
    await sendRaw(topics['nova.post.created']!, [{ key: onLegacyTopic.message.key, value: onLegacyTopic.message.value, headers: onLegacyTopic.message.headers as RawHeaders }]);

    const seen = new Map<string, { meta: EventMeta; event: unknown }>();
    const outcomes: ConsumeOutcome[] = [];
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-legacy`, fromBeginning: true, topics, unknownEvents: 'dead-letter', onOutcome: (o) => outcomes.push(o) });
    consumer.on('post.created', (event, meta) => {
      seen.set(meta.eventId!, { meta, event });
    });
    await consumer.run();
    const expected = legacyTypes.length + 1;
    await waitFor(() => seen.size >= expected, `${expected} legacy events`).finally(() => consumer.stop());
    expect(outcomes.filter((o) => o.outcome !== 'handled')).toEqual([]);
    for (const { type, event } of legacyTypes) {
      const got = seen.get(event.eventId)!;
      expect(got.meta, type).toMatchObject({ type: 'post.created', topic: topics['nova.content.events'] });
      expect(got.meta.headers.eventType).toBe(type);
    }
    expect(seen.get(onLegacyTopic.eventId)!.meta).toMatchObject({ type: 'post.created', topic: topics['nova.post.created'] });
  });

  it("dead-letters event types naming no catalog type with unknownEvents: 'dead-letter', never routing them by record name", async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const topic = topics['nova.content.events']!;
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.created'] });
    await producer.connect();
    const unknown = ['post.exploded', '', 'post.created '];
    // Valid post.created frames: only the header says they are something else.
    const frames = unknown.map((type) => ({ type, event: producer.encode('post.created', keyedSample(postCreated) as never) }));
    await sendRaw(
      topic,
      frames.map(({ type, event }, i) => ({ key: `unknown-${i}`, value: event.message.value, headers: { ...(event.message.headers as RawHeaders), event_type: type, trace: null } })),
    );
    const good = await producer.publish('post.created', keyedSample(postCreated) as never);
    await producer.disconnect();

    const handled: string[] = [];
    const outcomes: ConsumeOutcome[] = [];
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-unknown`, fromBeginning: true, topics, unknownEvents: 'dead-letter', onOutcome: (o) => outcomes.push(o) });
    consumer.on('post.created', (_event, meta) => {
      handled.push(meta.eventId!);
    });
    await consumer.run();
    await waitFor(() => handled.includes(good.eventId), 'the good event').finally(() => consumer.stop());
    expect(handled).toEqual([good.eventId]);
    expect(outcomes.filter((o) => o.outcome === 'dead-lettered').map((o) => [o.type, (o as { reason: string }).reason])).toEqual(unknown.map((type) => [type, 'UNKNOWN_EVENT_TYPE']));

    const dead = await readRaw(client, [`${topic}.dlq`], unknown.length);
    const byKey = new Map(dead.map((d: { message: KafkaMessage }) => [d.message.key!.toString(), strings(d.message.headers)]));
    unknown.forEach((type, i) => {
      const headers = byKey.get(`unknown-${i}`)!;
      expect(headers, type).toMatchObject({ dlq_reason: 'UNKNOWN_EVENT_TYPE', event_type: type, dlq_source_topic: topic });
      expect(headers['dlq_error']).toBe(`event type ${JSON.stringify(type)} is not in the catalog`);
      // kafkajs cannot write a null header value; the dead letter leaves it out rather than never being sent.
      expect(headers).not.toHaveProperty('trace');
    });
  });
});

describe('event ids', () => {
  it('the producer refuses an invalid event id and an invalid time with typed errors', async () => {
    const producer = createProducer({ kafka: client, registry, events: ['post.liked'] });
    await producer.connect();
    try {
      const payload = { post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date() };
      expect(() => producer.encode('post.liked', payload, { eventId: '' })).toThrow(expect.objectContaining({ rule: 'EVENT_ID_INVALID', pointer: '/eventId' }));
      await expect(producer.publish('post.liked', payload, { eventId: Buffer.from([0xff]).toString() })).rejects.toMatchObject({ rule: 'EVENT_ID_INVALID', pointer: '/eventId' });
      await expect(producer.publishBatch([{ type: 'post.liked', payload, options: { eventId: 'a b' } }])).rejects.toMatchObject({ rule: 'EVENT_ID_INVALID' });
      expect(() => producer.encode('post.liked', payload, { time: new Date(Number.NaN) })).toThrow(expect.objectContaining({ rule: 'PUBLISH_OPTION_INVALID', pointer: '/time' }));
      expect(() => producer.encode('post.liked', payload, { time: 'now' as unknown as Date })).toThrow(expect.objectContaining({ rule: 'PUBLISH_OPTION_INVALID', pointer: '/time' }));
    } finally {
      await producer.disconnect();
    }
  });

  it("dead-letters empty and missing event ids by default, and handles them without deduplication with invalidEventIds: 'handle'", async () => {
    const run = runId();
    const topics = await topicsForRun(run);
    const topic = topics['nova.content.events']!;
    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked'] });
    await producer.connect();
    const postId = randomUUID();
    const like = () => producer.encode('post.liked', { post_id: postId, user_id: randomUUID(), liked_at: new Date() });
    const withId = (key: string, id: string | undefined) => {
      const { message } = like();
      const headers = { ...(message.headers as RawHeaders) };
      delete headers['event_id'];
      delete headers['ce_id'];
      if (id !== undefined) Object.assign(headers, { event_id: id, ce_id: id });
      return { key, value: message.value, headers };
    };
    // Two distinct events that both say `event_id: ""` (once they were one "duplicate"), and one without an id.
    await sendRaw(topic, [withId('empty-1', ''), withId('empty-2', ''), withId('missing', undefined)]);
    const good = await producer.publish('post.liked', { post_id: postId, user_id: randomUUID(), liked_at: new Date() });
    await producer.disconnect();

    const consume = async (group: string, invalidEventIds: 'dead-letter' | 'handle' | undefined) => {
      const handled: EventMeta[] = [];
      const outcomes: ConsumeOutcome[] = [];
      const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-${group}`, fromBeginning: true, topics, idempotency: memoryIdempotencyStore(), onOutcome: (o) => outcomes.push(o), ...(invalidEventIds ? { invalidEventIds } : {}) });
      consumer.on('post.liked', (_event, meta) => {
        handled.push(meta);
      });
      await consumer.run();
      await waitFor(() => handled.some((m) => m.eventId === good.eventId), 'the good event').finally(() => consumer.stop());
      return { handled, outcomes };
    };

    const strict = await consume('strict', undefined);
    expect(strict.handled.map((m) => m.eventId)).toEqual([good.eventId]);
    expect(strict.outcomes.map((o) => [o.outcome, (o as { reason?: string }).reason])).toEqual([
      ['dead-lettered', 'EVENT_ID_INVALID'],
      ['dead-lettered', 'EVENT_ID_INVALID'],
      ['dead-lettered', 'EVENT_ID_MISSING'],
      ['handled', undefined],
    ]);
    const dead = await readRaw(client, [`${topic}.dlq`], 3);
    expect(new Map(dead.map((d) => [d.message.key!.toString(), strings(d.message.headers)['dlq_reason']]))).toEqual(
      new Map([
        ['empty-1', 'EVENT_ID_INVALID'],
        ['empty-2', 'EVENT_ID_INVALID'],
        ['missing', 'EVENT_ID_MISSING'],
      ]),
    );

    const lenient = await consume('lenient', 'handle');
    expect(lenient.outcomes.map((o) => o.outcome)).toEqual(['handled', 'handled', 'handled', 'handled']);
    expect(lenient.handled.map((m) => [m.key, m.eventId])).toEqual([
      ['empty-1', undefined],
      ['empty-2', undefined],
      ['missing', undefined],
      [postId, good.eventId],
    ]);
  });
});
