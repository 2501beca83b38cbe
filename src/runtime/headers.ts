import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { joinPointer } from '../diagnostics/json-pointer.js';
import { NovaError } from '../util/errors.js';
import type { EventSpec } from './event-spec.js';
import type { RuleId } from '../diagnostics/rules.js';
import { activeTraceHeaders, TRACE_HEADER } from './tracing.js';

/** Rule id of an event id that is not a valid one (see `eventIdProblem`). */
export const EVENT_ID_INVALID = 'EVENT_ID_INVALID' satisfies RuleId;
/** Rule id of a consumed message without an event id (`event_id` or `ce_id`). */
export const EVENT_ID_MISSING = 'EVENT_ID_MISSING' satisfies RuleId;
/** Rule id of a publish option (time, correlation or causation id, extra headers) that cannot be written. */
export const PUBLISH_OPTION_INVALID = 'PUBLISH_OPTION_INVALID' satisfies RuleId;

/** Longest event id, in UTF-8 bytes. A UUID has 36; the bound keeps dedupe keys small. */
export const MAX_EVENT_ID_BYTES = 256;

/**
 * Header names on every event: the seeds' names (`event_type`, `event_id`, ...) plus the
 * CloudEvents Kafka protocol binding, binary mode (`ce_*` and `content-type`).
 */
export const HEADER = {
  eventType: 'event_type',
  eventId: 'event_id',
  correlationId: 'correlation_id',
  causationId: 'causation_id',
  schemaVersion: 'schema_version',
  source: 'source',
  ceSpecVersion: 'ce_specversion',
  ceId: 'ce_id',
  ceType: 'ce_type',
  ceSource: 'ce_source',
  ceTime: 'ce_time',
  ceSubject: 'ce_subject',
  ceDataSchema: 'ce_dataschema',
  ceCorrelationId: 'ce_correlationid',
  ceCausationId: 'ce_causationid',
  contentType: 'content-type',
} as const;

