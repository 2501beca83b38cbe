import { describe, expect, it } from 'vitest';
import type { IHeaders } from 'kafkajs';
import { catalog } from '../../../generated/catalog.js';
import type { WriterSchema } from '../../../src/runtime/codec.js';
import { latestVersion, type EventCatalog, type EventSpec } from '../../../src/runtime/event-spec.js';
import { headersAsStrings, readEventHeaders } from '../../../src/runtime/headers.js';
import { decide, recordNameOf, routingTable, undecodable, type MessageFacts, type RoutingDecision, type RoutingPolicy } from '../../../src/runtime/routing.js';
import { NovaError } from '../../../src/util/errors.js';

const events = catalog as EventCatalog;
const table = routingTable(events);
const postCreated = events['post.created']!;
const writerOf = (spec: EventSpec): WriterSchema => ({ schemaType: spec.schemaType, schema: latestVersion(spec).schema });
const outage = new NovaError('REGISTRY_UNAVAILABLE', 'schema registry down', { retriable: true });
const notFound = new NovaError('REGISTRY_UNAVAILABLE', 'schema 99 not found (404)');

interface Row {
  readonly name: string;
  /** Raw Kafka headers, as kafkajs hands them (strings here stand for their UTF-8 bytes). */
  readonly headers: Record<string, string | Buffer | null | (string | Buffer | null)[]>;
  readonly framing?: 'ok' | 'bad';
  /** What the registry answers for the schema id. */
  readonly writer?: WriterSchema | unknown;
  /** What the idempotency store answers. */
  readonly seen?: boolean;
  readonly handled?: readonly string[];
  readonly unknownEvents?: 'skip' | 'dead-letter';
  readonly invalidEventIds?: 'dead-letter' | 'handle';
  readonly dedupe?: boolean;
  /** The final decision, and what `decide` asked for on the way. */
  readonly expected: { kind: RoutingDecision['kind']; type?: string | undefined; reason?: string; eventId?: string | undefined; dedupeKey?: string | undefined };
  readonly asked: readonly ('writer' | 'duplicate')[];
}

function asBytes(headers: Row['headers']): IHeaders {
  const bytes = (v: string | Buffer | null) => (typeof v === 'string' ? Buffer.from(v) : v);
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.map(bytes) : bytes(v)])) as IHeaders;
}

/** Runs `decide` as the consumer does, answering its questions from the row. */
function route(row: Row): { decision: RoutingDecision; asked: string[] } {
  const policy: RoutingPolicy = {
    table,
    handles: (type) => (row.handled ?? ['post.created']).includes(type),
    unknownEvents: row.unknownEvents ?? 'skip',
    invalidEventIds: row.invalidEventIds ?? 'dead-letter',
    dedupeScope: row.dedupe ? 'group-1' : undefined,
  };
  const headers = readEventHeaders(headersAsStrings(asBytes(row.headers)));
  let facts: MessageFacts = { headers, framing: row.framing === 'bad' ? { error: new NovaError('UNDECODABLE_MESSAGE', 'wrong magic byte') } : { schemaId: 7 } };
  const asked: string[] = [];
  for (let step = 0; step < 5; step++) {
    const decision = decide(facts, policy);
    if (decision.kind === 'fetch-writer') {
      expect(decision.schemaId).toBe(7);
      asked.push('writer');
      const answer = row.writer === undefined ? writerOf(postCreated) : row.writer;
      facts = { ...facts, writer: answer instanceof Error ? { error: answer } : { schema: answer as WriterSchema } };
    } else if (decision.kind === 'check-duplicate') {
      asked.push('duplicate');
      expect(decision.key).toBe(`group-1:${headers.eventId}`);
      facts = { ...facts, seen: row.seen ?? false };
    } else {
      return { decision, asked };
    }
  }
  throw new Error('decide kept asking');
}

const std = { event_type: 'post.created', event_id: 'e-13' };

