import { describe, expect, it } from 'vitest';
import type { IHeaders } from 'kafkajs';
import { catalog } from '../../../generated/catalog.js';
import type { EventSpec } from '../../../src/runtime/event-spec.js';
import {
  eventHeaders,
  eventIdProblem,
  headersAsStrings,
  isValidEventId,
  MAX_EVENT_ID_BYTES,
  readEventHeaders,
  type PublishOptions,
} from '../../../src/runtime/headers.js';
import { NovaError } from '../../../src/util/errors.js';

const spec = catalog['post.created'] as EventSpec;
const bytes = (...values: number[]) => Buffer.from(values);
const huge = 'x'.repeat(1 << 20);

// What kafkajs 2.2.4 hands a consumer: Buffers, `null` for a header without a value, an array
// for a repeated header, and (its decoder builds headers on a plain object) an inherited
// member such as `constructor` as the first item of an array.
const headerCases: { name: string; headers: unknown; expected: Record<string, string> }[] = [
  { name: 'the issue sample: a null header value', headers: { event_type: bytes(...Buffer.from('post.created')), event_id: Buffer.from('e-13'), trace: null }, expected: { event_type: 'post.created', event_id: 'e-13' } },
  { name: 'an undefined value', headers: { a: undefined, b: Buffer.from('1') }, expected: { b: '1' } },
  { name: 'a repeated header: the last occurrence decides', headers: { a: [Buffer.from('1'), Buffer.from('2')] }, expected: { a: '2' } },
  { name: 'a repeated header ending in null has no value', headers: { a: [Buffer.from('1'), null] }, expected: {} },
  { name: 'a repeated header starting with null', headers: { a: [null, Buffer.from('2')] }, expected: { a: '2' } },
  { name: 'an empty array', headers: { a: [] }, expected: {} },
  { name: 'an inherited name kafkajs turns into an array', headers: { constructor: [Object, Buffer.from('c')], toString: [Object.prototype.toString] }, expected: { constructor: 'c' } },
  { name: 'a header named __proto__ stays a header', headers: JSON.parse('{"__proto__": "p"}') as IHeaders, expected: JSON.parse('{"__proto__": "p"}') as Record<string, string> },
  { name: 'bytes that are not UTF-8 read as U+FFFD', headers: { a: bytes(0xff), b: bytes(0x61, 0xfe, 0x62) }, expected: { a: '\uFFFD', b: 'a\uFFFDb' } },
  { name: 'strings (an in-process producer) pass as they are', headers: { a: 'x' }, expected: { a: 'x' } },
  { name: 'values that are not bytes are left out', headers: { a: 42, b: {}, c: true }, expected: {} },
  { name: 'a huge value is kept (the broker bounded it)', headers: { a: Buffer.from(huge) }, expected: { a: huge } },
  { name: 'no headers', headers: undefined, expected: {} },
  { name: 'null headers', headers: null, expected: {} },
];

describe('headersAsStrings (headers are untrusted input)', () => {
  it.each(headerCases)('$name', ({ headers, expected }) => {
    const out = headersAsStrings(headers as IHeaders);
    expect(out).toEqual(expected);
    expect(Object.keys(out)).toEqual(Object.keys(expected));
    expect(() => readEventHeaders(out)).not.toThrow();
  });
});

