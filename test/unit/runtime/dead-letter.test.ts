import { createRequire } from 'node:module';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { deadLetterMessage, stackSummary } from '../../../src/runtime/dead-letter.js';

/** kafkajs's own record encoder: what `producer.send` runs on every message (kafkajs 2.2.4 is pinned). */
const encodeRecord = createRequire(import.meta.url)('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: { key: Buffer | null; value: Buffer | null; headers: IHeaders }) => unknown;

const source = { topic: 'nova.content.events', partition: 2, groupId: 'feed-service' };
const message = (headers: unknown): KafkaMessage => ({ key: Buffer.from('k'), value: Buffer.from([0, 0, 0, 0, 1]), headers: headers as IHeaders, offset: '41', timestamp: '0', attributes: 0 }) as KafkaMessage;

// Headers as a consumer received them from kafkajs: a null value, a repeated header with nulls.
const received: { name: string; headers: unknown; kept: Record<string, unknown> }[] = [
  { name: 'a null value', headers: { event_type: Buffer.from('post.created'), trace: null }, kept: { event_type: Buffer.from('post.created') } },
  { name: 'a repeated header with nulls', headers: { trace: [null, Buffer.from('a'), null] }, kept: { trace: [Buffer.from('a')] } },
  { name: 'a repeated header of nulls only', headers: { trace: [null, null] }, kept: {} },
  { name: 'bytes that are not UTF-8 stay as they were', headers: { blob: Buffer.from([0xff, 0xfe]) }, kept: { blob: Buffer.from([0xff, 0xfe]) } },
  { name: 'an inherited name kafkajs turns into an array', headers: { constructor: [Object, Buffer.from('c')] }, kept: { constructor: [Buffer.from('c')] } },
  { name: 'no headers', headers: undefined, kept: {} },
];

describe('deadLetterMessage', () => {
  it.each(received)('$name: the dead letter can be written by kafkajs', ({ headers, kept }) => {
    const dead = deadLetterMessage(message(headers), source, { reason: 'UNKNOWN_EVENT_TYPE', error: new Error('nope'), attempts: 0 });
    expect(() => encodeRecord(dead)).not.toThrow();
    const original = Object.fromEntries(Object.entries(dead.headers).filter(([name]) => !name.startsWith('dlq_')));
    expect(original).toEqual(kept);
    expect(dead.headers).toMatchObject({ dlq_reason: 'UNKNOWN_EVENT_TYPE', dlq_error: 'nope', dlq_source_offset: '41', dlq_source_partition: '2', dlq_consumer_group: 'feed-service' });
  });

  it.each([
    { name: 'a string', error: 'plain', text: 'plain' },
    { name: 'undefined', error: undefined, text: 'undefined' },
    { name: 'an object without a prototype', error: Object.create(null) as object, text: '[object Object]' },
    { name: 'an object whose toString throws', error: { toString: () => { throw new Error('no'); } }, text: '[object Object]' },
    { name: 'a long message', error: new Error('m'.repeat(5000)), text: 'm'.repeat(2000) },
  ])('whatever a handler threw ($name) becomes a dlq_error', ({ error, text }) => {
    const dead = deadLetterMessage(message({}), source, { reason: 'HANDLER_FAILED', error, attempts: 4 });
    expect(dead.headers['dlq_error']).toBe(text);
    expect(() => encodeRecord(dead)).not.toThrow();
  });

  it('summarises a stack, and an error whose stack is not a string', () => {
    expect(stackSummary(new Error('x'))).toContain('dead-letter.test.ts');
    const odd = new Error('x');
    (odd as { stack: unknown }).stack = 42;
    expect(stackSummary(odd)).toBe('');
  });
});
