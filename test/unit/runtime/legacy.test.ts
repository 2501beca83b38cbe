import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { CodecCache } from '../../../src/runtime/codec.js';
import { topicsFromEnv, brokersFromEnv, ENV_VALUE_INVALID } from '../../../src/runtime/environment.js';
import { latestVersion, type EventCatalog, type EventSpec } from '../../../src/runtime/event-spec.js';
import { eventHeaders, readEventHeaders } from '../../../src/runtime/headers.js';
import { dualPublishSpecs, LegacyCodec, LEGACY_DUAL_PUBLISH_INVALID } from '../../../src/runtime/legacy-codec.js';
import {
  LEGACY_COPY_HEADER,
  LEGACY_UNDECODABLE,
  LEGACY_UNMAPPABLE,
  legacyFraming,
  legacyMappingProblems,
  mayBeLegacy,
  readLegacyMessage,
  type LegacyMessage,
} from '../../../src/runtime/legacy.js';
import { avroType } from '../../../src/runtime/avro-type.js';
import { decide, routingTable, type MessageFacts, type RoutingPolicy } from '../../../src/runtime/routing.js';
import { NovaError } from '../../../src/util/errors.js';

const events = catalog as EventCatalog;
const spec = (type: string) => events[type]!;
const headersOf = (all: Record<string, string>) => readEventHeaders(all);
const legacy = new LegacyCodec(new CodecCache());
const at = Date.parse('2025-01-15T10:30:00Z');

/** The seeds' JSON examples, byte for byte as their services write them. */
const SEED = {
  postCreated: '{"post_id":"uuid","user_id":"uuid","caption":"text","media_type":"image","status":"published","created_at":"2025-01-15T10:30:00Z"}',
  postStatusUpdated: '{"post_id":"uuid","user_id":"uuid","new_status":"archived","updated_at":"2025-01-15T10:30:00Z"}',
  postDeleted: '{"post_id":"uuid","user_id":"uuid","deleted_at":"2025-01-15T10:30:00Z"}',
  mediaUploaded: '{"upload_id":"uuid","media_id":"uuid","user_id":"uuid","file_name":"example.jpg","size_bytes":123456,"uploaded_at":"2025-01-15T10:30:00Z"}',
  userCreated: '{"user_id":"uuid","username":"username","email":"user@example.com","created_at":"2025-01-15T10:30:00Z"}',
  userDeleted: '{"user_id":"uuid","deleted_at":"2025-01-15T10:30:00Z","soft_delete":true}',
};

function read(type: string, json: string, header: Record<string, string> = {}): unknown {
  const message = readLegacyMessage(Buffer.from(json), headersOf(header));
  return legacy.read(spec(type), message);
}