const rows: Row[] = [
  // Routing by the event_type header.
  { name: 'the issue sample (a null header) is handled', headers: { ...std, trace: null }, expected: { kind: 'handle', type: 'post.created', eventId: 'e-13' }, asked: ['writer'] },
  { name: 'a repeated header with nulls is handled', headers: { ...std, trace: [null, 'a', null], blob: Buffer.from([0xff, 0xfe]) }, expected: { kind: 'handle', type: 'post.created' }, asked: ['writer'] },
  { name: 'ce_type routes when event_type is absent', headers: { ce_type: 'post.created', ce_id: 'e-13' }, expected: { kind: 'handle', type: 'post.created', eventId: 'e-13' }, asked: ['writer'] },
  { name: 'a null event_type has no value: the record name routes', headers: { event_type: null, event_id: 'e-13' }, expected: { kind: 'handle', type: 'post.created' }, asked: ['writer'] },
  { name: 'a repeated event_type: the last decides', headers: { event_type: ['post.exploded', 'post.created'], event_id: 'e-13' }, expected: { kind: 'handle', type: 'post.created' }, asked: ['writer'] },
  { name: 'a known type without a handler is skipped without the registry', headers: { ...std, event_type: 'post.liked' }, expected: { kind: 'skip', type: 'post.liked' }, asked: [] },
  { name: 'a type without a handler is skipped even with an invalid id', headers: { event_type: 'post.liked', event_id: '' }, expected: { kind: 'skip', type: 'post.liked' }, asked: [] },

  // Unknown types: the header decides, the writer's record name never overrides it.
  ...['post.exploded', '', 'post.created ', ' post.created', 'POST.CREATED', 'post.created\uFFFD', 'x'.repeat(100_000)].flatMap((type): Row[] => [
    { name: `event_type ${JSON.stringify(type.slice(0, 20))} is skipped by default`, headers: { ...std, event_type: type }, expected: { kind: 'skip', type }, asked: [] },
    { name: `event_type ${JSON.stringify(type.slice(0, 20))} is dead-lettered with unknownEvents: dead-letter`, headers: { ...std, event_type: type }, unknownEvents: 'dead-letter', expected: { kind: 'dead-letter', reason: 'UNKNOWN_EVENT_TYPE', type }, asked: [] },
  ]),
  { name: 'bytes ff as event_type are unknown', headers: { ...std, event_type: Buffer.from([0xff]) }, unknownEvents: 'dead-letter', expected: { kind: 'dead-letter', reason: 'UNKNOWN_EVENT_TYPE', type: '\uFFFD' }, asked: [] },

  // The record name routes only messages without the header.
  { name: 'no event_type: a catalog record name routes', headers: { event_id: 'e-13' }, writer: writerOf(events['post.liked']!), handled: ['post.liked'], expected: { kind: 'handle', type: 'post.liked' }, asked: ['writer'] },
  { name: 'no event_type: a JSON Schema title routes', headers: { event_id: 'e-13' }, writer: writerOf(events['cache.hit']!), handled: ['cache.hit'], expected: { kind: 'handle', type: 'cache.hit' }, asked: ['writer'] },
  { name: 'no event_type: a known record without a handler is skipped', headers: { event_id: 'e-13' }, writer: writerOf(events['post.liked']!), expected: { kind: 'skip', type: 'post.liked' }, asked: ['writer'] },
  { name: 'no event_type: an unknown record is skipped', headers: { event_id: 'e-13' }, writer: { schemaType: 'AVRO', schema: '{"type":"record","name":"Exploded","namespace":"nova.post","fields":[]}' }, expected: { kind: 'skip', type: undefined }, asked: ['writer'] },
  { name: 'no event_type: an unknown record is dead-lettered on request', headers: { event_id: 'e-13' }, writer: { schemaType: 'AVRO', schema: '"string"' }, unknownEvents: 'dead-letter', expected: { kind: 'dead-letter', reason: 'UNKNOWN_EVENT_TYPE', type: undefined }, asked: ['writer'] },
  { name: 'no event_type: an unknown schema id is dead-lettered', headers: { event_id: 'e-13' }, writer: notFound, expected: { kind: 'dead-letter', reason: 'UNKNOWN_SCHEMA_ID', type: undefined }, asked: ['writer'] },
  { name: 'no event_type: a registry outage is retried', headers: { event_id: 'e-13' }, writer: outage, expected: { kind: 'retry-later' }, asked: ['writer'] },

  // Framing and the registry.
  { name: 'bytes that are no frame are dead-lettered first', headers: { ...std, event_type: 'post.exploded', event_id: '' }, framing: 'bad', expected: { kind: 'dead-letter', reason: 'UNDECODABLE_MESSAGE', type: 'post.exploded' }, asked: [] },
  { name: 'an unknown schema id is dead-lettered', headers: std, writer: notFound, expected: { kind: 'dead-letter', reason: 'UNKNOWN_SCHEMA_ID', type: 'post.created' }, asked: ['writer'] },
  { name: 'an error that is not the registry\'s is dead-lettered', headers: std, writer: new Error('boom'), expected: { kind: 'dead-letter', reason: 'UNKNOWN_SCHEMA_ID', type: 'post.created' }, asked: ['writer'] },
  { name: 'a registry outage is retried, never dead-lettered', headers: std, writer: outage, expected: { kind: 'retry-later' }, asked: ['writer'] },

  // Event ids.
  { name: 'a missing id is dead-lettered', headers: { event_type: 'post.created' }, expected: { kind: 'dead-letter', reason: 'EVENT_ID_MISSING', type: 'post.created' }, asked: ['writer'] },
  { name: 'a null id is missing', headers: { event_type: 'post.created', event_id: null }, expected: { kind: 'dead-letter', reason: 'EVENT_ID_MISSING' }, asked: ['writer'] },
  { name: 'a repeated id ending in null is missing', headers: { event_type: 'post.created', event_id: ['e-1', null] }, expected: { kind: 'dead-letter', reason: 'EVENT_ID_MISSING' }, asked: ['writer'] },
  { name: 'an empty id is dead-lettered', headers: { event_type: 'post.created', event_id: '' }, dedupe: true, expected: { kind: 'dead-letter', reason: 'EVENT_ID_INVALID', type: 'post.created' }, asked: ['writer'] },
  { name: 'an empty event_id does not fall back to a valid ce_id', headers: { event_type: 'post.created', event_id: '', ce_id: 'e-13' }, expected: { kind: 'dead-letter', reason: 'EVENT_ID_INVALID' }, asked: ['writer'] },
  { name: 'an id of bytes ff is dead-lettered', headers: { event_type: 'post.created', event_id: Buffer.from([0xff]) }, dedupe: true, expected: { kind: 'dead-letter', reason: 'EVENT_ID_INVALID' }, asked: ['writer'] },
  { name: 'an id of 300 bytes is dead-lettered', headers: { event_type: 'post.created', event_id: 'a'.repeat(300) }, expected: { kind: 'dead-letter', reason: 'EVENT_ID_INVALID' }, asked: ['writer'] },
  { name: 'with invalidEventIds: handle, an empty id is handled without dedupe', headers: { event_type: 'post.created', event_id: '' }, invalidEventIds: 'handle', dedupe: true, expected: { kind: 'handle', type: 'post.created', eventId: undefined, dedupeKey: undefined }, asked: ['writer'] },
  { name: 'with invalidEventIds: handle, bytes fe are handled without dedupe', headers: { event_type: 'post.created', event_id: Buffer.from([0xfe]) }, invalidEventIds: 'handle', dedupe: true, expected: { kind: 'handle', eventId: undefined, dedupeKey: undefined }, asked: ['writer'] },
  { name: 'with invalidEventIds: handle, a missing id is handled without dedupe', headers: { event_type: 'post.created' }, invalidEventIds: 'handle', dedupe: true, expected: { kind: 'handle', eventId: undefined, dedupeKey: undefined }, asked: ['writer'] },

  // Deduplication.
  { name: 'without a store nothing is deduplicated', headers: std, expected: { kind: 'handle', eventId: 'e-13', dedupeKey: undefined }, asked: ['writer'] },
  { name: 'a new event is handled and remembered', headers: std, dedupe: true, seen: false, expected: { kind: 'handle', eventId: 'e-13', dedupeKey: 'group-1:e-13' }, asked: ['writer', 'duplicate'] },
  { name: 'a seen event is a duplicate', headers: std, dedupe: true, seen: true, expected: { kind: 'duplicate', type: 'post.created' }, asked: ['writer', 'duplicate'] },
  { name: 'the ce_id deduplicates when event_id is absent', headers: { event_type: 'post.created', ce_id: 'e-13' }, dedupe: true, seen: true, expected: { kind: 'duplicate' }, asked: ['writer', 'duplicate'] },
  { name: 'an unknown schema id is dead-lettered before the event id is judged', headers: { event_type: 'post.created' }, writer: notFound, expected: { kind: 'dead-letter', reason: 'UNKNOWN_SCHEMA_ID' }, asked: ['writer'] },
  { name: 'an unknown schema id is dead-lettered before the store is asked', headers: std, writer: notFound, dedupe: true, seen: true, expected: { kind: 'dead-letter', reason: 'UNKNOWN_SCHEMA_ID' }, asked: ['writer'] },
];