describe('readEventHeaders', () => {
  it('reads the issue sample with a null header value', () => {
    const read = readEventHeaders(headersAsStrings({ event_type: Buffer.from('post.created'), event_id: Buffer.from('e-13'), trace: null } as unknown as IHeaders));
    expect(read).toMatchObject({ eventType: 'post.created', eventId: 'e-13', eventIdStatus: 'valid', all: { event_type: 'post.created', event_id: 'e-13' } });
  });

  it.each<{ name: string; all: Record<string, string>; eventId: string | undefined; status: string }>([
    { name: 'event_id wins over ce_id', all: { event_id: 'a', ce_id: 'b' }, eventId: 'a', status: 'valid' },
    { name: 'ce_id when there is no event_id', all: { ce_id: 'b' }, eventId: 'b', status: 'valid' },
    { name: 'no id', all: {}, eventId: undefined, status: 'missing' },
    { name: 'an empty id is not an id', all: { event_id: '' }, eventId: undefined, status: 'invalid' },
    { name: 'an invalid event_id does not fall back to ce_id', all: { event_id: '', ce_id: 'b' }, eventId: undefined, status: 'invalid' },
    { name: 'ff decoded to U+FFFD', all: headersAsStrings({ event_id: bytes(0xff) }), eventId: undefined, status: 'invalid' },
    { name: 'a huge id', all: { event_id: huge }, eventId: undefined, status: 'invalid' },
  ])('event id: $name', ({ all, eventId, status }) => {
    const read = readEventHeaders(all);
    expect(read.eventId).toBe(eventId);
    expect(read.eventIdStatus).toBe(status);
    expect(read.eventIdProblem === undefined).toBe(status === 'valid');
  });

  it('reads ids from bytes ff and fe as invalid, not as one id', () => {
    const [a, b] = [bytes(0xff), bytes(0xfe)].map((id) => readEventHeaders(headersAsStrings({ event_id: id })));
    expect([a!.eventIdStatus, b!.eventIdStatus]).toEqual(['invalid', 'invalid']);
    expect([a!.eventId, b!.eventId]).toEqual([undefined, undefined]);
  });

  it.each<{ all: Record<string, string>; type: string | undefined }>([
    { all: { event_type: '' }, type: '' },
    { all: { event_type: 'post.created ', ce_type: 'post.created' }, type: 'post.created ' },
    { all: { ce_type: 'post.created' }, type: 'post.created' },
    { all: {}, type: undefined },
  ])('the event_type header $all is read as sent: $type', ({ all, type }) => {
    expect(readEventHeaders(all).eventType).toBe(type);
  });

  it.each([
    { version: '2', expected: 2 },
    { version: '9'.repeat(400), expected: undefined },
    { version: '-1', expected: undefined },
    { version: '', expected: undefined },
  ])('schema_version $version', ({ version, expected }) => {
    expect(readEventHeaders({ schema_version: version }).schemaVersion).toBe(expected);
  });

  it('ignores a ce_time that is not a date', () => {
    expect(readEventHeaders({ ce_time: 'soon' }).time).toBeUndefined();
    expect(readEventHeaders({ ce_time: '2026-11-21T10:00:00.000Z' }).time).toEqual(new Date('2026-11-21T10:00:00.000Z'));
  });
});

const validIds = [
  '0f8fad5b-d9cb-469f-a165-70867728950e',
  'e-13',
  'ü-1',
  '订单-1',
  'post:1/like:2',
  '\u{1F600}',
  'a'.repeat(MAX_EVENT_ID_BYTES),
  'é'.repeat(MAX_EVENT_ID_BYTES / 2),
];
const invalidIds: { name: string; id: unknown; problem: RegExp }[] = [
  { name: 'empty', id: '', problem: /empty/ },
  { name: 'a space', id: ' ', problem: /U\+0020/ },
  { name: 'an inner space', id: 'a b', problem: /U\+0020/ },
  { name: 'a tab', id: 'a\tb', problem: /U\+0009/ },
  { name: 'a newline', id: 'a\n', problem: /U\+000A/ },
  { name: 'NUL', id: '\0', problem: /U\+0000/ },
  { name: 'DEL', id: 'a\u007f', problem: /U\+007F/ },
  { name: 'a C1 control', id: 'a\u0085', problem: /U\+0085/ },
  { name: 'a no-break space', id: 'a\u00a0b', problem: /U\+00A0/ },
  { name: 'a zero-width space', id: 'a\u200bb', problem: /U\+200B/ },
  { name: 'a private-use character', id: '\ue000', problem: /U\+E000/ },
  { name: 'a lone surrogate (written as U+FFFD)', id: 'a\ud800', problem: /U\+D800/ },
  { name: 'U+FFFD', id: '\ufffd', problem: /not UTF-8/ },
  { name: 'bytes ff decoded', id: bytes(0xff).toString('utf8'), problem: /not UTF-8/ },
  { name: 'one byte too long', id: 'a'.repeat(MAX_EVENT_ID_BYTES + 1), problem: /longer than 256 bytes/ },
  { name: 'too long in bytes, not in characters', id: 'é'.repeat(MAX_EVENT_ID_BYTES / 2 + 1), problem: /longer than 256 bytes/ },
  { name: 'a megabyte', id: huge, problem: /longer/ },
  { name: 'a number', id: 42, problem: /a number, not a string/ },
  { name: 'null', id: null, problem: /missing/ },
];

