import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import type { EventSpec } from './event-spec.js';

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
  /** Unique id of this event; a random UUID by default. Consumers deduplicate on it. */
  readonly eventId?: string;
  /** Id shared by every event of one user request or saga. Defaults to the event id. */
  readonly correlationId?: string;
  /** Id of the event or command that caused this one. */
  readonly causationId?: string;
  /** When the event happened; now by default. */
  readonly time?: Date;
  /** Extra headers; they cannot override the standard ones. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The metadata a consumer reads from an event's headers. */
export interface EventHeaders {
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  readonly source: string | undefined;
  readonly time: Date | undefined;
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
  readonly schemaVersion: number | undefined;
  readonly contentType: string | undefined;
  /** Every header as a string. */
  readonly all: Readonly<Record<string, string>>;
}

/** The content type of an event's value. */
export function contentTypeOf(spec: Pick<EventSpec, 'schemaType'>): string {
  return spec.schemaType === 'AVRO' ? 'application/avro' : 'application/json';
}

/** The standard headers of one outgoing event. */
export function eventHeaders(
  spec: EventSpec,
  version: number,
  key: string,
  source: string,
  options: PublishOptions | undefined,
): { eventId: string; headers: IHeaders } {
  const eventId = options?.eventId ?? randomUUID();
  const correlationId = options?.correlationId ?? eventId;
  const headers: Record<string, string> = { ...options?.headers };
  headers[HEADER.eventType] = spec.type;
  headers[HEADER.eventId] = eventId;
  headers[HEADER.correlationId] = correlationId;
  headers[HEADER.schemaVersion] = String(version);
  headers[HEADER.source] = source;
  headers[HEADER.ceSpecVersion] = '1.0';
  headers[HEADER.ceId] = eventId;
  headers[HEADER.ceType] = spec.type;
  headers[HEADER.ceSource] = source;
  headers[HEADER.ceTime] = (options?.time ?? new Date()).toISOString();
  headers[HEADER.ceSubject] = key;
  headers[HEADER.ceDataSchema] = `${spec.subject}/versions/${version}`;
  headers[HEADER.ceCorrelationId] = correlationId;
  headers[HEADER.contentType] = contentTypeOf(spec);
  if (options?.causationId !== undefined) {
    headers[HEADER.causationId] = options.causationId;
    headers[HEADER.ceCausationId] = options.causationId;
  }
  return { eventId, headers };
}

/** Kafka headers as strings (the last value of a repeated header wins). */
export function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}

/** Reads the standard metadata, preferring the seeds' names and falling back to `ce_*`. */
export function readEventHeaders(all: Readonly<Record<string, string>>): EventHeaders {
  const time = all[HEADER.ceTime];
  const version = all[HEADER.schemaVersion];
  return {
    eventId: all[HEADER.eventId] ?? all[HEADER.ceId],
    eventType: all[HEADER.eventType] ?? all[HEADER.ceType],
    source: all[HEADER.source] ?? all[HEADER.ceSource],
    time: time !== undefined && !Number.isNaN(Date.parse(time)) ? new Date(time) : undefined,
    correlationId: all[HEADER.correlationId] ?? all[HEADER.ceCorrelationId],
    causationId: all[HEADER.causationId] ?? all[HEADER.ceCausationId],
    schemaVersion: version !== undefined && /^\d+$/.test(version) ? Number(version) : undefined,
    contentType: all[HEADER.contentType],
    all,
  };
}
