import { randomUUID } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createOutbox, createOutboxRelay, createProducer } from '../../src/index.js';
import type { RelayPool } from '../../src/outbox/relay.js';
import type { ConsumeOutcome } from '../../src/runtime/consumer.js';
import { dropSchema, freshOutbox, inTransaction, testPool } from './postgres.js';
import { createTopics, kafka, keyedSample, readRaw, registerAll, registryUrl, runId, specs, topicsFor, waitFor } from './support.js';

const client = kafka();
const registry = { url: registryUrl };
const pool = testPool('nova-tracing-test', 5);
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = trace.getTracer('tracing-test');
const spec = (type: string) => specs.find((s) => s.type === type)!;
let schema: string | undefined;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  await registerAll(specs.filter((s) => ['post.liked', 'post.created'].includes(s.type)));
});

afterAll(async () => {
  trace.disable();
  context.disable();
  if (schema) await dropSchema(pool, schema);
  await pool.end();
});

const spansNamed = (prefix: string) => exporter.getFinishedSpans().filter((s) => s.name.startsWith(prefix));
const byEventId = (spans: ReadableSpan[], eventId: string) => spans.find((s) => s.attributes['messaging.message.id'] === eventId);

describe('W3C trace context from publish (and enqueue, through the relay) to the handler', () => {
  it('keeps one trace id across a retry and a dead-letter, and the handler runs in the consumer span', async () => {
    const run = runId();
    const topics = topicsFor(run);
    const topic = topics['nova.content.events']!;
    await createTopics(client, [{ topic, numPartitions: 3 }]);
    schema = `tracing_${run}`;
    const table = await freshOutbox(pool, schema);

    const handlerTraces = new Map<string, string[]>();
    const outcomes: ConsumeOutcome[] = [];
    const liked = new Set<string>();
    const consumer = createConsumer({ kafka: client, registry, groupId: `${run}-feed`, topics, fromBeginning: true, readLegacyTopics: false, retry: { retries: 1, initialDelayMs: 10 }, onOutcome: (o) => outcomes.push(o) });
    consumer.on('post.liked', (_, meta) => {
      handlerTraces.set(meta.eventId!, [...(handlerTraces.get(meta.eventId!) ?? []), trace.getActiveSpan()?.spanContext().traceId ?? 'none']);
      // The first attempt of every like fails: the retry must stay in the trace.
      if (!liked.has(meta.eventId!)) {
        liked.add(meta.eventId!);
        throw new Error('try again');
      }
    });
    consumer.on('post.created', (_, meta) => {
      handlerTraces.set(meta.eventId!, [...(handlerTraces.get(meta.eventId!) ?? []), trace.getActiveSpan()?.spanContext().traceId ?? 'none']);
      throw new Error('never');
    });

    const producer = createProducer({ kafka: client, registry, topics, events: ['post.liked', 'post.created'] });
    const request = await tracer.startActiveSpan('request', async (span) => {
      const like = await producer.publish('post.liked', keyedSample(spec('post.liked')) as never);
      const created = await producer.publish('post.created', keyedSample(spec('post.created')) as never);
      span.end();
      return { span: span.spanContext(), like, created };
    });
    const untraced = await producer.publish('post.liked', keyedSample(spec('post.liked')) as never);
    await producer.disconnect();

    const outbox = createOutbox({ registry, schema, topics, events: ['post.liked'] });
    await outbox.connect();
    const checkout = await tracer.startActiveSpan('checkout', async (span) => {
      const { eventId } = await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', keyedSample(spec('post.liked')) as never));
      span.end();
      return { span: span.spanContext(), eventId };
    });
    const stored = (await pool.query(`SELECT traceparent FROM ${table.qualified} WHERE id = $1`, [checkout.eventId])).rows[0]!;
    expect(stored['traceparent']).toBe(`00-${checkout.span.traceId}-${checkout.span.spanId}-01`);
    const relay = createOutboxRelay({ pool: pool as unknown as RelayPool, kafka: client, schema, pollIntervalMs: 100, logger: () => {} });
    void relay.run();

    try {
      await consumer.run();
      await waitFor(() => outcomes.length >= 4, 'four outcomes', 60_000);
      await waitFor(() => spansNamed('process ').length >= 4, 'four consumer spans');
    } finally {
      await relay.stop();
      await consumer.stop();
    }

    const producerSpans = spansNamed('send ');
    const consumerSpans = spansNamed('process ');
    const traceOf = request.span.traceId;

    // publish: a PRODUCER span under the request, and the consumer span continues it.
    for (const published of [request.like, request.created]) {
      const consumed = byEventId(consumerSpans, published.eventId)!;
      expect(consumed.kind).toBe(SpanKind.CONSUMER);
      expect(consumed.spanContext().traceId).toBe(traceOf);
      const parent = producerSpans.find((s) => s.spanContext().spanId === consumed.parentSpanContext?.spanId)!;
      expect(parent.kind).toBe(SpanKind.PRODUCER);
      expect(parent.spanContext().traceId).toBe(traceOf);
      expect(parent.parentSpanContext?.spanId).toBe(request.span.spanId);
      expect(handlerTraces.get(published.eventId)).toEqual([traceOf, traceOf]);
    }
    // the retry: two attempts in one span, the failed one recorded on it.
    const retried = byEventId(consumerSpans, request.like.eventId)!;
    expect(retried.attributes).toMatchObject({ 'nova.outcome': 'handled', 'nova.attempts': 2, 'messaging.destination.name': topic });
    expect(retried.events.filter((e) => e.name === 'exception')).toHaveLength(1);
    expect(retried.status.code).not.toBe(SpanStatusCode.ERROR);
    // the dead-letter: failed span, the reason, and the dead letter still carries the trace.
    const dead = byEventId(consumerSpans, request.created.eventId)!;
    expect(dead.attributes).toMatchObject({ 'nova.outcome': 'dead-lettered', 'nova.dead_letter.reason': 'HANDLER_FAILED' });
    expect(dead.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'HANDLER_FAILED' });
    expect(dead.events.filter((e) => e.name === 'exception')).toHaveLength(2);
    const [letter] = await readRaw(client, [`${topic}.dlq`], 1);
    expect(String(letter!.message.headers!['traceparent'])).toContain(traceOf);

    // enqueue -> relay -> handler: the enqueuing span is the consumer span's parent.
    const relayed = byEventId(consumerSpans, checkout.eventId)!;
    expect(relayed.spanContext().traceId).toBe(checkout.span.traceId);
    expect(relayed.parentSpanContext).toMatchObject({ spanId: checkout.span.spanId, isRemote: true });
    expect(handlerTraces.get(checkout.eventId)).toEqual([checkout.span.traceId, checkout.span.traceId]);

    // a publish outside any span writes no trace headers: its handler starts a trace of its own.
    const lone = byEventId(consumerSpans, untraced.eventId)!;
    expect(lone.parentSpanContext).toBeUndefined();
    expect([traceOf, checkout.span.traceId]).not.toContain(lone.spanContext().traceId);
    expect(producerSpans).toHaveLength(2);
  });
});