function thrown(run: () => unknown): NovaError {
  try {
    run();
  } catch (error) {
    if (error instanceof NovaError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe("the seeds' legacy JSON read into the newest version", () => {
  it.each([
    [
      '000 content.post.created (user_id read as v2 author_id, lower-case enums, ISO time)',
      'post.created',
      SEED.postCreated,
      { post_id: 'uuid', author_id: 'uuid', caption: 'text', media_type: 'IMAGE', status: 'PUBLISHED', privacy: 'PUBLIC', tags: [], media_ids: [], title: null, content: null, created_at: new Date(at) },
    ],
    ['000 content.post.status_updated', 'post.status_updated', SEED.postStatusUpdated, { post_id: 'uuid', user_id: 'uuid', new_status: 'ARCHIVED', updated_at: new Date(at) }],
    ['000 content.post.deleted (user_id mapped to author_id; deleted_by defaults)', 'post.deleted', SEED.postDeleted, { post_id: 'uuid', author_id: 'uuid', deleted_at: new Date(at), reason: null, deleted_by: null }],
    ['000 media.upload.completed (size_bytes a long)', 'media.upload_completed', SEED.mediaUploaded, { upload_id: 'uuid', size_bytes: 123456n, file_name: 'example.jpg', uploaded_at: new Date(at) }],
    ['000 identity.user.created', 'user.created', SEED.userCreated, { user_id: 'uuid', username: 'username', email: 'user@example.com', created_at: new Date(at) }],
    ['000 identity.user.deleted', 'user.deleted', SEED.userDeleted, { user_id: 'uuid', soft_delete: true, reason: null, cleanup_required: [] }],
    [
      '004 post.created data (author_id, no media_type: the mapping default)',
      'post.created',
      '{"post_id":"p1","author_id":"a1","title":"Post title","content":"Post content","status":"draft","privacy":"public","created_at":"2025-01-15T10:30:00Z","tags":["tag1"],"media_ids":["m1"]}',
      { post_id: 'p1', author_id: 'a1', media_type: 'NONE', status: 'DRAFT', caption: null },
    ],
    ['004 conversation.created (type read as conversation_type)', 'conversation.created', '{"conversation_id":"c","type":"group","member_ids":["u1","u2"],"created_at":"2025-01-15T10:30:00+08:00","created_by_id":"u1"}', { conversation_type: 'GROUP', created_at: new Date(at - 8 * 3600_000) }],
    ['004 user.deleted (no soft_delete: the mapping default)', 'user.deleted', '{"user_id":"u","deleted_at":"2025-01-15T10:30:00Z","reason":"user_requested","cleanup_required":["posts","messages"]}', { soft_delete: false, reason: 'USER_REQUESTED', cleanup_required: ['POSTS', 'MESSAGES'] }],
    ['epoch milliseconds for a timestamp', 'post.liked', `{"post_id":"p","user_id":"u","liked_at":${at}}`, { liked_at: new Date(at) }],
  ])('%s', (_name, type, json, expected) => {
    expect(read(type, json)).toMatchObject(expected);
  });

  it.each([
    ['an enum value the contract lacks', 'post.created', SEED.postCreated.replace('"image"', '"gif"'), 'media_type', '/media_type'],
    ['a timestamp that is not ISO-8601', 'post.created', SEED.postCreated.replace('"2025-01-15T10:30:00Z"', '"yesterday"'), 'created_at', '/created_at'],
    ['a timestamp without an offset', 'post.deleted', SEED.postDeleted.replace('10:30:00Z', '10:30:00'), 'deleted_at', '/deleted_at'],
    ['a missing key field', 'post.created', SEED.postCreated.replace('"post_id":"uuid",', ''), 'post_id', '/post_id'],
    ['a missing field without a default, under its legacy name', 'post.deleted', SEED.postDeleted.replace('"user_id":"uuid",', ''), 'author_id', '/user_id'],
    ['a long that is a fraction', 'media.upload_completed', SEED.mediaUploaded.replace('123456', '1.5'), 'size_bytes', '/size_bytes'],
    ['a long beyond 2^53 as a JSON number', 'media.upload_completed', SEED.mediaUploaded.replace('123456', '9007199254740993'), 'size_bytes', '/size_bytes'],
    ['a string where a boolean belongs', 'user.deleted', SEED.userDeleted.replace('true', '"yes"'), 'soft_delete', '/soft_delete'],
    ['an array item of the wrong type', 'user.deleted', SEED.userDeleted.replace('}', ',"cleanup_required":["posts",1]}'), 'cleanup_required', '/cleanup_required/1'],
    ['a map that is an array', 'post.updated', '{"post_id":"p","author_id":"a","changed_fields":[],"old_values":[],"new_values":{},"updated_at":"2025-01-15T10:30:00Z"}', 'old_values', '/old_values'],
  ])('refuses %s as LEGACY_UNMAPPABLE naming the field', (_name, type, json, field, pointer) => {
    const error = thrown(() => read(type, json));
    expect(error.rule).toBe(LEGACY_UNMAPPABLE);
    expect(error.message).toContain(`field "${field}"`);
    expect(error.pointer).toBe(pointer);
  });
});

describe('legacy framing of untrusted bytes', () => {
  it.each([
    ['a JSON object', '{"a":1}', true],
    ['a JSON object after whitespace', ' \n\t{"a":1}', true],
    ['a Confluent frame', '\u0000\u0000\u0000\u0000\u0001', false],
    ['a JSON array (no legacy event is one)', '[1]', false],
    ['a stray byte', '\u0007abc', false],
    ['nothing', '', false],
    ['only whitespace', '  ', false],
  ])('takes %s for legacy JSON: %s', (_name, text, expected) => {
    expect(mayBeLegacy(Buffer.from(text))).toBe(expected);
    expect(mayBeLegacy(null)).toBe(false);
  });

  it.each([
    ['000 payload, routed by its header', SEED.postCreated, { event_type: 'content.post.created' }, { encoding: 'json-payload', eventType: 'content.post.created', copy: false }],
    ['004 envelope, data an object', `{"id":"e-1","event_type":"post.created","aggregate_id":"p","aggregate_type":"post","version":1,"data":${SEED.postCreated},"metadata":"{}","correlation_id":"c","causation_id":null,"created_at":"2025-01-15T10:30:00Z","created_by":"u"}`, {}, { encoding: 'json-envelope', eventType: 'post.created', envelopeId: 'e-1' }],
    ['004 envelope, data a JSON string (its protobuf field)', `{"id":"e-2","event_type":"user.created","data":${JSON.stringify(SEED.userCreated)}}`, {}, { encoding: 'json-envelope', eventType: 'user.created', data: { username: 'username' } }],
    ['the envelope type wins over a header', `{"id":"e-3","event_type":"user.created","data":{}}`, { event_type: 'post.created' }, { eventType: 'user.created' }],
    ["002's tagged enum: the type inside the payload", '{"event_type":"PostDeleted","post_id":"p","deleter_id":"u"}', {}, { encoding: 'json-payload', eventType: 'PostDeleted' }],
    ['a dual-published copy', SEED.postCreated, { event_type: 'content.post.created', [LEGACY_COPY_HEADER]: 'true' }, { copy: true }],
  ])('reads %s', (_name, json, header, expected) => {
    expect(readLegacyMessage(Buffer.from(json), headersOf(header))).toMatchObject(expected);
  });

  const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /not UTF-8/],
    ['text that is not JSON', Buffer.from('{"post_id": '), /not JSON/],
    ['a JSON array', Buffer.from('[1,2]'), /not an object \(an array\)/],
    ['JSON null', Buffer.from('null'), /not an object \(null\)/],
    ['nesting past the bound (a stack overflow in JSON.parse otherwise)', Buffer.from(deep(100_000)), /deeper than 64/],
    ['brackets inside strings do not count, but real nesting does', Buffer.from(`{"s":"${'['.repeat(1000)}","d":${deep(65)}}`), /deeper than 64/],
    ['a message over the size bound', Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(1024 * 1024, 0x61), Buffer.from('"}')]), /more than the 1048576 allowed/],
    ['an envelope whose data is a number', Buffer.from('{"event_type":"post.created","data":5}'), /data is not an object/],
    ['an envelope whose data string is not JSON', Buffer.from('{"event_type":"post.created","data":"{oops"}'), /data is not JSON/],
    ['an envelope whose data string nests too deep', Buffer.from(JSON.stringify({ event_type: 'post.created', data: deep(70) })), /deeper than 64/],
  ])('refuses %s as LEGACY_UNDECODABLE', (_name, bytes, message) => {
    const framing = legacyFraming(bytes, headersOf({}));
    expect('error' in framing).toBe(true);
    const error = (framing as { error: NovaError }).error;
    expect(error).toBeInstanceOf(NovaError);
    expect(error.rule).toBe(LEGACY_UNDECODABLE);
    expect(error.message).toMatch(message);
  });

  it('keeps a field named __proto__ a field, not a prototype', () => {
    const message = readLegacyMessage(Buffer.from('{"__proto__":{"post_id":"x"},"user_id":"u"}'), headersOf({}));
    expect(Object.getPrototypeOf(message.data)).toBe(Object.prototype);
    expect(thrown(() => legacy.read(spec('post.created'), message)).message).toContain('field "post_id"');
  });
});

