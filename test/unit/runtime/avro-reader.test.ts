import type { Type } from 'avsc';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { compileAvroReader, ZERO_BYTE_ITEMS } from '../../../src/runtime/avro-reader.js';
import { avroType } from '../../../src/runtime/avro-type.js';
import { CodecCache } from '../../../src/runtime/codec.js';
import type { EventSpec, EventVersionSpec } from '../../../src/runtime/event-spec.js';
import { UNDECODABLE, WIRE_HEADER_SIZE } from '../../../src/runtime/wire-format.js';
import { NovaError } from '../../../src/util/errors.js';
import { avroString, outsideType, randomValue, seeded, varint } from '../../support/avro-values.js';

const codecs = new CodecCache();
const event = (type: string) => catalog[type as keyof typeof catalog] as EventSpec;

/** Catalog payloads the reproducers start from (valid frames). */
const uuid = '0b7e7dd8-3b6e-4c36-9d0c-1c7d4b0b8f11';
const valid: Record<string, { version: number; payload: Record<string, unknown> }> = {
  'post.created@2': {
    version: 2,
    payload: { post_id: uuid, author_id: uuid, caption: 'c', title: null, content: null, media_type: 'IMAGE', status: 'PUBLISHED', privacy: 'FRIENDS', tags: ['a', 'b'], media_ids: [], created_at: new Date(1_763_700_000_000) },
  },
  'post.created@1': {
    version: 1,
    payload: { post_id: uuid, user_id: uuid, caption: null, media_type: 'VIDEO', status: 'DRAFT', created_at: new Date(1_763_700_000_000) },
  },
  'user.deleted@1': {
    version: 1,
    payload: { user_id: uuid, deleted_at: new Date(1_763_700_000_000), soft_delete: true, reason: 'ADMIN', cleanup_required: ['POSTS'] },
  },
  'post.updated@1': {
    version: 1,
    payload: { post_id: uuid, author_id: uuid, changed_fields: ['caption'], old_values: { caption: 'a' }, new_values: { caption: null }, updated_at: new Date(1_763_700_000_000) },
  },
  'video.processing_complete@1': {
    version: 1,
    payload: { video_id: uuid, owner_id: uuid, completed_at: new Date(1_763_700_000_000), variants: [{ resolution: '1080p', bitrate: 4500 }] },
  },
};

function versionOf(spec: EventSpec, version: number): EventVersionSpec {
  return spec.versions.find((v) => v.version === version)!;
}

/** A valid frame of `key` (type@version) with the bytes of top-level `field` replaced by `bytes`. */
function withField(key: string, field: string, bytes: Buffer): { spec: EventSpec; writer: EventVersionSpec; frame: Buffer } {
  const [type, version] = key.split('@') as [string, string];
  const spec = event(type);
  const writer = versionOf(spec, Number(version));
  const { payload } = valid[key]!;
  const frame = codecs.encoder(spec, writer, 7).encode(payload);
  const fields = (avroType(JSON.parse(writer.schema)) as unknown as { fields: { name: string; type: Type }[] }).fields;
  let offset = WIRE_HEADER_SIZE;
  for (const f of fields) {
    const length = f.type.toBuffer(payload[f.name]).length;
    if (f.name === field) return { spec, writer, frame: Buffer.concat([frame.subarray(0, offset), bytes, frame.subarray(offset + length)]) };
    offset += length;
  }
  throw new Error(`no field ${field}`);
}

/** A registry's answer: one schema id per distinct writer schema (the codec caches writer types by id). */
const schemaIds = new Map<string, number>();
const schemaIdOf = (schema: string) => schemaIds.get(schema) ?? schemaIds.set(schema, 100 + schemaIds.size).get(schema)!;

/** Decodes as the newest version (through the resolver when the writer is older). */
function decode(spec: EventSpec, writer: EventVersionSpec, frame: Buffer): unknown {
  const reader = spec.versions[spec.versions.length - 1]!;
  return codecs.decoder(spec, reader, schemaIdOf(writer.schema), { schemaType: 'AVRO', schema: writer.schema }).decode(frame);
}

function failure(run: () => unknown): { rule: string; pointer: string | undefined; message: string; ms: number } | undefined {
  const start = performance.now();
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof NovaError)) throw error;
    return { rule: error.rule, pointer: error.pointer, message: error.message, ms: performance.now() - start };
  }
}

