import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { eventHeaders } from '../../../src/runtime/headers.js';
import { activeTraceHeaders, formatTraceparent, MAX_TRACESTATE_LENGTH, MessageSpan, parseTraceHeaders } from '../../../src/runtime/tracing.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('parseTraceHeaders (W3C Trace Context level 1; headers are untrusted)', () => {
  const valid: [string, string, number][] = [
    ['sampled', `00-${TRACE}-${SPAN}-01`, 1],
    ['not sampled', `00-${TRACE}-${SPAN}-00`, 0],
    ['unknown flags are dropped, the sampled bit kept', `00-${TRACE}-${SPAN}-ff`, 1],
    ['a later version may carry more fields', `cc-${TRACE}-${SPAN}-01-what-the-future-holds`, 1],
  ];
  it.each(valid)('reads %s', (_, header, flags) => {
    expect(parseTraceHeaders(header, undefined)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: flags, isRemote: true });
  });

  const invalid: [string, string | undefined][] = [
    ['missing', undefined],
    ['empty', ''],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with more fields', `00-${TRACE}-${SPAN}-01-extra`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['a later version with junk after the flags', `cc-${TRACE}-${SPAN}-01x`],
    ['a megabyte', `cc-${TRACE}-${SPAN}-01-${'x'.repeat(1 << 20)}`],
    ['U+FFFD (bytes that are not UTF-8)', `00-${TRACE}-${SPAN}-0\uFFFD`],
  ];
  it.each(invalid)('starts no trace from a traceparent that is %s', (_, header) => {
    expect(parseTraceHeaders(header, 'vendor=value')).toBeUndefined();
  });

  it('keeps a valid tracestate and drops one that is too long or malformed', () => {
    expect(parseTraceHeaders(`00-${TRACE}-${SPAN}-01`, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')?.traceState?.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(parseTraceHeaders(`00-${TRACE}-${SPAN}-01`, `a=${'b'.repeat(MAX_TRACESTATE_LENGTH)}`)?.traceState).toBeUndefined();
    expect(parseTraceHeaders(`00-${TRACE}-${SPAN}-01`, '=,,==')?.traceState?.serialize() ?? '').toBe('');
  });

  it('formats what it parses', () => {
    const header = `00-${TRACE}-${SPAN}-01`;
    expect(formatTraceparent(parseTraceHeaders(header, undefined)!)).toBe(header);
  });
});

describe('trace headers on publish', () => {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const manager = new AsyncLocalStorageContextManager();
  let tracer: Tracer;
  beforeAll(() => {
    context.setGlobalContextManager(manager.enable());
    trace.setGlobalTracerProvider(provider);
    tracer = trace.getTracer('test');
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  const spec = catalog['post.liked']!;

  it('writes none outside a span', () => {
    expect(activeTraceHeaders()).toBeUndefined();
    const { headers } = eventHeaders(spec, 1, 'k', 'test', undefined);
    expect(Object.keys(headers).filter((h) => h.startsWith('trace'))).toEqual([]);
  });

  it("writes the active span's traceparent and tracestate, over a caller's own", async () => {
    await tracer.startActiveSpan('request', async (span) => {
      const { headers } = eventHeaders(spec, 1, 'k', 'test', { headers: { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'forged=1' } });
      const { traceId, spanId } = span.spanContext();
      expect(headers['traceparent']).toBe(`00-${traceId}-${spanId}-01`);
      // A tracestate the caller set belongs to another traceparent: it is not kept beside ours.
      expect(headers['tracestate']).toBeUndefined();
      span.end();
    });
  });
});

describe('MessageSpan never throws on what a handler throws', () => {
  const hostile = { toString: () => { throw new Error('no'); } };
  it.each([
    ['an object whose toString throws', hostile],
    ['null', null],
    ['a symbol', Symbol('s')],
  ])('%s', (_, thrown) => {
    const span = new MessageSpan('t', 0, '1', 'g');
    span.start('post.liked', 'id', {});
    expect(() => span.attemptFailed(thrown, 1)).not.toThrow();
    expect(() => span.outcome('dead-lettered', 2, 'HANDLER_FAILED')).not.toThrow();
    span.end();
  });
});