describe('the legacy copy of dual publish', () => {
  const codecs = new CodecCache();
  const encode = (type: string, payload: unknown) => {
    const s = spec(type);
    const { eventId, headers } = eventHeaders(s, latestVersion(s).version, (payload as Record<string, string>)[s.key]!, 'content-service', { eventId: 'ev-1', correlationId: 'corr-1' });
    return { eventId, message: { key: (payload as Record<string, string>)[s.key]!, value: codecs.encoder(s, latestVersion(s), 1).encode(payload), headers: headers as Record<string, string> } };
  };
  const created = { post_id: 'p-1', author_id: 'u-1', caption: 'hello', media_type: 'IMAGE', status: 'PUBLISHED', created_at: new Date(at), tags: ['x'] };

  it("is 000's payload: v1 names, lower-case enums, ISO timestamps, its event_type header", () => {
    const copy = legacy.copy(spec('post.created'), encode('post.created', created), (t) => t);
    expect(JSON.parse(copy.message.value.toString())).toEqual({ post_id: 'p-1', user_id: 'u-1', caption: 'hello', media_type: 'image', status: 'published', created_at: '2025-01-15T10:30:00Z' });
    expect(copy.topic).toBe('nova.content.events');
    expect(copy.message.key).toBe('p-1');
    expect(copy.message.headers).toEqual({ event_type: 'content.post.created', event_id: 'ev-1', correlation_id: 'corr-1', source: 'content-service', 'content-type': 'application/json', [LEGACY_COPY_HEADER]: 'true' });
  });

  it.each([
    ['post.deleted (author_id written as 000 user_id)', 'post.deleted', { post_id: 'p', author_id: 'u', deleted_at: new Date(at + 5), reason: 'CONTENT_POLICY', deleted_by: 'm' }, { post_id: 'p', user_id: 'u', deleted_at: '2025-01-15T10:30:00.005Z', reason: 'content_policy' }],
    ['media.upload_completed (a long as a JSON number)', 'media.upload_completed', { upload_id: 'up', media_id: 'm', user_id: 'u', file_name: 'a.jpg', size_bytes: 123456, uploaded_at: new Date(at) }, JSON.parse(SEED.mediaUploaded.replace(/"uuid"/g, '"X"').replace('"upload_id":"X"', '"upload_id":"up"').replace('"media_id":"X"', '"media_id":"m"').replace('"user_id":"X"', '"user_id":"u"').replace('example.jpg', 'a.jpg'))],
    ['conversation.created (004 type)', 'conversation.created', { conversation_id: 'c', conversation_type: 'DIRECT', member_ids: ['a', 'b'], created_by_id: 'a', created_at: new Date(at) }, { conversation_id: 'c', type: 'direct', member_ids: ['a', 'b'], created_by_id: 'a', created_at: '2025-01-15T10:30:00Z' }],
  ])('writes %s', (_name, type, payload, expected) => {
    expect(JSON.parse(legacy.copy(spec(type), encode(type, payload), (t) => t).message.value.toString())).toEqual(expected);
  });

  it('reads back as the event it copies (for the fields version 1 has)', () => {
    const copy = legacy.copy(spec('post.created'), encode('post.created', created), (t) => t);
    const back = legacy.read(spec('post.created'), readLegacyMessage(copy.message.value, headersOf(copy.message.headers)));
    expect(back).toMatchObject({ post_id: 'p-1', author_id: 'u-1', caption: 'hello', media_type: 'IMAGE', status: 'PUBLISHED', created_at: new Date(at) });
  });

  it.each([
    [['post.created', 'nope.nothing'], 'UNKNOWN_EVENT_TYPE'],
    ['post.created' as unknown as string[], LEGACY_DUAL_PUBLISH_INVALID],
  ])('refuses dualPublish %j with a typed error', (types, rule) => {
    expect(thrown(() => dualPublishSpecs(events, types)).rule).toBe(rule);
  });

  it('refuses dual publish of an event without a legacy mapping', () => {
    const { legacy: _omitted, ...bare } = spec('post.liked');
    expect(thrown(() => dualPublishSpecs({ 'post.liked': bare as EventSpec }, ['post.liked'])).rule).toBe(LEGACY_DUAL_PUBLISH_INVALID);
  });
});

