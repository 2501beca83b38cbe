import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { CodecCache, PAYLOAD_INVALID } from '../../../src/runtime/codec.js';
import { latestVersion, type EventSpec } from '../../../src/runtime/event-spec.js';
import { WIRE_HEADER_SIZE } from '../../../src/runtime/wire-format.js';
import { NovaError } from '../../../src/util/errors.js';

const codecs = new CodecCache();
const event = (type: string) => catalog[type as keyof typeof catalog] as EventSpec;
const encode = (type: string, payload: unknown) => codecs.encoder(event(type), latestVersion(event(type)), 5).encode(payload);
const uuid = '0b7e7dd8-3b6e-4c36-9d0c-1c7d4b0b8f11';

function refusal(run: () => unknown): { rule: string; pointer: string | undefined; message: string } | string {
  try {
    run();
    return 'encoded';
  } catch (error) {
    return error instanceof NovaError ? { rule: error.rule, pointer: error.pointer, message: error.message } : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

const video = { video_id: uuid, owner_id: uuid, completed_at: new Date(1_763_700_000_000), variants: [{ resolution: '1080p', bitrate: 4500 }] };
const upload = { upload_id: uuid, media_id: uuid, user_id: uuid, file_name: 'a.png', size_bytes: 10n, uploaded_at: new Date(0) };
const updated = { post_id: uuid, author_id: uuid, changed_fields: ['caption'], old_values: { caption: 'a' }, new_values: { caption: null }, updated_at: new Date(0) };
const cacheHit = { service: 'feed', cache_key: 'k', hit: true, ttl_remaining: 3, timestamp: '2026-11-21T10:00:00Z' };

describe('encoding refuses what it cannot write exactly, naming the field and the Avro type as written', () => {
  it.each([
    ['a bigint for an int (a TypeError before)', 'video.processing_complete', { ...video, variants: [{ resolution: '1080p', bitrate: 5n }] }, '/variants/0/bitrate', /got bigint 5, expected int\b/],
    ['an int beyond 32 bits', 'video.processing_complete', { ...video, variants: [{ resolution: '1080p', bitrate: 2 ** 31 }] }, '/variants/0/bitrate', /expected int\b/],
    ['a Date beyond the Date range (Invalid Date)', 'video.processing_complete', { ...video, completed_at: new Date(8.64e15 + 1) }, '/completed_at', /got an Invalid Date, expected timestamp-millis/],
    ['a timestamp number beyond the Date range (decoded as Invalid Date before)', 'video.processing_complete', { ...video, completed_at: 9e15 }, '/completed_at', /expected timestamp-millis/],
    ['a long beyond 64 bits ("rejected by the encoder" without a field before)', 'media.upload_completed', { ...upload, size_bytes: 2n ** 63n }, '/size_bytes', /got bigint 9223372036854775808, expected long\b/],
    ['a long below -2^63', 'media.upload_completed', { ...upload, size_bytes: -(2n ** 63n) - 1n }, '/size_bytes', /expected long\b/],
    ['a Map for an Avro map (written as {} before)', 'post.updated', { ...updated, old_values: new Map([['caption', 'a']]) }, '/old_values', /got a Map, expected map/],
    ['a class instance for an Avro map', 'post.updated', { ...updated, new_values: new (class Values { caption = 'b'; })() }, '/new_values', /expected map/],
  ])('%s', (_name, type, payload, pointer, message) => {
    const found = refusal(() => encode(type, payload));
    expect(found).toMatchObject({ rule: PAYLOAD_INVALID, pointer });
    const text = (found as { message: string }).message;
    expect(text).toMatch(message);
    expect(text).not.toMatch(/LongType|IntType|logical:|abstract:|rejected by the encoder/);
  });

  it.each([
    ['the int limits', 'video.processing_complete', { ...video, variants: [{ resolution: 'a', bitrate: 2 ** 31 - 1 }, { resolution: 'b', bitrate: -(2 ** 31) }] }],
    ['the long limits', 'media.upload_completed', { ...upload, size_bytes: 2n ** 63n - 1n }],
    ['a safe-integer number for a long', 'media.upload_completed', { ...upload, size_bytes: 2 ** 53 - 1 }],
    ['the Date limit', 'video.processing_complete', { ...video, completed_at: new Date(8.64e15) }],
    ['a map with a null-prototype object', 'post.updated', { ...updated, old_values: Object.assign(Object.create(null) as object, { caption: 'a' }) }],
  ])('writes %s', (_name, type, payload) => {
    expect(encode(type, payload).length).toBeGreaterThan(WIRE_HEADER_SIZE);
  });
});

describe('JSON Schema events: what is validated is what is written', () => {
  it.each([
    ['Infinity (written as null before, then dead-lettered by consumers)', { ...cacheHit, ttl_remaining: Infinity }, '/ttl_remaining', /Infinity is written as null/],
    ['NaN', { ...cacheHit, ttl_remaining: NaN }, '/ttl_remaining', /NaN is written as null/],
    ['an object whose toJSON() drops fields (validated on its fields before)', { ...cacheHit, toJSON: (): unknown => ({ service: 'feed' }) }, '', /required property 'cache_key'.*toJSON/],
    ['a property whose toJSON() writes the wrong type', { ...cacheHit, timestamp: { toJSON: (): unknown => 5 } }, '/timestamp', /must be string .*toJSON/],
    ['a bigint (a TypeError from JSON.stringify before)', { ...cacheHit, ttl_remaining: 3n }, '/ttl_remaining', /no JSON form/],
    ['a payload with no JSON form', { toJSON: (): unknown => undefined }, '', /no JSON form/],
  ])('refuses %s', (_name, payload, pointer, message) => {
    const found = refusal(() => encode('cache.hit', payload));
    expect(found).toMatchObject({ rule: PAYLOAD_INVALID, pointer });
    expect((found as { message: string }).message).toMatch(message);
  });

  it('writes a Date property as its toJSON() string, which the schema then accepts', () => {
    const bytes = encode('cache.hit', { ...cacheHit, timestamp: new Date('2026-11-21T10:00:00Z') });
    expect(JSON.parse(bytes.subarray(WIRE_HEADER_SIZE).toString())).toMatchObject({ timestamp: '2026-11-21T10:00:00.000Z' });
  });
});