const TEN_BYTE_ONE = Buffer.from([0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
const BEYOND_64_BITS = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
const ELEVEN_BYTES = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);

describe('decoding is bounded by the bytes present (issue 11 reproducers)', () => {
  it.each([
    ['post.created v2 /tags counting 2^31 (V8 ran out of memory)', 'post.created@2', 'tags', varint(2 ** 31), '/tags', /2147483648 array items cannot fit/],
    ['post.created v1 read as v2, /caption branch 2^31', 'post.created@1', 'caption', varint(2 ** 31), '/caption', /is longer than 5 bytes or beyond 32 bits/],
    ['user.deleted /cleanup_required second block counting 2^62 (invalid size error)', 'user.deleted@1', 'cleanup_required', Buffer.concat([varint(1), varint(0), varint(2n ** 62n)]), '/cleanup_required', /cannot fit/],
    ['user.deleted /cleanup_required a negative count with a block size beyond the bytes', 'user.deleted@1', 'cleanup_required', Buffer.concat([varint(-1), varint(1000), varint(0), varint(0)]), '/cleanup_required', /block size of 1000 bytes/],
    ['post.updated /old_values counting 2^31-1 with no bytes behind it (ran for 30 s+)', 'post.updated@1', 'old_values', varint(2 ** 31 - 1), '/old_values', /map items cannot fit/],
    ['post.created v2 /caption a string length of 2^40', 'post.created@2', 'caption', Buffer.concat([varint(1), varint(2 ** 40)]), '/caption', /length of 1099511627776 bytes/],
    ['post.created v2 /caption a negative string length', 'post.created@2', 'caption', Buffer.concat([varint(1), varint(-3)]), '/caption', /length of -3/],
    ['post.created v2 /status an enum index beyond its symbols', 'post.created@2', 'status', varint(4), '/status', /no symbol 4/],
    ['post.created v2 /status a negative enum index', 'post.created@2', 'status', varint(-1), '/status', /no symbol -1/],
    ['post.created v2 /caption a union branch index of 2', 'post.created@2', 'caption', varint(2), '/caption', /union branch index 2/],
  ])('%s', (_name, key, field, bytes, pointer, message) => {
    const { spec, writer, frame } = withField(key, field, bytes);
    const found = failure(() => decode(spec, writer, frame));
    expect(found).toMatchObject({ rule: UNDECODABLE, pointer });
    expect(found!.message).toMatch(message);
    expect(found!.ms).toBeLessThan(100);
  });
});

describe('a count with no bytes behind it', () => {
  it('refuses post.updated ending right after an /old_values count of 2^31-1 at once', () => {
    const { spec, writer, frame } = withField('post.updated@1', 'old_values', varint(2 ** 31 - 1));
    const end = frame.indexOf(varint(2 ** 31 - 1), WIRE_HEADER_SIZE) + varint(2 ** 31 - 1).length;
    const found = failure(() => decode(spec, writer, frame.subarray(0, end)));
    expect(found).toMatchObject({ rule: UNDECODABLE, pointer: '/old_values' });
    expect(found!.ms).toBeLessThan(100);
  });
});

describe('every value is range-checked against its Avro type (silent corruption in issue 11)', () => {
  const variant = (bitrate: Buffer) => Buffer.concat([varint(1), avroString('1080p'), bitrate, varint(0)]);
  it.each([
    ['an int of 2^40 (/variants/0/bitrate)', 'video.processing_complete@1', 'variants', variant(varint(2 ** 40)), '/variants/0/bitrate', /int varint is longer than 5 bytes or beyond 32 bits/],
    ['an int of 2^31 (one beyond the range)', 'video.processing_complete@1', 'variants', variant(varint(2 ** 31)), '/variants/0/bitrate', /beyond 32 bits/],
    ['an int in an overlong 10-byte varint', 'video.processing_complete@1', 'variants', variant(TEN_BYTE_ONE), '/variants/0/bitrate', /longer than 5 bytes/],
    ['a timestamp-millis of 2^62 (an Invalid Date)', 'post.created@2', 'created_at', varint(2n ** 62n), '/created_at', /timestamp-millis of 4611686018427388000 is outside the Date range/],
    ['a timestamp-millis one beyond the Date range', 'post.created@2', 'created_at', varint(8.64e15 + 1), '/created_at', /outside the Date range/],
    ['a timestamp-millis of 2^62 read through the resolver (v1 -> v2)', 'post.created@1', 'created_at', varint(2n ** 62n), '/created_at', /outside the Date range/],
    ['a long varint beyond 64 bits', 'post.created@2', 'created_at', BEYOND_64_BITS, '/created_at', /beyond 64 bits/],
    ['a long varint of 11 bytes', 'post.created@2', 'created_at', ELEVEN_BYTES, '/created_at', /longer than 10 bytes/],
    ['a boolean byte 0x07', 'user.deleted@1', 'soft_delete', Buffer.from([0x07]), '/soft_delete', /boolean byte is 7, not 0 or 1/],
  ])('refuses %s', (_name, key, field, bytes, pointer, message) => {
    const { spec, writer, frame } = withField(key, field, bytes);
    const found = failure(() => decode(spec, writer, frame));
    expect(found).toMatchObject({ rule: UNDECODABLE, pointer });
    expect(found!.message).toMatch(message);
  });

  it.each([
    ['the Date limit +8.64e15', varint(8.64e15), new Date(8.64e15)],
    ['the Date limit -8.64e15', varint(-8.64e15), new Date(-8.64e15)],
    ['a timestamp in a padded 10-byte varint', TEN_BYTE_ONE, new Date(1)],
  ])('reads %s', (_name, bytes, expected) => {
    const { spec, writer, frame } = withField('post.created@2', 'created_at', bytes);
    expect((decode(spec, writer, frame) as { created_at: Date }).created_at).toEqual(expected);
  });

  it('reads the int and long limits exactly', () => {
    const bits = (value: number) => withField('video.processing_complete@1', 'variants', variant(varint(value)));
    for (const value of [2 ** 31 - 1, -(2 ** 31), 0, -1]) {
      const { spec, writer, frame } = bits(value);
      expect((decode(spec, writer, frame) as { variants: { bitrate: number }[] }).variants[0]!.bitrate).toBe(value);
    }
    const long = avroType('long');
    for (const value of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 49n), 2n ** 49n - 1n]) {
      expect(compileAvroReader(long, long).read(varint(value), 0)).toBe(value);
    }
  });
});