describe('routing legacy messages', () => {
  const table = routingTable(events);
  const policy = (over: Partial<RoutingPolicy> = {}): RoutingPolicy => ({ table, handles: (t) => t === 'post.created' || t === 'user.created', unknownEvents: 'skip', invalidEventIds: 'dead-letter', dedupeScope: 'g', ...over });
  const payload = (header: Record<string, string>, json = SEED.postCreated): MessageFacts => {
    const headers = headersOf(header);
    return { headers, framing: legacyFraming(Buffer.from(json), headers), seen: false };
  };
  const envelope = (id: unknown, type = 'post.created'): MessageFacts => payload({}, JSON.stringify({ id, event_type: type, data: JSON.parse(SEED.postCreated) }));

  it.each([
    ['a 000 payload with an event id header', payload({ event_type: 'content.post.created', event_id: 'e-1' }), policy(), { kind: 'handle-legacy', eventId: 'e-1', dedupeKey: 'g:e-1' }],
    ['an envelope: its id is the event id and the dedupe key a framed event gets', envelope('e-2'), policy(), { kind: 'handle-legacy', eventId: 'e-2', dedupeKey: 'g:e-2' }],
    ['a payload without an id: EVENT_ID_MISSING by default', payload({ event_type: 'content.post.created' }), policy(), { kind: 'dead-letter', reason: 'EVENT_ID_MISSING' }],
    ["a payload without an id under legacyEventIds 'handle': handled, not deduplicated", payload({ event_type: 'content.post.created' }), policy({ legacyEventIds: 'handle' }), { kind: 'handle-legacy', eventId: undefined, dedupeKey: undefined }],
    ["legacyEventIds 'dead-letter' wins over invalidEventIds 'handle'", payload({ event_type: 'content.post.created' }), policy({ invalidEventIds: 'handle', legacyEventIds: 'dead-letter' }), { kind: 'dead-letter', reason: 'EVENT_ID_MISSING' }],
    ['an envelope id that is not a valid id', envelope('has space'), policy(), { kind: 'dead-letter', reason: 'EVENT_ID_INVALID' }],
    ['an envelope id that is a number', envelope(42), policy(), { kind: 'dead-letter', reason: 'EVENT_ID_INVALID' }],
    ['a duplicate across formats', { ...envelope('e-3'), seen: true }, policy(), { kind: 'duplicate', type: 'post.created' }],
    ['a dual-published copy: skipped (the framed event came too)', payload({ event_type: 'content.post.created', event_id: 'e-4', [LEGACY_COPY_HEADER]: 'true' }), policy(), { kind: 'skip', type: 'post.created' }],
    ['a legacy type without a handler', payload({ event_type: 'content.post.deleted', event_id: 'e' }), policy(), { kind: 'skip', type: 'post.deleted' }],
    ['an unknown legacy type, unknownEvents dead-letter', payload({ event_type: 'content.post.exploded', event_id: 'e' }), policy({ unknownEvents: 'dead-letter' }), { kind: 'dead-letter', reason: 'UNKNOWN_EVENT_TYPE' }],
    ['no type at all', payload({ event_id: 'e' }), policy({ unknownEvents: 'dead-letter' }), { kind: 'dead-letter', reason: 'UNKNOWN_EVENT_TYPE' }],
    ['an encoding the contract does not allow (user.created 000 payload as a 004 envelope is allowed; post.status_updated is 000 only)', payload({}, JSON.stringify({ id: 'e', event_type: 'post.status_updated', data: {} })), policy({ handles: () => true }), { kind: 'dead-letter', reason: 'LEGACY_ENCODING_NOT_ALLOWED' }],
    ['bytes that are not JSON', payload({ event_type: 'content.post.created', event_id: 'e' }, '{nope'), policy(), { kind: 'dead-letter', reason: LEGACY_UNDECODABLE }],
  ])('%s', (_name, facts, p, expected) => {
    expect(decide(facts, p)).toMatchObject(expected);
  });

  it('asks the idempotency store before handling', () => {
    const { seen: _seen, ...facts } = envelope('e-5');
    expect(decide(facts, policy())).toEqual({ kind: 'check-duplicate', key: 'g:e-5' });
  });
});