describe('event ids', () => {
  it.each(validIds)('%s is valid', (id) => {
    expect(eventIdProblem(id)).toBeUndefined();
    expect(isValidEventId(id)).toBe(true);
  });

  it.each(invalidIds)('$name is invalid', ({ id, problem }) => {
    expect(eventIdProblem(id)).toMatch(problem);
    expect(isValidEventId(id)).toBe(false);
  });

  it.each(validIds)('an id the producer writes (%s) is one the consumer reads as valid', (id) => {
    const { headers } = eventHeaders(spec, 2, 'k', 'test', { eventId: id });
    const read = readEventHeaders(headersAsStrings(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(String(v))]))));
    expect(read).toMatchObject({ eventId: id, eventIdStatus: 'valid' });
  });
});

function refusal(options: PublishOptions): NovaError {
  try {
    eventHeaders(spec, 2, 'k', 'test', options);
  } catch (error) {
    if (error instanceof NovaError) return error;
    throw error;
  }
  throw new Error('eventHeaders accepted the options');
}

describe('eventHeaders refuses options it cannot write', () => {
  it.each(invalidIds.filter((c) => c.id !== null))('eventId $name: EVENT_ID_INVALID at /eventId', ({ id }) => {
    const error = refusal({ eventId: id as string });
    expect(error).toMatchObject({ rule: 'EVENT_ID_INVALID', pointer: '/eventId' });
    expect(error.message.length).toBeLessThan(300);
  });

  it.each([
    { name: 'an invalid Date', options: { time: new Date(Number.NaN) }, pointer: '/time', message: /an invalid Date/ },
    { name: 'a string time', options: { time: '2026-11-21T10:00:00Z' as unknown as Date }, pointer: '/time', message: /the string/ },
    { name: 'a number time', options: { time: 1_700_000_000_000 as unknown as Date }, pointer: '/time', message: /a number/ },
    { name: 'an empty correlation id', options: { correlationId: '' }, pointer: '/correlationId', message: /empty/ },
    { name: 'a causation id with a newline', options: { causationId: 'a\nb' }, pointer: '/causationId', message: /U\+000A/ },
    { name: 'a header that is not a string', options: { headers: { trace: 7 as unknown as string } }, pointer: '/headers/trace', message: /must be a string/ },
    { name: 'headers that are not an object', options: { headers: 'x' as unknown as Record<string, string> }, pointer: '/headers', message: /object of strings/ },
  ])('$name: PUBLISH_OPTION_INVALID at $pointer', ({ options, pointer, message }) => {
    const error = refusal(options);
    expect(error).toMatchObject({ rule: 'PUBLISH_OPTION_INVALID', pointer });
    expect(error.message).toMatch(message);
  });

  it('writes valid options, the extreme valid Dates included', () => {
    const max = new Date(8.64e15);
    const { eventId, headers } = eventHeaders(spec, 2, 'k', 'test', { eventId: 'e-1', correlationId: 'c-1', causationId: 'x-1', time: max, headers: { trace: 't' } });
    expect(eventId).toBe('e-1');
    expect(headers).toMatchObject({ event_id: 'e-1', ce_id: 'e-1', correlation_id: 'c-1', causation_id: 'x-1', ce_time: max.toISOString(), trace: 't', event_type: 'post.created' });
    expect(isValidEventId(eventHeaders(spec, 2, 'k', 'test', undefined).eventId)).toBe(true);
  });
});
