/** The seven Schema Registry compatibility levels. */
export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;

/** A Schema Registry compatibility level. */
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** The schema formats a contract can be written in (the registry's `schemaType`). */
export const SCHEMA_TYPES = ['AVRO', 'JSON'] as const;

/** A contract's schema format. */
export type SchemaType = (typeof SCHEMA_TYPES)[number];

/** How a contract's registry subject name is derived (Confluent's subject name strategies). */
export const SUBJECT_STRATEGIES = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy'] as const;

/** A subject name strategy. */
export type SubjectStrategy = (typeof SUBJECT_STRATEGIES)[number];

/** A Kafka topic of the catalog, as declared in `contracts/topics.json`. */
export interface TopicSpec {
  readonly name: string;
  readonly description: string;
  readonly partitions: number;
  readonly retentionMs: number;
  /** Environment variables the platform's services read this topic's name from. */
  readonly envVars: readonly string[];
  readonly file: string;
  readonly pointer: string;
}

/** One published (immutable) or proposed version of an event's schema. */
export interface ContractVersion {
  /** 1-based version number, from the position in the event's `versions` list. */
  readonly version: number;
  /** Path of the schema file, relative to the repository root. */
  readonly file: string;
  /** The schema's JSON text exactly as stored. */
  readonly text: string;
  /** The parsed schema JSON. */
  readonly schema: unknown;
  /** The record's full name (Avro) or the schema's `title` (JSON): the subject's record name. */
  readonly recordName: string;
}

/** The JSON forms the platform's services publish today: 000's payload with an `event_type` header, 004's envelope. */
export const LEGACY_ENCODINGS = ['json-payload', 'json-envelope'] as const;

/** A legacy JSON encoding an event may arrive in. */
export type LegacyEncoding = (typeof LEGACY_ENCODINGS)[number];

/** How one field of the contract's first version is read from (and written to) the legacy JSON. */
export interface LegacyFieldMapping {
  /** Legacy names tried in order; the field's own name and its aliases when absent. The first is the name dual publish writes. */
  readonly from?: readonly string[];
  /** The value when the legacy JSON has none (legacy form: `"none"` for an enum, an ISO string for a timestamp). */
  readonly default?: unknown;
  /** Legacy enum value -> contract symbol, where lower-casing is not enough. */
  readonly symbols?: Readonly<Record<string, string>>;
}

/** Old names and topics of an event that consumers must still read, and how its legacy JSON maps. */
export interface LegacyAliases {
  readonly types: readonly string[];
  readonly topics: readonly string[];
  /** Legacy JSON encodings consumers accept (none: only Confluent-framed messages). */
  readonly encodings: readonly LegacyEncoding[];
  /** Field mappings into the first version, by the first version's field name. */
  readonly fields: Readonly<Record<string, LegacyFieldMapping>>;
  /** The `event_type` header dual publish writes; the first dotted legacy type (000's names), else the event type. */
  readonly publishType?: string;
  /** Where dual publish writes the legacy copy; the event's own topic by default (000's topics are the catalog's). */
  readonly publishTopic?: string;
}

/** One domain event type with its metadata and ordered versions. */
export interface EventContract {
  /** `<aggregate>.<event>`, e.g. `post.created`. */
  readonly type: string;
  readonly aggregate: string;
  readonly description: string;
  readonly topic: string;
  readonly schemaType: SchemaType;
  readonly subjectStrategy: SubjectStrategy;
  /** The payload field whose value is the Kafka message key (the aggregate id). */
  readonly key: string;
  readonly compatibility: CompatibilityLevel;
  readonly owner: string;
  readonly subscribers: readonly string[];
  readonly legacy: LegacyAliases;
  /** Which seed documents this contract follows, and the choice made where they disagree. */
  readonly seedSource?: string;
  readonly versions: readonly ContractVersion[];
  /** The metadata file (`<type>.event.json`), relative to the repository root. */
  readonly file: string;
}

/** The whole catalog: every topic and event contract found under `contracts/`. */
export interface Catalog {
  readonly topics: readonly TopicSpec[];
  readonly events: readonly EventContract[];
}

/** The registry subject of an event under its subject name strategy. */
export function subjectName(event: Pick<EventContract, 'topic' | 'subjectStrategy'>, recordName: string): string {
  switch (event.subjectStrategy) {
    case 'TopicNameStrategy':
      return `${event.topic}-value`;
    case 'RecordNameStrategy':
      return recordName;
    case 'TopicRecordNameStrategy':
      return `${event.topic}-${recordName}`;
  }
}

/**
 * The newest version of an event (a contract or the generated catalog's spec): the one
 * producers write and consumers read every older one into.
 */
export function latestVersion<V>(event: { readonly type: string; readonly versions: readonly V[] }): V {
  const latest = event.versions[event.versions.length - 1];
  if (latest === undefined) throw new Error(`event ${event.type} has no versions`);
  return latest;
}

/** The event's subject, from its newest version's record name. */
export function eventSubject(event: EventContract): string {
  return subjectName(event, latestVersion(event).recordName);
}

/**
 * The text of a schema as nova-events registers it and as the generated catalog carries it:
 * the contract file's JSON without whitespace. The same text every run, so a re-run registers
 * no new version and lookups by schema match.
 */
export function registeredSchemaText(schema: unknown): string {
  return JSON.stringify(schema);
}
