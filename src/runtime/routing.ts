import { NovaError } from '../util/errors.js';
import type { WriterSchema } from './codec.js';
import { UNKNOWN_EVENT_TYPE, type EventCatalog, type EventSpec } from './event-spec.js';
import { EVENT_ID_INVALID, EVENT_ID_MISSING, quoteForMessage, type EventHeaders, type EventIdStatus } from './headers.js';
import { LEGACY_ENCODING_NOT_ALLOWED, legacyEventId, type LegacyMessage } from './legacy.js';
import { UNDECODABLE } from './wire-format.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of a message whose schema id the registry does not know. */
export const UNKNOWN_SCHEMA_ID = 'UNKNOWN_SCHEMA_ID' satisfies RuleId;

/** The catalog indexed for routing: event types (legacy names too) and writer record names. */
export interface RoutingTable {
  readonly byType: ReadonlyMap<string, EventSpec>;
  readonly byRecordName: ReadonlyMap<string, EventSpec>;
}

/** Indexes a catalog; an event's own type wins over another event's legacy name. */
export function routingTable(catalog: EventCatalog): RoutingTable {
  const specs = Object.values(catalog);
  const byType = new Map<string, EventSpec>(specs.map((spec) => [spec.type, spec]));
  const byRecordName = new Map<string, EventSpec>();
  for (const spec of specs) {
    for (const legacy of spec.legacyTypes) if (!byType.has(legacy)) byType.set(legacy, spec);
    if (!byRecordName.has(spec.recordName)) byRecordName.set(spec.recordName, spec);
  }
  return { byType, byRecordName };
}

/** How a consumer treats what it cannot route or trust. */
export interface RoutingPolicy {
  readonly table: RoutingTable;
  /** True when a handler is registered for the (catalog) event type. */
  readonly handles: (type: string) => boolean;
  readonly unknownEvents: 'skip' | 'dead-letter';
  readonly invalidEventIds: 'dead-letter' | 'handle';
  /** The same for legacy JSON messages (a payload-only one has an id only in its headers); `invalidEventIds` when absent. */
  readonly legacyEventIds?: 'dead-letter' | 'handle';
  /** The prefix of dedupe keys (the consumer group), or undefined without an idempotency store. */
  readonly dedupeScope: string | undefined;
}

/**
 * What is known about one message so far. `writer` and `seen` start unknown; `decide` asks for
 * them (fetch-writer, check-duplicate) when, and only when, the decision depends on them.
 */
export interface MessageFacts {
  readonly headers: EventHeaders;
  /**
   * The schema id from the wire header; or, on a topic where the catalog allows legacy JSON,
   * the legacy message the bytes hold; or why the bytes are neither.
   */
  readonly framing: { readonly schemaId: number } | { readonly legacy: LegacyMessage } | { readonly error: unknown };
  /** The writer schema from the registry, or why it could not be had. */
  readonly writer?: { readonly schema: WriterSchema } | { readonly error: unknown };
  /** The idempotency store's answer for the dedupe key. */
  readonly seen?: boolean;
}

/** The dead-letter decision: a rule id as reason, and the error that explains it. */
export interface DeadLetterDecision {
  readonly kind: 'dead-letter';
  readonly reason: RuleId;
  readonly error: unknown;
  readonly type: string | undefined;
}

/** What the consumer does with one message (or what it must find out first). */
export type RoutingDecision =
  | { readonly kind: 'skip'; readonly type: string | undefined }
  | DeadLetterDecision
  | { readonly kind: 'duplicate'; readonly type: string }
  | {
      readonly kind: 'handle';
      readonly spec: EventSpec;
      readonly schemaId: number;
      readonly writer: WriterSchema;
      /** Undefined when the id is missing or invalid and the policy handles such events anyway. */
      readonly eventId: string | undefined;
      /** The idempotency key to remember once handled; undefined when nothing deduplicates. */
      readonly dedupeKey: string | undefined;
    }
  /** Map the legacy JSON message into the contract, then handle it as `handle` does. */
  | {
      readonly kind: 'handle-legacy';
      readonly spec: EventSpec;
      readonly legacy: LegacyMessage;
      readonly eventId: string | undefined;
      readonly dedupeKey: string | undefined;
    }
  /** Ask the registry for the writer schema of `schemaId`, then decide again. */
  | { readonly kind: 'fetch-writer'; readonly schemaId: number }
  /** Ask the idempotency store about `key`, then decide again. */
  | { readonly kind: 'check-duplicate'; readonly key: string }
  /** An infrastructure failure that may pass (registry outage): stop, and read the message again later. */
  | { readonly kind: 'retry-later'; readonly error: unknown };