describe('legacy mapping checks (validate)', () => {
  const first = { avro: avroType(JSON.parse(spec('post.created').versions[0]!.schema)) };
  it.each([
    [{ user_id: { from: ['author_id'] } }, []],
    [{ media_type: { default: 'none' } }, []],
    [{ media_type: { symbols: { img: 'IMAGE' } } }, []],
    [{ author_id: {} }, ['LEGACY_MAPPING_FIELD_UNKNOWN /legacy/fields/author_id']],
    [{ media_type: { default: 'gif' } }, ['LEGACY_MAPPING_TYPE_MISMATCH /legacy/fields/media_type/default']],
    [{ created_at: { default: 'soon' } }, ['LEGACY_MAPPING_TYPE_MISMATCH /legacy/fields/created_at/default']],
    [{ media_type: { symbols: { img: 'PICTURE' } } }, ['LEGACY_MAPPING_TYPE_MISMATCH /legacy/fields/media_type/symbols/img']],
    [{ caption: { symbols: { a: 'A' } } }, ['LEGACY_MAPPING_TYPE_MISMATCH /legacy/fields/caption/symbols']],
  ] as const)('%j -> %j', (fields, expected) => {
    expect(legacyMappingProblems(fields as never, first).map((p) => `${p.rule} ${p.pointer}`)).toEqual(expected);
  });

  it('maps legacy symbols through the table', () => {
    const withTable = { ...spec('post.created'), legacy: { ...spec('post.created').legacy!, fields: { media_type: { symbols: { img: 'IMAGE' } } } } };
    const message: LegacyMessage = { encoding: 'json-payload', eventType: 'content.post.created', data: JSON.parse(SEED.postCreated.replace('"image"', '"img"')), copy: false };
    expect(new LegacyCodec().read(withTable, message)).toMatchObject({ media_type: 'IMAGE' });
  });
});

