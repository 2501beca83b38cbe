import { describe, expect, it } from 'vitest';
import { CodecCache, PAYLOAD_INVALID } from '../../../src/runtime/codec.js';
import type { EventSpec } from '../../../src/runtime/event-spec.js';
import { readSchemaId, UNDECODABLE } from '../../../src/runtime/wire-format.js';
import { avroCanonicalForm } from '../../../src/formats/avro/canonical.js';
import { NovaError } from '../../../src/util/errors.js';

const v1 = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'shop.order',
  fields: [
    { name: 'order_id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'customer', type: 'string' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'quantity', type: 'long' },
    { name: 'placed_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'state', type: { type: 'enum', name: 'State', symbols: ['NEW', 'PAID'] } },
  ],
};
const v2 = {
  ...v1,
  fields: [
    ...v1.fields.map((f) => (f.name === 'customer' ? { ...f, name: 'customer_id', aliases: ['customer'] } : f)),
    { name: 'channel', type: ['null', 'string'], default: null },
    { name: 'labels', type: { type: 'map', values: 'string' }, default: {} },
  ],
};

function spec(versions: object[], schemaType: 'AVRO' | 'JSON' = 'AVRO'): EventSpec {
  return {
    type: 'order.placed',
    topic: 'shop.order.events',
    subject: 'shop.order.events-shop.order.OrderPlaced',
    recordName: 'shop.order.OrderPlaced',
    key: 'order_id',
    schemaType,
    compatibility: 'BACKWARD',
    legacyTypes: [],
    legacyTopics: [],
    versions: versions.map((schema, i) => ({
      version: i + 1,
      schema: JSON.stringify(schema),
      ...(schemaType === 'AVRO' ? { canonical: avroCanonicalForm(schema) } : {}),
    })),
  };
}

const payload = {
  order_id: '0b7e7dd8-3b6e-4c36-9d0c-1c7d4b0b8f11',
  customer: 'c-1',
  total: '-1234.50',
  quantity: 2n ** 60n + 1n,
  placed_at: new Date('2026-11-21T10:00:00.123Z'),
  state: 'PAID',
};

function rule(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof NovaError ? error.rule : `not a NovaError: ${String(error)}`;
  }
}

describe('the codec', () => {
  const codecs = new CodecCache();
  const old = spec([v1]);
  const current = spec([v1, v2]);
  const encoded = codecs.encoder(old, old.versions[0]!, 42).encode(payload);

  it('frames with magic byte 0 and the 4-byte big-endian schema id', () => {
    expect([...encoded.subarray(0, 5)]).toEqual([0, 0, 0, 0, 42]);
    expect(readSchemaId(encoded)).toBe(42);
  });

  it('round-trips every logical type exactly (long beyond 2^53, decimal, timestamp, uuid)', () => {
    const decoded = codecs.decoder(old, old.versions[0]!, 42, { schemaType: 'AVRO', schema: old.versions[0]!.schema }).decode(encoded);
    expect({ ...(decoded as object) }).toEqual(payload);
  });

  it('reads an older writer as the newest version: alias renamed, defaults filled', () => {
    const decoder = codecs.decoder(current, current.versions[1]!, 42, { schemaType: 'AVRO', schema: JSON.stringify(v1) });
    expect(decoder.writerVersion).toBe(1);
    const decoded = decoder.decode(encoded) as Record<string, unknown>;
    expect(decoded).toMatchObject({ customer_id: 'c-1', channel: null, labels: {}, quantity: payload.quantity, total: '-1234.50' });
    expect(decoded).not.toHaveProperty('customer');
  });

  it('recognises a writer version by canonical form when the registry reformatted it', () => {
    const reformatted = JSON.stringify(v1, null, 4);
    expect(codecs.decoder(current, current.versions[1]!, 77, { schemaType: 'AVRO', schema: reformatted }).writerVersion).toBe(1);
  });

  it.each([
    ['an empty message', Buffer.alloc(0)],
    ['a message shorter than the header', Buffer.from([0, 0, 0])],
    ['a wrong magic byte', Buffer.from([1, 0, 0, 0, 42, 2])],
  ])('refuses %s', (_name, bytes) => {
    expect(rule(() => readSchemaId(bytes))).toBe(UNDECODABLE);
  });

  it.each([
    ['a truncated payload', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['trailing bytes', (b: Buffer) => Buffer.concat([b, Buffer.from([1, 2])])],
  ])('refuses %s', (_name, mangle) => {
    const decoder = codecs.decoder(old, old.versions[0]!, 42, { schemaType: 'AVRO', schema: old.versions[0]!.schema });
    expect(rule(() => decoder.decode(mangle(encoded)))).toBe(UNDECODABLE);
  });

  it.each([
    ['a missing field', { ...payload, customer: undefined }, '/customer'],
    ['a wrong type', { ...payload, quantity: 'two' }, '/quantity'],
    ['an unknown enum symbol', { ...payload, state: 'LOST' }, '/state'],
    ['a decimal beyond its scale', { ...payload, total: '1.234' }, '/total'],
  ])('refuses to encode %s, naming the field', (_name, bad, pointer) => {
    const encoder = codecs.encoder(old, old.versions[0]!, 42);
    try {
      encoder.encode(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NovaError);
      expect((error as NovaError).rule).toBe(PAYLOAD_INVALID);
      expect((error as NovaError).pointer).toBe(pointer);
    }
  });

  it('encodes payloads larger than its scratch buffer', () => {
    const big = { ...payload, customer: 'x'.repeat(200_000) };
    const bytes = codecs.encoder(old, old.versions[0]!, 42).encode(big);
    const decoded = codecs.decoder(old, old.versions[0]!, 42, { schemaType: 'AVRO', schema: old.versions[0]!.schema }).decode(bytes);
    expect((decoded as { customer: string }).customer).toHaveLength(200_000);
  });

  describe('JSON Schema events', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'shop.order.OrderPlaced',
      type: 'object',
      properties: { order_id: { type: 'string' }, count: { type: 'integer', minimum: 0 } },
      required: ['order_id', 'count'],
      additionalProperties: false,
    };
    const json = spec([schema], 'JSON');

    it('frames UTF-8 JSON and validates on both ends', () => {
      const bytes = codecs.encoder(json, json.versions[0]!, 9).encode({ order_id: 'ü', count: 3 });
      expect(readSchemaId(bytes)).toBe(9);
      expect(bytes.subarray(5).toString('utf8')).toBe('{"order_id":"ü","count":3}');
      expect(codecs.decoder(json, json.versions[0]!, 9, { schemaType: 'JSON', schema: json.versions[0]!.schema }).decode(bytes)).toEqual({ order_id: 'ü', count: 3 });
    });

    it.each([
      ['a missing property', { order_id: 'a' }],
      ['an extra property', { order_id: 'a', count: 1, extra: true }],
      ['a value below its minimum', { order_id: 'a', count: -1 }],
    ])('refuses %s', (_name, bad) => {
      expect(rule(() => codecs.encoder(json, json.versions[0]!, 9).encode(bad))).toBe(PAYLOAD_INVALID);
    });

    it('refuses bytes that are not JSON', () => {
      const decoder = codecs.decoder(json, json.versions[0]!, 9, { schemaType: 'JSON', schema: json.versions[0]!.schema });
      expect(rule(() => decoder.decode(Buffer.from([0, 0, 0, 0, 9, 0x7b])))).toBe(UNDECODABLE);
    });
  });
});