describe('items that take no bytes', () => {
  const nulls = avroType({ type: 'array', items: 'null' });
  const reader = compileAvroReader(nulls, nulls);

  it('reads a block of them within the budget', () => {
    expect(reader.read(Buffer.concat([varint(1000), varint(0)]), 0)).toHaveLength(1000);
  });

  it.each([
    ['one block of 2^31', Buffer.concat([varint(2 ** 31), varint(0)])],
    ['many blocks summing beyond the budget', Buffer.concat([...Array.from({ length: 10 }, () => varint(ZERO_BYTE_ITEMS)), varint(0)])],
  ])('refuses %s', (_name, bytes) => {
    expect(failure(() => reader.read(bytes, 0))).toMatchObject({ rule: UNDECODABLE });
  });
});

describe('map keys', () => {
  it('keeps a "__proto__" key as data, not as the prototype', () => {
    const map = avroType({ type: 'map', values: 'string' });
    const value = compileAvroReader(map, map).read(Buffer.concat([varint(1), avroString('__proto__'), avroString('x'), varint(0)]), 0) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.entries(value)).toEqual([['__proto__', 'x']]);
  });
});

describe('decoded values of the catalog stay within their types', () => {
  it.each(Object.keys(valid))('%s', (key) => {
    const [type] = key.split('@') as [string];
    const spec = event(type);
    const { frame, writer } = withField(key, 'post_id' in valid[key]!.payload ? 'post_id' : Object.keys(valid[key]!.payload)[0]!, avroString(uuid));
    const reader = spec.versions[spec.versions.length - 1]!;
    expect(outsideType(codecs.readerType(spec, reader), decode(spec, writer, frame))).toBeUndefined();
  });
});

