import { NovaError } from '../util/errors.js';
import type { CompatibilityLevel, LegacyEncoding, LegacyFieldMapping, SchemaType } from '../model/contract.js';
import type { RuleId } from '../diagnostics/rules.js';
export { latestVersion } from '../model/contract.js';

/** One version of an event as the generated catalog carries it. */
export interface EventVersionSpec {
  readonly version: number;
  /** The schema as registered: the contract file's JSON, whitespace removed. */
  readonly schema: string;
  /** Avro Parsing Canonical Form (Avro only): identifies a writer schema fetched by id. */
  readonly canonical?: string;
}

/** How an event's legacy JSON (the platform's forms before nova-events) is read and written. */
export interface LegacySpec {
  /** The legacy encodings a consumer accepts for the event. */
  readonly encodings: readonly LegacyEncoding[];
  /** The `event_type` header the dual-published legacy copy carries (e.g. `content.post.created`). */
  readonly publishType: string;
  /** The topic the dual-published legacy copy goes to. */
  readonly publishTopic: string;
  /** Field mappings into the first version, by its field names; unlisted fields map by name and aliases. */
  readonly fields: { readonly [field: string]: LegacyFieldMapping };
}

/** What the runtime needs to know about an event type: the generated catalog's entries. */
export interface EventSpec {
  readonly type: string;
  readonly topic: string;
  readonly subject: string;
  /** The record's full name (Avro) or the schema's title (JSON). */
  readonly recordName: string;
  /** The payload field that is the message key (the aggregate id). */
  readonly key: string;
  readonly schemaType: SchemaType;
  readonly compatibility: CompatibilityLevel;
  readonly legacyTypes: readonly string[];
  readonly legacyTopics: readonly string[];
  /** Legacy JSON reading and dual publish; absent when the event has no legacy encodings. */
  readonly legacy?: LegacySpec;
  /** Environment variables that override the topic's name (the seeds' `KAFKA_*_EVENTS_TOPIC`), first wins. */
  readonly topicEnvVars?: readonly string[];
  /** Oldest first; producers write the last one, consumers read every one as the last one. */
  readonly versions: readonly EventVersionSpec[];
}

/** The generated catalog: event type -> its spec. */
export type EventCatalog = { readonly [type: string]: EventSpec };


/** Rule id of an event type that is not in the catalog. */
export const UNKNOWN_EVENT_TYPE = 'UNKNOWN_EVENT_TYPE' satisfies RuleId;

/** The spec of an event type; throws UNKNOWN_EVENT_TYPE when the catalog has none. */
export function specOf(catalog: EventCatalog, type: string): EventSpec {
  // Own keys only: an untrusted type such as "constructor" must not find Object.prototype's.
  const spec = Object.hasOwn(catalog, type) ? catalog[type] : undefined;
  if (!spec) throw new NovaError(UNKNOWN_EVENT_TYPE, `event type "${type}" is not in the catalog`, { hint: 'run nova-events list to see the event types' });
  return spec;
}