// Every legacy event type of the catalog routes to its event.
const legacyRows: Row[] = Object.values(events).flatMap((spec) =>
  spec.legacyTypes.map((legacy): Row => ({
    name: `legacy type ${legacy} routes to ${spec.type}`,
    headers: { event_type: legacy, event_id: 'e-13' },
    writer: writerOf(spec),
    handled: [spec.type],
    unknownEvents: 'dead-letter',
    expected: { kind: 'handle', type: spec.type },
    asked: ['writer'],
  })),
);

describe('decide: the consumer\'s decision about one message', () => {
  it('has legacy types to route', () => {
    expect(legacyRows.length).toBeGreaterThan(20);
    expect(legacyRows.map((r) => r.headers['event_type'])).toEqual(expect.arrayContaining(['PostCreated', 'content.post.created', 'message_deleted']));
  });

  it.each([...rows, ...legacyRows])('$name', (row) => {
    const { decision, asked } = route(row);
    expect(asked).toEqual(row.asked);
    const { kind, type, reason, eventId, dedupeKey } = row.expected;
    expect(decision.kind).toBe(kind);
    if ('type' in row.expected) expect((decision as { type?: string }).type ?? (decision as { spec?: EventSpec }).spec?.type).toBe(type);
    if (decision.kind === 'handle') {
      expect(decision.spec.type).toBe(type ?? decision.spec.type);
      expect(decision.schemaId).toBe(7);
      if ('eventId' in row.expected) expect(decision.eventId).toBe(eventId);
      if ('dedupeKey' in row.expected) expect(decision.dedupeKey).toBe(dedupeKey);
    }
    if (decision.kind === 'dead-letter') {
      expect(decision.reason).toBe(reason);
      expect(decision.error).toBeInstanceOf(Error);
      expect((decision.error as Error).message.length).toBeLessThan(300);
    }
  });

  it('names the unknown type in the dead-letter error, quoted and cut', () => {
    const { decision } = route({ name: '', headers: { ...std, event_type: 'post.exploded' }, unknownEvents: 'dead-letter', expected: { kind: 'dead-letter' }, asked: [] });
    expect((decision as { error: NovaError }).error).toMatchObject({ rule: 'UNKNOWN_EVENT_TYPE', message: 'event type "post.exploded" is not in the catalog' });
  });

  it('says why an event id is invalid', () => {
    const { decision } = route({ name: '', headers: { event_type: 'post.created', event_id: '' }, expected: { kind: 'dead-letter' }, asked: [] });
    expect((decision as { error: NovaError }).error).toMatchObject({ rule: 'EVENT_ID_INVALID', message: 'post.created: the event id is not valid (it is empty), so it cannot be deduplicated' });
  });

  it('never deduplicates two distinct invalid ids as one event', () => {
    const keys = [Buffer.from([0xff]), Buffer.from([0xfe]), '', ''].map((id) => route({ name: '', headers: { event_type: 'post.created', event_id: id }, invalidEventIds: 'handle', dedupe: true, expected: { kind: 'handle' }, asked: [] }));
    for (const { decision, asked } of keys) {
      expect(decision).toMatchObject({ kind: 'handle', eventId: undefined, dedupeKey: undefined });
      expect(asked).not.toContain('duplicate');
    }
  });
});