/** The record name (Avro) or title (JSON Schema) of a writer schema, when it has one. */
export function recordNameOf(writer: WriterSchema): string | undefined {
  try {
    const schema = JSON.parse(writer.schema) as { name?: unknown; namespace?: unknown; title?: unknown } | null;
    if (typeof schema !== 'object' || schema === null) return undefined;
    if (writer.schemaType === 'JSON') return typeof schema.title === 'string' ? schema.title : undefined;
    if (typeof schema.name !== 'string') return undefined;
    return schema.name.includes('.') || typeof schema.namespace !== 'string' ? schema.name : `${schema.namespace}.${schema.name}`;
  } catch {
    return undefined;
  }
}

function unknownType(policy: RoutingPolicy, shown: string, type: string | undefined): RoutingDecision {
  if (policy.unknownEvents === 'skip') return { kind: 'skip', type };
  const error = new NovaError(UNKNOWN_EVENT_TYPE, `event type ${shown} is not in the catalog`, { hint: 'run nova-events list to see the event types' });
  return { kind: 'dead-letter', reason: UNKNOWN_EVENT_TYPE, error, type };
}

/**
 * The consumer's decision about one message, from what is known about it. Order: bytes that
 * are not a frame are dead-lettered; the `event_type` header, when present, decides the event
 * (a value naming no catalog type is unknown, never routed by the writer's record name, which
 * only routes messages without the header); events without a handler are skipped; a schema id
 * the registry does not know is dead-lettered; a missing or invalid event id is dead-lettered
 * (or handled without deduplication); then the duplicate check, and the handler.
 */
export function decide(facts: MessageFacts, policy: RoutingPolicy): RoutingDecision {
  const { headers } = facts;
  if ('error' in facts.framing) {
    const error = facts.framing.error;
    return { kind: 'dead-letter', reason: error instanceof NovaError ? error.rule : UNDECODABLE, error, type: headers.eventType };
  }
  if ('legacy' in facts.framing) return decideLegacy(facts.framing.legacy, facts, policy);
  const { schemaId } = facts.framing;
  const writer = facts.writer;
  if (writer && 'error' in writer) {
    // A registry outage must not send good events to the dead-letter topic: read them again later.
    if (writer.error instanceof NovaError && writer.error.retriable) return { kind: 'retry-later', error: writer.error };
  }

  let spec: EventSpec | undefined;
  if (headers.eventType !== undefined) {
    spec = policy.table.byType.get(headers.eventType);
    if (!spec) return unknownType(policy, quoteForMessage(headers.eventType), headers.eventType);
  } else {
    if (!writer) return { kind: 'fetch-writer', schemaId };
    if ('error' in writer) return { kind: 'dead-letter', reason: UNKNOWN_SCHEMA_ID, error: writer.error, type: undefined };
    const recordName = recordNameOf(writer.schema);
    spec = recordName !== undefined ? policy.table.byRecordName.get(recordName) : undefined;
    if (!spec) return unknownType(policy, `${recordName !== undefined ? quoteForMessage(recordName) : '(a writer schema without a name)'} (no event_type header)`, undefined);
  }
  if (!policy.handles(spec.type)) return { kind: 'skip', type: spec.type };

  if (!writer) return { kind: 'fetch-writer', schemaId };
  if ('error' in writer) return { kind: 'dead-letter', reason: UNKNOWN_SCHEMA_ID, error: writer.error, type: spec.type };

  const refused = refusedEventId(spec, headers.eventIdStatus, headers.eventIdProblem, policy.invalidEventIds, 'invalidEventIds');
  if (refused) return refused;
  const dedupe = dedupeDecision(spec, headers.eventId, facts, policy);
  if (typeof dedupe !== 'string' && dedupe !== undefined) return dedupe;
  return { kind: 'handle', spec, schemaId, writer: writer.schema, eventId: headers.eventId, dedupeKey: dedupe };
}