/** Per-publish metadata a producer may set; everything has a default. */
export interface PublishOptions {
  /**
   * Unique id of this event; a random UUID by default. Consumers deduplicate on it, so it must
   * be a valid event id (see `eventIdProblem`); others are refused with EVENT_ID_INVALID.
   */
  readonly eventId?: string;
  /** Id shared by every event of one user request or saga. Defaults to the event id. */
  readonly correlationId?: string;
  /** Id of the event or command that caused this one. */
  readonly causationId?: string;
  /** When the event happened; now by default. A valid `Date`, else PUBLISH_OPTION_INVALID. */
  readonly time?: Date;
  /** Extra headers; they cannot override the standard ones. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The content type of an event's value. */
export function contentTypeOf(spec: Pick<EventSpec, 'schemaType'>): string {
  return spec.schemaType === 'AVRO' ? 'application/avro' : 'application/json';
}

/**
 * Why a string is not a valid event id, or undefined when it is one. A valid event id has 1 to
 * MAX_EVENT_ID_BYTES bytes of UTF-8 and only printable characters: no control, format,
 * surrogate or private-use characters, no spaces or separators, and no U+FFFD. U+FFFD is what a
 * decoder makes of bytes that are not UTF-8, so refusing it keeps two different malformed ids
 * (`ff` and `fe`) from reading as one and being deduplicated as one event; a lone surrogate
 * would be written as U+FFFD the same way.
 */
export function eventIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return id === undefined || id === null ? 'it is missing' : `it is a ${typeof id}, not a string`;
  if (id.length === 0) return 'it is empty';
  // UTF-8 never has fewer bytes than UTF-16 code units: a long string is refused before any scan.
  if (id.length > MAX_EVENT_ID_BYTES || Buffer.byteLength(id, 'utf8') > MAX_EVENT_ID_BYTES) return `it is longer than ${MAX_EVENT_ID_BYTES} bytes`;
  const bad = NOT_PRINTABLE.exec(id);
  if (bad) return bad[0] === '\uFFFD' ? 'it contains U+FFFD (bytes that are not UTF-8)' : `it contains the character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return undefined;
}

/** True when `id` is a valid event id (see `eventIdProblem`). */
export function isValidEventId(id: unknown): id is string {
  return eventIdProblem(id) === undefined;
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Z}\uFFFD]/u;

/** A value quoted for a message, cut to a readable length (header values can be megabytes). */
export function quoteForMessage(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
}

function publishIdOption(type: string, name: 'correlationId' | 'causationId', value: unknown): string {
  const problem = eventIdProblem(value);
  if (problem !== undefined) {
    throw new NovaError(PUBLISH_OPTION_INVALID, `${type}: the ${name} ${typeof value === 'string' ? `${quoteForMessage(value)} ` : ''}is not valid: ${problem}`, {
      pointer: joinPointer('', name),
      hint: 'ids follow the event id rules: 1 to 256 bytes of printable UTF-8, e.g. a UUID',
    });
  }
  return value as string;
}

/**
 * The standard headers of one outgoing event; throws EVENT_ID_INVALID or PUBLISH_OPTION_INVALID
 * on options that cannot be written. When an OpenTelemetry span is active, its W3C
 * `traceparent` / `tracestate` are written too (an outboxed event stores them, so the trace
 * continues through the relay).
 */
export function eventHeaders(
  spec: EventSpec,
  version: number,
  key: string,
  source: string,
  options: PublishOptions | undefined,
): { eventId: string; headers: IHeaders } {
  const eventId = options?.eventId ?? randomUUID();
  const idProblem = eventIdProblem(eventId);
  if (idProblem !== undefined) {
    throw new NovaError(EVENT_ID_INVALID, `${spec.type}: the event id ${typeof eventId === 'string' ? `${quoteForMessage(eventId)} ` : ''}is not valid: ${idProblem}`, {
      pointer: joinPointer('', 'eventId'),
      hint: 'an event id is 1 to 256 bytes of printable UTF-8, e.g. a UUID; leave eventId out for a random UUID',
    });
  }
  const correlationId = options?.correlationId === undefined ? eventId : publishIdOption(spec.type, 'correlationId', options.correlationId);
  const causationId = options?.causationId === undefined ? undefined : publishIdOption(spec.type, 'causationId', options.causationId);
  const time = options?.time ?? new Date();
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
    throw new NovaError(PUBLISH_OPTION_INVALID, `${spec.type}: the time must be a valid Date, got ${time instanceof Date ? 'an invalid Date' : describeOption(time)}`, {
      pointer: joinPointer('', 'time'),
      hint: 'pass a Date, or leave time out for now',
    });
  }
  const headers: Record<string, string> = {};
  if (options?.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null || Array.isArray(options.headers)) {
      throw new NovaError(PUBLISH_OPTION_INVALID, `${spec.type}: headers must be an object of strings, got ${describeOption(options.headers)}`, { pointer: joinPointer('', 'headers') });
    }
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string') {
        throw new NovaError(PUBLISH_OPTION_INVALID, `${spec.type}: the header ${quoteForMessage(name)} must be a string, got ${describeOption(value)}`, { pointer: joinPointer('', 'headers', name) });
      }
      headers[name] = value;
    }
  }
  headers[HEADER.eventType] = spec.type;
  headers[HEADER.eventId] = eventId;
  headers[HEADER.correlationId] = correlationId;
  headers[HEADER.schemaVersion] = String(version);
  headers[HEADER.source] = source;
  headers[HEADER.ceSpecVersion] = '1.0';
  headers[HEADER.ceId] = eventId;
  headers[HEADER.ceType] = spec.type;
  headers[HEADER.ceSource] = source;
  headers[HEADER.ceTime] = time.toISOString();
  headers[HEADER.ceSubject] = key;
  headers[HEADER.ceDataSchema] = `${spec.subject}/versions/${version}`;
  headers[HEADER.ceCorrelationId] = correlationId;
  headers[HEADER.contentType] = contentTypeOf(spec);
  if (causationId !== undefined) {
    headers[HEADER.causationId] = causationId;
    headers[HEADER.ceCausationId] = causationId;
  }
  const traced = activeTraceHeaders();
  if (traced !== undefined) {
    headers[TRACE_HEADER.traceparent] = traced.traceparent;
    if (traced.tracestate !== undefined) headers[TRACE_HEADER.tracestate] = traced.tracestate;
    else delete headers[TRACE_HEADER.tracestate];
  }
  return { eventId, headers };
}

function describeOption(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${quoteForMessage(value)}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `a ${typeof value}`;
}

/** Whether a consumed message's event id can be trusted for deduplication. */
export type EventIdStatus = 'valid' | 'missing' | 'invalid';

/** The metadata a consumer reads from an event's headers. */
export interface EventHeaders {
  /**
   * The event id (`event_id`, else `ce_id`) when it is a valid one; undefined when it is missing
   * or invalid, so that nothing deduplicates on it. The raw header stays in `all`.
   */
  readonly eventId: string | undefined;
  /** Whether the message carries a valid event id, none, or one that is not valid. */
  readonly eventIdStatus: EventIdStatus;
  /** Why the event id is missing or invalid (see `eventIdProblem`); undefined when it is valid. */
  readonly eventIdProblem: string | undefined;
  /** The `event_type` header, else `ce_type`, exactly as sent (it may name no catalog type). */
  readonly eventType: string | undefined;
  readonly source: string | undefined;
  readonly time: Date | undefined;
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
  readonly schemaVersion: number | undefined;
  readonly contentType: string | undefined;
  /** Every header with a value, as a string. */
  readonly all: Readonly<Record<string, string>>;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return undefined;
}

/**
 * Kafka headers as strings; never throws, whatever the headers hold. Headers are untrusted
 * input: kafkajs gives `null` for a header without a value and an array for a repeated header.
 * As Java's `Headers.lastHeader`, the last occurrence of a repeated header decides; a header
 * whose (last) value is null or not bytes has no value and is left out. Bytes that are not
 * UTF-8 read as U+FFFD, which no event id or event type accepts.
 */
export function headersAsStrings(headers: IHeaders | null | undefined): Record<string, string> {
  const entries: [string, string][] = [];
  if (typeof headers !== 'object' || headers === null) return {};
  for (const [name, value] of Object.entries(headers)) {
    const text = headerText(Array.isArray(value) ? value[value.length - 1] : value);
    if (text !== undefined) entries.push([name, text]);
  }
  // fromEntries defines own properties: a header named `__proto__` stays a header.
  return Object.fromEntries(entries);
}

function own(all: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(all, name) ? all[name] : undefined;
}

/**
 * Reads the standard metadata, preferring the seeds' names and falling back to `ce_*`; never
 * throws. An event id that is not valid (see `eventIdProblem`) is reported as such, not as the id.
 */
export function readEventHeaders(all: Readonly<Record<string, string>>): EventHeaders {
  const time = own(all, HEADER.ceTime);
  const version = own(all, HEADER.schemaVersion);
  const rawId = own(all, HEADER.eventId) ?? own(all, HEADER.ceId);
  const idProblem = eventIdProblem(rawId);
  const eventIdStatus: EventIdStatus = rawId === undefined ? 'missing' : idProblem === undefined ? 'valid' : 'invalid';
  const parsedTime = time !== undefined ? Date.parse(time) : Number.NaN;
  const parsedVersion = version !== undefined && /^\d{1,15}$/.test(version) ? Number(version) : undefined;
  return {
    eventId: eventIdStatus === 'valid' ? rawId : undefined,
    eventIdStatus,
    eventIdProblem: idProblem,
    eventType: own(all, HEADER.eventType) ?? own(all, HEADER.ceType),
    source: own(all, HEADER.source) ?? own(all, HEADER.ceSource),
    time: Number.isNaN(parsedTime) ? undefined : new Date(parsedTime),
    correlationId: own(all, HEADER.correlationId) ?? own(all, HEADER.ceCorrelationId),
    causationId: own(all, HEADER.causationId) ?? own(all, HEADER.ceCausationId),
    schemaVersion: parsedVersion,
    contentType: own(all, HEADER.contentType),
    all,
  };
}