describe('routingTable', () => {
  it('maps every type, legacy type and record name of the catalog to its event', () => {
    for (const spec of Object.values(events)) {
      expect(table.byType.get(spec.type)).toBe(spec);
      expect(table.byRecordName.get(spec.recordName)).toBe(spec);
      for (const legacy of spec.legacyTypes) expect(table.byType.get(legacy)).toBe(spec);
    }
  });

  it('keeps an event\'s own type when another event lists it as a legacy name', () => {
    const a = { ...postCreated, type: 'a.one', legacyTypes: ['b.two'] };
    const b = { ...postCreated, type: 'b.two', legacyTypes: [] };
    expect(routingTable({ 'a.one': a, 'b.two': b }).byType.get('b.two')).toBe(b);
  });
});

describe('recordNameOf', () => {
  it.each([
    { schema: { schemaType: 'AVRO', schema: '{"type":"record","name":"PostCreated","namespace":"nova.post","fields":[]}' }, name: 'nova.post.PostCreated' },
    { schema: { schemaType: 'AVRO', schema: '{"type":"record","name":"nova.post.PostCreated","namespace":"other","fields":[]}' }, name: 'nova.post.PostCreated' },
    { schema: { schemaType: 'AVRO', schema: '{"type":"record","name":"PostCreated","fields":[]}' }, name: 'PostCreated' },
    { schema: { schemaType: 'JSON', schema: '{"title":"nova.analytics.CacheHit"}' }, name: 'nova.analytics.CacheHit' },
    { schema: { schemaType: 'JSON', schema: '{"title":7}' }, name: undefined },
    { schema: { schemaType: 'AVRO', schema: '"string"' }, name: undefined },
    { schema: { schemaType: 'AVRO', schema: 'null' }, name: undefined },
    { schema: { schemaType: 'AVRO', schema: '{not json' }, name: undefined },
  ] as { schema: WriterSchema; name: string | undefined }[])('$schema.schema -> $name', ({ schema, name }) => {
    expect(recordNameOf(schema)).toBe(name);
  });
});

describe('undecodable', () => {
  it('keeps the codec\'s rule id, else says UNDECODABLE_MESSAGE', () => {
    expect(undecodable(new NovaError('PAYLOAD_INVALID', 'x'), 'post.created')).toMatchObject({ kind: 'dead-letter', reason: 'PAYLOAD_INVALID', type: 'post.created' });
    expect(undecodable(new RangeError('x'), 'post.created')).toMatchObject({ kind: 'dead-letter', reason: 'UNDECODABLE_MESSAGE' });
  });
});