function refusedEventId(spec: EventSpec, status: EventIdStatus, problem: string | undefined, policy: 'dead-letter' | 'handle', option: string): DeadLetterDecision | undefined {
  if (status === 'valid' || policy !== 'dead-letter') return undefined;
  const missing = status === 'missing';
  const error = new NovaError(
    missing ? EVENT_ID_MISSING : EVENT_ID_INVALID,
    missing ? `${spec.type}: the message has no event id (event_id or ce_id header)` : `${spec.type}: the event id is not valid (${problem}), so it cannot be deduplicated`,
    { hint: `fix the producer, or pass ${option}: 'handle' to handle such events without deduplication` },
  );
  return { kind: 'dead-letter', reason: error.rule, error, type: spec.type };
}

/** The dedupe key to remember (a string), the duplicate check to ask for or its verdict, or undefined when nothing deduplicates. */
function dedupeDecision(spec: EventSpec, eventId: string | undefined, facts: MessageFacts, policy: RoutingPolicy): string | RoutingDecision | undefined {
  const dedupeKey = policy.dedupeScope !== undefined && eventId !== undefined ? `${policy.dedupeScope}:${eventId}` : undefined;
  if (dedupeKey === undefined) return undefined;
  if (facts.seen === undefined) return { kind: 'check-duplicate', key: dedupeKey };
  if (facts.seen) return { kind: 'duplicate', type: spec.type };
  return dedupeKey;
}

/**
 * The decision about a legacy JSON message. The type is the envelope's `event_type`, else the
 * header (a legacy name or the catalog's own); then as for framed messages: unknown types,
 * events without a handler, the event's allowed encodings, a dual-published copy (skipped: the
 * same event came in the contract's encoding), the event id (the envelope's `id`, else the
 * headers'; refused per `legacyEventIds`), the duplicate check, and the handler. The dedupe
 * key is the one a framed message with the same event id gets, so idempotency spans formats.
 */
function decideLegacy(legacy: LegacyMessage, facts: MessageFacts, policy: RoutingPolicy): RoutingDecision {
  const type = legacy.eventType;
  if (type === undefined) return unknownType(policy, '(none: a legacy message without an event_type header or envelope field)', undefined);
  const spec = policy.table.byType.get(type);
  if (!spec) return unknownType(policy, quoteForMessage(type), type);
  if (!policy.handles(spec.type) || legacy.copy) return { kind: 'skip', type: spec.type };
  if (!spec.legacy?.encodings.includes(legacy.encoding)) {
    const allowed = spec.legacy?.encodings.join(', ') || 'none';
    const error = new NovaError(LEGACY_ENCODING_NOT_ALLOWED, `${spec.type}: a ${legacy.encoding} message, but the contract allows legacy encodings: ${allowed}`, { hint: 'list the encoding under legacy.encodings of the contract' });
    return { kind: 'dead-letter', reason: error.rule, error, type: spec.type };
  }
  const id = legacyEventId(legacy, facts.headers);
  const refused = refusedEventId(spec, id.status, id.problem, policy.legacyEventIds ?? policy.invalidEventIds, 'legacy.eventIds');
  if (refused) return refused;
  const dedupe = dedupeDecision(spec, id.eventId, facts, policy);
  if (typeof dedupe !== 'string' && dedupe !== undefined) return dedupe;
  return { kind: 'handle-legacy', spec, legacy, eventId: id.eventId, dedupeKey: dedupe };
}

/** The dead-letter decision for a payload the codec could not decode (its rule, else UNDECODABLE_MESSAGE). */
export function undecodable(error: unknown, type: string): DeadLetterDecision {
  return { kind: 'dead-letter', reason: error instanceof NovaError ? error.rule : UNDECODABLE, error, type };
}