describe('JSON Schema events', () => {
  const cacheHit = event('cache.hit');
  const version = cacheHit.versions[0]!;
  const decoder = codecs.decoder(cacheHit, version, 3, { schemaType: 'JSON', schema: version.schema });
  const frame = (json: string) => Buffer.concat([Buffer.from([0, 0, 0, 0, 3]), Buffer.from(json)]);
  const text = (ttl: string) => `{"service":"feed","cache_key":"k","hit":true,"ttl_remaining":${ttl},"timestamp":"2026-11-21T10:00:00Z"}`;

  it('reads a valid one', () => {
    expect(decoder.decode(frame(text('12')))).toMatchObject({ ttl_remaining: 12 });
  });

  it.each([
    ['an integer 1e400 (Infinity)', text('1e400'), '/ttl_remaining'],
    ['an integer -1e400', text('-1e400'), '/ttl_remaining'],
    ['a value that fails its schema', text('"soon"'), '/ttl_remaining'],
  ])('refuses %s as UNDECODABLE_MESSAGE with the pointer', (_name, json, pointer) => {
    expect(failure(() => decoder.decode(frame(json)))).toMatchObject({ rule: UNDECODABLE, pointer });
  });

  it('refuses 1e400 in service.call too', () => {
    const serviceCall = event('service.call');
    const v = serviceCall.versions[0]!;
    const json = '{"caller_service":"a","called_service":"b","method":"m","status":"success","latency_ms":1e400,"timestamp":"2026-11-21T10:00:00Z"}';
    const found = failure(() => codecs.decoder(serviceCall, v, 4, { schemaType: 'JSON', schema: v.schema }).decode(Buffer.concat([Buffer.from([0, 0, 0, 0, 4]), Buffer.from(json)])));
    expect(found).toMatchObject({ rule: UNDECODABLE, pointer: '/latency_ms' });
  });
});

describe('the generated reader reads valid values as avsc does', () => {
  const shapes = {
    type: 'record',
    name: 'Shapes',
    namespace: 'test',
    fields: [
      { name: 'wrapped', type: ['null', { type: 'record', name: 'A', fields: [{ name: 'a', type: 'int' }] }, { type: 'record', name: 'B', fields: [{ name: 'b', type: 'string' }] }] },
      { name: 'three', type: ['null', 'string', 'long'] },
      { name: 'numbers', type: { type: 'array', items: ['int', 'double'] } },
      { name: 'floats', type: { type: 'map', values: 'float' } },
      { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
      { name: 'blob', type: 'bytes' },
      { name: 'money', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
      { name: 'when', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] },
      { name: 'flag', type: 'boolean' },
      { name: 'nested', type: { type: 'array', items: { type: 'map', values: { type: 'array', items: 'long' } } } },
    ],
  };
  const type = avroType(shapes);
  const reader = compileAvroReader(type, type);

  it.each(Array.from({ length: 40 }, (_, i) => [i]))('random value %i', (i) => {
    const value = randomValue(type, seeded(1000 + i));
    const bytes = type.toBuffer(value);
    expect(reader.read(bytes, 0)).toEqual(type.fromBuffer(bytes));
  });

  it('reads a writer field that two reader fields take (by name and by alias) into both', () => {
    const writer = avroType({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'string' }, { name: 'y', type: 'int' }] });
    const readerType = avroType({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'string' }, { name: 'copy', type: 'string', aliases: ['x'] }, { name: 'y', type: 'long' }] });
    const bytes = writer.toBuffer({ x: 'hi', y: 3 });
    const expected = readerType.fromBuffer(bytes, readerType.createResolver(writer));
    expect(compileAvroReader(readerType, writer).read(bytes, 0)).toEqual(expected);
    expect(expected).toMatchObject({ x: 'hi', copy: 'hi', y: 3n });
  });

  it('refuses data nested beyond the stack as UNDECODABLE_MESSAGE, not a RangeError', () => {
    const list = avroType({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] });
    const bytes = Buffer.concat([Buffer.alloc(500_000, 0x02), Buffer.from([0x00])]);
    expect(failure(() => compileAvroReader(list, list).read(bytes, 0))).toMatchObject({ rule: UNDECODABLE });
  });

  it('refuses a decimal with more digits than its precision, and bytes far beyond it', () => {
    const money = avroType({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 });
    const read = (hex: string) => () => compileAvroReader(money, money).read(Buffer.concat([varint(hex.length / 2), Buffer.from(hex, 'hex')]), 0);
    expect(read('270f')()).toBe('99.99');
    expect(read('00270f')()).toBe('99.99');
    expect(failure(read('2710'))).toMatchObject({ rule: UNDECODABLE });
    expect(failure(read('7f'.repeat(100_000)))).toMatchObject({ rule: UNDECODABLE });
  });
});