describe("the seeds' environment variables", () => {
  it.each([
    [{}, {}],
    [{ KAFKA_TOPIC_PREFIX: 'staging' }, { 'nova.content.events': 'staging.content.events', 'nova.identity.events': 'staging.identity.events', 'nova.system.events': 'staging.system.events' }],
    [{ KAFKA_IDENTITY_EVENTS_TOPIC: 'identity-v0' }, { 'nova.identity.events': 'identity-v0' }],
    [{ KAFKA_TOPIC_PREFIX: 'staging', KAFKA_EVENTS_TOPIC: 'media-all' }, { 'nova.media.events': 'media-all', 'nova.content.events': 'staging.content.events' }],
    [{ KAFKA_MEDIA_EVENTS_TOPIC: 'm1', KAFKA_EVENTS_TOPIC: 'm2' }, { 'nova.media.events': 'm1' }],
    [{ KAFKA_TOPIC_PREFIX: '' }, {}],
  ])('%j', (env, expected) => {
    expect(topicsFromEnv(events, env)).toMatchObject(expected);
    if (Object.keys(expected).length === 0) expect(topicsFromEnv(events, env)).toEqual({});
  });

  it.each([[{ KAFKA_TOPIC_PREFIX: 'a b' }], [{ KAFKA_MESSAGE_EVENTS_TOPIC: 'x/y' }]])('refuses a topic name Kafka refuses: %j', (env) => {
    expect(thrown(() => topicsFromEnv(events, env)).rule).toBe(ENV_VALUE_INVALID);
  });

  it.each([
    ['kafka:9092', ['kafka:9092']],
    ['a:1, b:2', ['a:1', 'b:2']],
  ])('reads KAFKA_BROKERS=%j', (value, expected) => {
    expect(brokersFromEnv({ KAFKA_BROKERS: value })).toEqual(expected);
  });

  it.each([[undefined], [''], ['kafka'], ['host:port']])('refuses KAFKA_BROKERS=%j', (value) => {
    expect(thrown(() => brokersFromEnv({ KAFKA_BROKERS: value })).rule).toBe(ENV_VALUE_INVALID);
  });
});
