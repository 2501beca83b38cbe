import {
  context,
  createTraceState,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';

/**
 * W3C Trace Context through `@opentelemetry/api` only: without an SDK registered by the service
 * every call here is a no-op (no span is recorded, nothing is exported).
 */
const tracer = trace.getTracer('nova-events');

/** The W3C Trace Context header names (the outbox table has a column for each). */
export const TRACE_HEADER = { traceparent: 'traceparent', tracestate: 'tracestate' } as const;

/**
 * Longest tracestate read from a message: the W3C limit a propagator must pass on. A longer one
 * is dropped (the trace still continues through traceparent).
 */
export const MAX_TRACESTATE_LENGTH = 512;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[^]*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The `traceparent` value of a span context (version 00). */
export function formatTraceparent(span: Pick<SpanContext, 'traceId' | 'spanId' | 'traceFlags'>): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * The remote span context of W3C trace headers, or undefined when `traceparent` is missing or
 * not valid (headers are untrusted: a bad one starts no trace rather than failing the message).
 * Follows Trace Context level 1: version ff and all-zero ids are invalid, version 00 has nothing
 * after the flags, a later version may carry more fields.
 */
export function parseTraceHeaders(traceparent: string | undefined, tracestate: string | undefined): SpanContext | undefined {
  if (traceparent === undefined || traceparent.length > 256) return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined) || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  const state = tracestate !== undefined && tracestate.length <= MAX_TRACESTATE_LENGTH ? safeTraceState(tracestate) : undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & 0x01, isRemote: true, ...(state ? { traceState: state } : {}) };
}

function safeTraceState(value: string) {
  try {
    return createTraceState(value);
  } catch {
    return undefined;
  }
}

/** The trace headers of the active span, or undefined when no (valid) span is active. */
export function activeTraceHeaders(active: Context = context.active()): { traceparent: string; tracestate: string | undefined } | undefined {
  const span = trace.getSpanContext(active);
  if (!span || !isSpanContextValid(span)) return undefined;
  const state = span.traceState?.serialize();
  return { traceparent: formatTraceparent(span), tracestate: state ? state : undefined };
}

/**
 * Runs `work` in a PRODUCER span (a child of the active span) when a span is active, so that the
 * headers written inside carry it; without an active span, `work` runs as it is and no span or
 * header is made (a publish outside any trace starts none).
 */
export async function inProducerSpan<T>(topicsOf: () => readonly string[], work: () => Promise<T>): Promise<T> {
  const active = context.active();
  const parent = trace.getSpanContext(active);
  if (!parent || !isSpanContextValid(parent)) return work();
  const topics = topicsOf();
  const destination = topics.length === 1 ? topics[0]! : 'batch';
  const span = tracer.startSpan(
    `send ${destination}`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': topics.join(',') } },
    active,
  );
  try {
    return await context.with(trace.setSpan(active, span), work);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** What a span records of a thrown value; never throws, whatever a handler threw. */
function exceptionOf(error: unknown): Error | string {
  if (error instanceof Error) return error;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

function failSpan(span: Span, error: unknown): void {
  const exception = exceptionOf(error);
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof exception === 'string' ? exception : String(exception.message) });
}

/**
 * The CONSUMER span of one message, continuing the producer's trace from its headers (a new
 * trace when they have none). It is started only for a message that reaches a handler, and the
 * handler runs inside it, so that what the handler publishes continues the same trace.
 */
export class MessageSpan {
  private span: Span | undefined;
  private active: Context = ROOT_CONTEXT;
  /** When the handling started (`performance.now()`), for the processing-time histogram. */
  startedAt: number | undefined;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly offset: string,
    private readonly group: string,
  ) {}

  /** Starts the span of the event's handling, with the producer's span (from `headers`) as parent. */
  start(type: string, eventId: string | undefined, headers: Readonly<Record<string, string>>): void {
    this.startedAt = performance.now();
    const remote = parseTraceHeaders(own(headers, TRACE_HEADER.traceparent), own(headers, TRACE_HEADER.tracestate));
    const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
    const attributes: Record<string, string | number> = {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': this.topic,
      'messaging.destination.partition.id': String(this.partition),
      'messaging.kafka.offset': Number(this.offset),
      'messaging.consumer.group.name': this.group,
      'nova.event_type': type,
    };
    if (eventId !== undefined) attributes['messaging.message.id'] = eventId;
    this.span = tracer.startSpan(`process ${this.topic}`, { kind: SpanKind.CONSUMER, attributes }, parent);
    this.active = trace.setSpan(parent, this.span);
  }

  /** Runs the handler in the span's context. */
  run<T>(work: () => T): T {
    return this.span ? context.with(this.active, work) : work();
  }

  /** Records a failed handler attempt (an exception event; the next attempt runs in the same span). */
  attemptFailed(error: unknown, attempt: number): void {
    if (!this.span) return;
    this.span.recordException(exceptionOf(error));
    this.span.setAttribute('nova.attempts', attempt);
  }

  /** Records the message's outcome on the span; a dead-letter reason marks it failed. */
  outcome(outcome: string, attempts: number | undefined, reason: string | undefined): void {
    if (!this.span) return;
    this.span.setAttribute('nova.outcome', outcome);
    if (attempts !== undefined) this.span.setAttribute('nova.attempts', attempts);
    if (reason !== undefined) {
      this.span.setAttribute('nova.dead_letter.reason', reason);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    }
  }

  /** Ends the span (when one was started). */
  end(): void {
    this.span?.end();
    this.span = undefined;
  }
}

function own(all: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(all, name) ? all[name] : undefined;
}
