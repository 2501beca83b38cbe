/** How bad a finding is: errors fail the command, warnings are shown but do not. */
export type Severity = 'error' | 'warning';

/**
 * What a rule is about. The CLI decides its exit code from this (see src/cli/exit-codes.ts):
 * findings (contract, compatibility, gate) end a command with 1; usage, config, io and internal
 * errors with 2; registry, network and outbox failures with 3.
 */
export type RuleCategory =
  | 'contract'
  | 'compatibility'
  | 'gate'
  | 'registry'
  | 'runtime-payload'
  | 'runtime-delivery'
  | 'outbox'
  | 'config'
  | 'usage'
  | 'io'
  | 'network'
  | 'internal';

/** Every category, in the order the rules table lists them. */
export const RULE_CATEGORIES: readonly RuleCategory[] = [
  'contract',
  'compatibility',
  'gate',
  'registry',
  'runtime-payload',
  'runtime-delivery',
  'outbox',
  'config',
  'usage',
  'io',
  'network',
  'internal',
];

/** One rule: how bad it is, what it is about, what it protects and the usual fix. */
export interface RuleSpec {
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** What the rule protects, in one line. */
  readonly purpose: string;
  /** The usual fix; findings may carry a more specific one. */
  readonly hint: string;
}

const error = <C extends RuleCategory>(category: C, purpose: string, hint: string) => ({ severity: 'error', category, purpose, hint }) as const;
const warning = <C extends RuleCategory>(category: C, purpose: string, hint: string) => ({ severity: 'warning', category, purpose, hint }) as const;

/** Default hint of a JSON Schema difference that has no specific one. */
const REVERT = 'revert this change, or make it in a new field';
const jsonDiff = (purpose: string, hint: string = REVERT) => error('compatibility', `JSON Schema (Confluent's diff): ${purpose}`, hint);

type Bound = 'ADDED' | 'REMOVED' | 'INCREASED' | 'DECREASED';
/** Confluent's four differences of a numeric keyword (`maxLength` gives MAX_LENGTH_ADDED, ...). */
function bounds<N extends string>(name: N, keyword: string): Record<`${N}_${Bound}`, ReturnType<typeof jsonDiff>> {
  const out: Record<string, ReturnType<typeof jsonDiff>> = {};
  for (const change of ['ADDED', 'REMOVED', 'INCREASED', 'DECREASED'] as const) {
    out[`${name}_${change}`] = jsonDiff(`"${keyword}" was ${change.toLowerCase()}`);
  }
  return out as Record<`${N}_${Bound}`, ReturnType<typeof jsonDiff>>;
}

type Slot = 'ADDED' | 'REMOVED' | 'EXTENDED' | 'NARROWED';
/** Confluent's four differences of `additionalProperties` / `additionalItems`. */
function additional<N extends string>(name: N, keyword: string, hint?: string): Record<`${N}_${Slot}`, ReturnType<typeof jsonDiff>> {
  return {
    [`${name}_ADDED`]: jsonDiff(`"${keyword}" went from false to allowed`),
    [`${name}_REMOVED`]: jsonDiff(`"${keyword}" went from allowed to false`, hint),
    [`${name}_EXTENDED`]: jsonDiff(`"${keyword}" went from a schema to anything`),
    [`${name}_NARROWED`]: jsonDiff(`"${keyword}" went from anything to a schema`, hint),
  } as Record<`${N}_${Slot}`, ReturnType<typeof jsonDiff>>;
}

const OPEN_MODEL_HINT = 'close the content model ("additionalProperties": false) before adding properties, or use the LENIENT policy';
const KEEP_OPEN_HINT = 'keep "additionalProperties" open; old data may carry extra properties';

/**
 * Confluent's JSON Schema difference types (io.confluent.kafka.schemaregistry.json.diff.
 * Difference.Type) the engine records. Whether one is a finding depends on the policy: the
 * compatible sets are in src/compat/json/differences.ts.
 */
const JSON_SCHEMA_DIFFERENCES = {
  ID_CHANGED: jsonDiff('"$id" changed'),
  DESCRIPTION_CHANGED: jsonDiff('"description" changed'),
  TITLE_CHANGED: jsonDiff('"title" changed'),
  DEFAULT_CHANGED: jsonDiff('"default" changed'),
  SCHEMA_ADDED: jsonDiff('a schema was added where there was none'),
  SCHEMA_REMOVED: jsonDiff('a schema was removed'),
  TYPE_EXTENDED: jsonDiff('the type accepts more (integer became number)'),
  TYPE_NARROWED: jsonDiff('the type accepts less (number became integer)', 'keep "number"; integer accepts fewer values'),
  TYPE_CHANGED: jsonDiff('the type changed', 'keep the type, or widen it with anyOf/oneOf that still includes the old type'),
  ...bounds('MAX_LENGTH', 'maxLength'),
  ...bounds('MIN_LENGTH', 'minLength'),
  PATTERN_ADDED: jsonDiff('"pattern" was added'),
  PATTERN_REMOVED: jsonDiff('"pattern" was removed'),
  PATTERN_CHANGED: jsonDiff('"pattern" changed'),
  ...bounds('MAXIMUM', 'maximum'),
  ...bounds('MINIMUM', 'minimum'),
  ...bounds('EXCLUSIVE_MAXIMUM', 'exclusiveMaximum'),
  ...bounds('EXCLUSIVE_MINIMUM', 'exclusiveMinimum'),
  MULTIPLE_OF_ADDED: jsonDiff('"multipleOf" was added'),
  MULTIPLE_OF_REMOVED: jsonDiff('"multipleOf" was removed'),
  MULTIPLE_OF_EXPANDED: jsonDiff('"multipleOf" became a multiple of itself (accepts less)'),
  MULTIPLE_OF_REDUCED: jsonDiff('"multipleOf" became a divisor of itself (accepts more)'),
  MULTIPLE_OF_CHANGED: jsonDiff('"multipleOf" changed to an unrelated value'),
  REQUIRED_ATTRIBUTE_ADDED: jsonDiff('a property became required', 'give the property a "default", or leave it optional'),
  REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED: jsonDiff('a property with a default became required'),
  REQUIRED_ATTRIBUTE_REMOVED: jsonDiff('a property is no longer required'),
  DEPENDENCY_ARRAY_ADDED: jsonDiff('a property dependency was added'),
  DEPENDENCY_ARRAY_REMOVED: jsonDiff('a property dependency was removed'),
  DEPENDENCY_ARRAY_EXTENDED: jsonDiff('a property dependency requires more properties'),
  DEPENDENCY_ARRAY_NARROWED: jsonDiff('a property dependency requires fewer properties'),
  DEPENDENCY_ARRAY_CHANGED: jsonDiff('a property dependency changed'),
  DEPENDENCY_SCHEMA_ADDED: jsonDiff('a schema dependency was added'),
  DEPENDENCY_SCHEMA_REMOVED: jsonDiff('a schema dependency was removed'),
  ...bounds('MAX_PROPERTIES', 'maxProperties'),
  ...bounds('MIN_PROPERTIES', 'minProperties'),
  ...additional('ADDITIONAL_PROPERTIES', 'additionalProperties', KEEP_OPEN_HINT),
  PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: jsonDiff('a property with a default was added to an open content model', OPEN_MODEL_HINT),
  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: jsonDiff('a required property was added to an open content model', 'give the property a "default", or leave it out of "required"'),
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: jsonDiff(
    'an optional property was added to an open content model',
    'in an open content model old data may already carry this name with any value; close the model first, or use the LENIENT policy',
  ),
  PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: jsonDiff('a property accepting anything was added to an open content model'),
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: jsonDiff('a required property without a default was added to a closed content model', 'give the property a "default", or leave it out of "required"'),
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL: jsonDiff('a required property with a default was added to a closed content model'),
  OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: jsonDiff('an optional property was added to a closed content model'),
  PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL: jsonDiff('a property was removed from an open content model'),
  PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL: jsonDiff('a property whose schema was false was removed from a closed content model'),
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: jsonDiff('a property was removed from a closed content model', 'keep the property (a closed model rejects old data that has it), or open the model'),
  PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a property was added that the partially open model already accepted'),
  PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a property was added that the partially open model did not accept'),
  PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a property was removed that the partially open model still accepts'),
  PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a property was removed that the partially open model does not accept'),
  ...bounds('MAX_ITEMS', 'maxItems'),
  ...bounds('MIN_ITEMS', 'minItems'),
  UNIQUE_ITEMS_ADDED: jsonDiff('"uniqueItems" was added'),
  UNIQUE_ITEMS_REMOVED: jsonDiff('"uniqueItems" was removed'),
  ...bounds('MAX_CONTAINS', 'maxContains'),
  ...bounds('MIN_CONTAINS', 'minContains'),
  ...additional('ADDITIONAL_ITEMS', 'additionalItems'),
  UNEVALUATED_ITEMS_ADDED: jsonDiff('"unevaluatedItems" went from false to allowed'),
  UNEVALUATED_ITEMS_REMOVED: jsonDiff('"unevaluatedItems" went from allowed to false'),
  UNEVALUATED_ITEMS_EXTENDED: jsonDiff('"unevaluatedItems" went from a schema to anything'),
  UNEVALUATED_ITEMS_NARROWED: jsonDiff('"unevaluatedItems" went from anything to a schema'),
  ITEM_ADDED_TO_OPEN_CONTENT_MODEL: jsonDiff('a tuple item was added to an open content model'),
  ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: jsonDiff('a tuple item accepting anything was added to an open content model'),
  ITEM_ADDED_TO_CLOSED_CONTENT_MODEL: jsonDiff('a tuple item was added to a closed content model'),
  ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL: jsonDiff('a tuple item was removed from an open content model'),
  ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL: jsonDiff('a tuple item whose schema was false was removed from a closed content model'),
  ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL: jsonDiff('a tuple item was removed from a closed content model'),
  ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a tuple item was added that the partially open model already accepted'),
  ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a tuple item was added that the partially open model did not accept'),
  ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a tuple item was removed that the partially open model still accepts'),
  ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: jsonDiff('a tuple item was removed that the partially open model does not accept'),
  ENUM_ARRAY_EXTENDED: jsonDiff('"enum" gained values'),
  ENUM_ARRAY_NARROWED: jsonDiff('"enum" lost values', 'keep every enum value old data may hold'),
  ENUM_ARRAY_CHANGED: jsonDiff('"enum" or "const" changed', 'only add enum values'),
  COMBINED_TYPE_EXTENDED: jsonDiff('a combination accepts more (e.g. allOf became anyOf)'),
  COMBINED_TYPE_CHANGED: jsonDiff('the combination keyword changed', 'keep the combination keyword (allOf/anyOf/oneOf)'),
  COMBINED_TYPE_SUBSCHEMAS_CHANGED: jsonDiff('branches of a combination changed', 'keep every old branch, and only add new ones'),
  PRODUCT_TYPE_EXTENDED: jsonDiff('an allOf gained parts', 'do not add allOf parts: each one rejects more data'),
  PRODUCT_TYPE_NARROWED: jsonDiff('an allOf lost parts'),
  SUM_TYPE_EXTENDED: jsonDiff('an anyOf/oneOf gained branches'),
  SUM_TYPE_NARROWED: jsonDiff('an anyOf/oneOf lost branches', 'keep every anyOf/oneOf branch'),
  NOT_TYPE_EXTENDED: jsonDiff('a "not" schema rejects more'),
  NOT_TYPE_NARROWED: jsonDiff('a "not" schema rejects less'),
} as const;

/** A Confluent JSON Schema difference type. */
export type JsonDifferenceType = keyof typeof JSON_SCHEMA_DIFFERENCES;

/**
 * Every rule nova-events reports, as findings or as `NovaError`s: the one table the CLI's
 * `rules` command and the README print. A new rule id is added here, next to its kind.
 */
export const RULES = {
  // Contracts: parsing and validating the catalog (validate; every command that loads it)
  LEGACY_MAPPING_FIELD_UNKNOWN: error('contract', "a legacy mapping names only fields of the contract's first version", 'fix the field name under legacy.fields'),
  LEGACY_MAPPING_TYPE_MISMATCH: error('contract', "a legacy mapping's defaults and symbols convert to their field's type", 'fix the default or symbols under legacy.fields'),
  LEGACY_PUBLISH_TARGET_INVALID: error('contract', 'dual publish writes a declared legacy type to a topic consumers read', 'list the type under legacy.types and the topic under legacy.topics'),
  FILE_NOT_UTF8: error('contract', 'a contract file must be UTF-8: other bytes would be read as U+FFFD', 'save the file as UTF-8'),
  INVALID_JSON: error('contract', 'every contract file is JSON', 'fix the syntax at the line shown'),
  CONTRACT_PATH_UNREADABLE: error('contract', 'every path under contracts/ is read (unreadable files, dangling or looping links, FIFOs are refused)', 'fix the permissions, or remove the link or special file'),
  CONTRACT_FILE_TOO_LARGE: error('contract', 'a contract file is a schema or its metadata, never more than 4 MiB', 'split the schema, or move the data out of contracts/'),
  METADATA_INVALID: error('contract', "an event's metadata file or topics.json has the documented shape", 'see the event file format in the README'),
  TOPICS_FILE_MISSING: error('contract', 'contracts/topics.json declares the topics', 'declare the topics in contracts/topics.json'),
  VERSION_FILE_MISSING: error('contract', "every version an event lists exists next to its metadata", 'add the file, or fix the name in "versions"'),
  SCHEMA_FILE_UNREFERENCED: warning('contract', "every schema file is a version of some event", "list it in an event's \"versions\", or delete it"),
  UNKNOWN_FILE: warning('contract', 'contracts/ holds events, schemas and the topics file only', 'move the file out of contracts/'),
  SCHEMA_NOT_JSON: error('contract', 'a schema holds only values JSON can carry', 'use numbers, strings, booleans, null, arrays and plain objects'),
  SCHEMA_TOO_DEEP: error('contract', 'schemas nest no deeper than the documented limit, so no walk can overflow the stack', 'flatten the schema: name nested types and refer to them'),
  SCHEMA_NOT_RECORD: error('contract', 'an Avro event schema is a record', 'wrap the payload in {"type": "record", ...}'),
  AVRO_INVALID_SCHEMA: error('contract', 'an Avro schema follows the specification, and the runtime (avsc) can load it', 'fix the schema at the pointer shown'),
  AVRO_INVALID_NAME: error('contract', 'Avro names are letters, digits and _ and do not redefine primitives', 'use letters, digits and _ only, not starting with a digit'),
  AVRO_UNKNOWN_TYPE: error('contract', 'every type a schema names is a primitive or defined before use', 'define the named type before it is used, or use a primitive type name'),
  AVRO_DUPLICATE_NAME: error('contract', 'a named type is defined once', 'define it once and refer to it by name'),
  AVRO_DUPLICATE_FIELD: error('contract', 'a record has each field name once', 'rename or remove one of the fields'),
  AVRO_DUPLICATE_SYMBOL: error('contract', 'an enum lists each symbol once', 'remove the repeated symbol'),
  AVRO_INVALID_DEFAULT: error('contract', "a default is a valid value of its field's type (Avro Java: of any union branch)", 'make the default a value of the type'),
  AVRO_INVALID_UNION: error('contract', 'a union holds each type once and no nested union', 'flatten the union and remove repeated branches'),
  AVRO_LOGICAL_TYPE_INVALID: warning('contract', 'a logical type has valid attributes, else Avro Java and the runtime ignore it', 'fix the logical type\'s attributes, or remove "logicalType"'),
  AVRO_LOGICAL_TYPE_UNKNOWN: warning('contract', 'a logical type is one Avro knows, else it is read as its underlying type', 'use a logical type of the Avro specification, or remove "logicalType"'),
  JSON_SCHEMA_INVALID: error('contract', "a JSON Schema contract is valid under its draft's meta-schema", 'fix the schema at the pointer shown'),
  JSON_SCHEMA_DRAFT_UNSUPPORTED: error('contract', 'a JSON Schema declares a draft the gate and the runtime both support', 'use "$schema" of draft-07 or 2020-12 (see the README)'),
  JSON_SCHEMA_REF_UNRESOLVED: error('contract', 'every "$ref" points at a schema in the same document', 'fix the reference, or define the schema it names'),
  DUPLICATE_TOPIC: error('contract', 'a topic is declared once', 'remove one of the declarations'),
  TOPIC_NAME_CONVENTION: error('contract', 'topics are named "<prefix>.<aggregate>.events"', 'use lower-case dot-separated words, e.g. "nova.post.events"'),
  TOPIC_UNDEFINED: error('contract', "an event's topic is declared in contracts/topics.json", 'declare the topic, or fix the name'),
  DUPLICATE_EVENT_TYPE: error('contract', 'each event type (and legacy alias) belongs to one contract', 'rename one of them'),
  DUPLICATE_SUBJECT: error('contract', 'each event has its own registry subject', 'give the record another name, or use TopicRecordNameStrategy'),
  EVENT_NAME_CONVENTION: error('contract', 'event types are "<aggregate>.<event>"', 'rename the event type'),
  FILE_NAME_CONVENTION: error('contract', 'files are named after their event type and version', 'rename or move the file'),
  RECORD_NAME_MISSING: error('contract', 'every version has a record name (Avro "name", JSON Schema "title"): the subject depends on it', 'name the record'),
  RECORD_NAME_CHANGED: error('contract', 'the record name stays the same across versions, since the subject depends on it', 'keep the record name (use aliases to rename)'),
  RECORD_NAME_CONVENTION: error('contract', 'record names are PascalCase', 'rename the record, keeping the old name as an alias'),
  FIELD_NAME_CONVENTION: error('contract', 'field and property names are snake_case', 'rename the field in a new version'),
  ENUM_SYMBOL_CONVENTION: error('contract', 'enum symbols are UPPER_SNAKE_CASE', 'rename the symbol in a new version'),
  FIELD_UNDOCUMENTED: error('contract', 'every record, field and property is documented', 'describe it in "doc" (Avro) or "description" (JSON Schema)'),
  KEY_FIELD_MISSING: error('contract', "an event's key field is in every version", 'add the key field, or fix "key" in the event file'),
  KEY_FIELD_NOT_STRING: error('contract', 'the key field is a non-null (required) string: the Kafka key is the aggregate id', 'make the field a string (logicalType uuid is fine)'),

  // Compatibility: the engine's findings (check-compat, checkCompatibility)
  SCHEMA_INVALID: error('compatibility', 'the engine judges only schemas it can parse', 'fix the schema (nova-events validate shows where)'),
  SCHEMA_TYPE_CHANGED: error('compatibility', 'a subject keeps one schema type', 'register the new format under a new subject'),
  NAME_MISMATCH: error('compatibility', 'named types are matched by name, so a rename breaks resolution unless the reader aliases the old name', 'keep the name, or add the old one to "aliases"'),
  FIXED_SIZE_MISMATCH: error('compatibility', 'fixed values carry no length on the wire, so both sides must agree on the size', 'keep the size, or add a new field'),
  MISSING_ENUM_SYMBOLS: error('compatibility', 'a reader must know every symbol a writer may send, unless its enum has a default symbol', 'keep the symbols, or give the enum a "default"'),
  READER_FIELD_MISSING_DEFAULT_VALUE: error('compatibility', 'a field the writer never wrote can only be read if the reader has a default for it', 'add a "default" to the field'),
  READER_FIELD_AMBIGUOUS: error('compatibility', 'a reader field must match at most one writer field by its name and aliases', 'remove the alias that matches a second field'),
  TYPE_MISMATCH: error('compatibility', 'a value can only change type along the promotions int→long→float→double and string↔bytes', 'keep the type, or add a new field with a default instead'),
  MISSING_UNION_BRANCH: error('compatibility', 'every type a writer may write must be readable by some branch of the reader union', 'keep the union branch'),
  ...JSON_SCHEMA_DIFFERENCES,

  // Gate: the catalog against a git ref and the live registry (check-compat --against)
  EVENT_REMOVED: error('gate', 'a published event is never removed: consumers still read it', 'restore the event, or deprecate it and keep its contract'),
  TOPIC_CHANGED: error('gate', "a published event's topic does not change: consumers subscribe to it", 'keep the topic; add the new one as a legacy alias plan'),
  KEY_FIELD_CHANGED: error('gate', "a published event's key does not change: it would reorder its events across partitions", 'keep the key field'),
  COMPATIBILITY_LEVEL_CHANGED: warning('gate', "a change of an event's compatibility level is reviewed", 'make sure every consumer can follow the new level'),
  PUBLISHED_VERSION_DELETED: error('gate', 'a published version is never deleted', 'restore the version file and its entry in "versions"'),
  PUBLISHED_VERSION_EDITED: error('gate', 'a published version is immutable: a change is a new version', 'restore the published schema and add the change as a new version'),
  VERDICT_MISMATCH: warning('gate', 'the engine and the registry agree on every verdict', "check the subject's level in the registry (nova-events status) and report the pair"),
  CONSUMER_LAG_EXCEEDED: error('gate', 'a consumer group is no further behind than --max-lag (a deploy or cron gate)', 'scale the group, or find why its handlers are slow (nova-events lag)'),
  TOPIC_MORE_PARTITIONS: warning('gate', 'a topic has the partitions the catalog declares (more cannot be undone, so it is only reported)', 'update partitions in contracts/topics.json, or accept the drift'),
  TOPIC_RETENTION_DIFFERS: warning('gate', 'a topic keeps its events as long as the catalog declares (reported, never changed)', 'align retentionMs in contracts/topics.json, or change the topic with kafka-configs'),

  // Registry: answers of the schema registry (exit 3)
  REGISTRY_UNAVAILABLE: error('registry', 'the registry answers (network errors, timeouts, 429 and 5xx are retried first)', 'check that the registry runs and that the URL is right'),
  REGISTRY_UNAUTHORIZED: error('registry', 'the registry accepts the credentials', 'set NOVA_SCHEMA_REGISTRY_USER and NOVA_SCHEMA_REGISTRY_PASSWORD, or NOVA_SCHEMA_REGISTRY_TOKEN'),
  REGISTRY_INVALID_SCHEMA: error('registry', 'the registry can parse every schema it is sent', 'run nova-events validate'),
  REGISTRY_INCOMPATIBLE: error('registry', 'the registry refuses a version that is incompatible under the subject\'s level (a finding of check-compat --against registry, a failure of register)', 'run nova-events check-compat --against registry to see why'),
  REGISTRY_ERROR: error('registry', 'the registry answers with no error the operation does not expect', 'read the registry\'s message; check the subject and the schema id'),
  REGISTRY_BAD_RESPONSE: error('registry', "answers are the Confluent API's JSON (a 404 without a Confluent code is a wrong URL path)", "the URL must be the root of the registry's Confluent-compatible API (Apicurio: /apis/ccompat/v7)"),
  CONTRACT_NOT_REGISTERED: error('registry', 'a producer publishes only versions the registry holds', 'run nova-events register, or let the producer register (autoRegister)'),

  // Runtime: payloads produced and consumed (the library; consumers dead-letter these)
  PAYLOAD_INVALID: error('runtime-payload', 'what is published matches the contract exactly, field by field', 'fix the value at the pointer shown'),
  KEY_MISSING: error('runtime-payload', 'every published event carries its key field as a non-empty string', 'set the key field of the payload'),
  PUBLISH_OPTION_INVALID: error('runtime-payload', 'publish options (time, headers, ids) are valid values', 'fix the option named in the message'),
  EVENT_ID_INVALID: error('runtime-payload', 'an event id is a non-empty, valid UTF-8 string of at most 256 bytes, so deduplication is exact', 'use a UUID (the default when no eventId is given)'),
  EVENT_ID_MISSING: error('runtime-payload', 'a consumed event carries an event id (event_id or ce_id), so deduplication is possible', 'publish with nova-events, or set the event_id header'),
  UNDECODABLE_MESSAGE: error('runtime-payload', 'a consumed message is a valid Confluent frame of a schema the consumer can read, within its type ranges', 'inspect the dead-letter topic; the producer wrote bytes that are not its contract'),
  UNKNOWN_EVENT_TYPE: error('runtime-payload', 'an event type is in the catalog', 'run nova-events list to see the event types'),
  UNKNOWN_SCHEMA_ID: error('runtime-payload', "a consumed message's schema id is one the registry holds for its event", 'check that producer and consumer use the same registry'),
  LEGACY_UNDECODABLE: error('runtime-payload', 'a legacy JSON message is bounded, UTF-8 JSON of an object', 'inspect the dead-letter topic; the legacy producer wrote something that is not JSON'),
  LEGACY_UNMAPPABLE: error('runtime-payload', "a legacy JSON message maps onto its contract's first version, field by field", 'fix the legacy producer, or the mapping in legacy.fields of the event'),
  LEGACY_ENCODING_NOT_ALLOWED: error('runtime-payload', 'a legacy JSON message arrives only for events whose metadata allow that encoding', 'add the encoding to legacy.encodings, or fix the producer'),

  // Runtime: delivery (producer and consumer use)
  HANDLER_FAILED: error('runtime-delivery', 'a handler that fails on every attempt dead-letters its event instead of stopping the partition', 'fix the handler, then replay the dead-letter topic'),
  CONSUMER_INTERNAL_ERROR: error('runtime-delivery', 'an unexpected failure on one message dead-letters it instead of stopping the partition', 'report it: this is a bug in nova-events'),
  HANDLER_ALREADY_REGISTERED: error('runtime-delivery', 'an event type has one handler per consumer', 'register the handler once'),
  NO_HANDLERS: error('runtime-delivery', 'a consumer runs with at least one handler', 'register a handler with on() before run()'),
  PRODUCER_NOT_CONNECTED: error('runtime-delivery', 'a producer publishes only after connect() looked up its schema ids', 'call connect() first, and list the type in events'),
  LEGACY_DUAL_PUBLISH_INVALID: error('runtime-delivery', 'dual publish names catalog events whose legacy form can be written', 'list only events with a legacy encoding in legacy.dualPublish'),
  CONSUMER_GROUP_MISSING: error('runtime-delivery', 'a consumer has a group id', 'pass groupId, or set KAFKA_GROUP_ID'),
  METRICS_UNAVAILABLE: error('runtime-delivery', 'the metrics nova-events registers are its own in the given prom-client registry', 'pass a registry without metrics of these names, or one registry per producer/consumer/relay'),

  // Outbox: enqueue and relay
  OUTBOX_ENQUEUE_FAILED: error('outbox', "the outbox insert succeeds in the caller's transaction", 'check the outbox table (nova-events outbox migrate) and the transaction'),
  OUTBOX_PUBLISH_FAILED: error('outbox', 'a row that fails on every attempt goes to the dead-letter topic, and its aggregate moves on', 'see dlq_error on the dead-letter record; retry with nova-events outbox retry --dead'),

  // Configuration: project, config file and connection settings (exit 2)
  PROJECT_NOT_FOUND: error('config', 'commands run in a nova-events project (contracts/topics.json or nova-events.config.json)', 'run in the project, or pass --project'),
  CONFIG_INVALID: error('config', 'nova-events.config.json has the documented settings and types', 'fix the setting at the pointer shown'),
  CONTRACTS_FOLDER_INVALID: error('config', 'the contracts setting names a readable folder', 'set "contracts" in nova-events.config.json to a folder'),
  GENERATED_FOLDER_INVALID: error('config', 'the generated setting names a folder (or a path where one can be created)', 'set "generated" in nova-events.config.json to a folder'),
  REGISTRY_URL_MISSING: error('config', 'registry commands know the registry URL', 'pass --registry-url, or set NOVA_SCHEMA_REGISTRY_URL'),
  REGISTRY_URL_INVALID: error('config', 'the registry URL is an http or https URL', 'e.g. http://127.0.0.1:18081/apis/ccompat/v7'),
  REGISTRY_CA_UNREADABLE: error('config', 'the --ca-file of a TLS registry can be read', 'fix the path of the CA bundle'),
  DATABASE_URL_MISSING: error('config', 'outbox commands know the database URL', 'pass --database-url, or set NOVA_OUTBOX_DATABASE_URL'),
  DATABASE_URL_INVALID: error('config', 'the outbox database URL is a postgres:// URL', 'use postgres://user:password@host:5432/database'),
  KAFKA_BROKERS_MISSING: error('config', 'commands that talk to Kafka know the brokers', 'pass --brokers host:9092, or set NOVA_KAFKA_BROKERS'),
  KAFKA_BROKERS_INVALID: error('config', 'every broker is host:port', 'e.g. --brokers 127.0.0.1:19092'),
  KAFKA_OPTION_INVALID: error('config', 'the Kafka connection settings (SASL, TLS) are ones kafkajs understands', 'fix the flag, variable or config field named in the message'),
  KAFKA_CA_UNREADABLE: error('config', 'the CA file of a TLS cluster can be read', 'fix --ssl-ca-file / NOVA_KAFKA_CA_FILE'),
  TOPIC_NAME_INVALID: error('config', 'topic names (after the prefix and the topics map) are names Kafka accepts', 'use letters, digits, ".", "_" and "-", at most 249'),
  ENV_VALUE_INVALID: error('config', "the seeds' environment variables (KAFKA_*) hold valid values", 'fix the variable named in the message'),
  OUTBOX_IDENTIFIER_INVALID: error('config', 'the outbox schema and table are plain SQL identifiers', 'use letters, digits and _ (at most 63, not starting with a digit)'),
  OUTBOX_TABLE_MISSING: error('config', 'the outbox table exists before the relay or the outbox commands use it', 'run nova-events outbox migrate'),

  // Usage: the command line
  USAGE: error('usage', 'the command line (or an option given in code) is one the command understands', 'run with --help for usage'),

  // Local I/O: files and git (exit 2)
  GENERATE_WRITE_FAILED: error('io', 'generate writes all of its files or none', 'check the permissions of the generated folder'),
  DOCS_WRITE_FAILED: error('io', 'docs writes all of the site or none of it', 'check the permissions of the --out folder'),
  ASYNCAPI_WRITE_FAILED: error('io', 'asyncapi writes its document', 'check the --out path'),
  GIT_UNAVAILABLE: error('io', 'check-compat --against git: runs git', 'install git, or drop --against'),
  GIT_NOT_A_REPOSITORY: error('io', 'check-compat --against git: runs in a git repository', 'run check-compat in the repository, or drop --against'),
  GIT_REF_NOT_FOUND: error('io', 'the ref to compare with is in the clone', 'fetch it first (a shallow clone lacks older commits)'),
  GIT_FAILED: error('io', 'git reads the catalog at the ref', 'read git\'s message; check the clone'),

  // Network: other services (exit 3)
  DATABASE_UNAVAILABLE: error('network', 'the outbox database can be reached and logged in to', 'check --database-url / NOVA_OUTBOX_DATABASE_URL and that PostgreSQL is running'),
  KAFKA_UNAVAILABLE: error('network', 'the Kafka cluster can be reached', 'check --brokers and that the cluster runs'),
  KAFKA_AUTH_FAILED: error('network', 'the Kafka cluster accepts the SASL credentials', 'check NOVA_KAFKA_USERNAME, NOVA_KAFKA_PASSWORD and the mechanism'),
  KAFKA_REQUEST_FAILED: error('network', 'the Kafka cluster accepts the admin requests the command sends', "read the broker's message; check the ACLs of the user"),
  KAFKA_BAD_RESPONSE: error('network', 'the broker answers with offsets and metadata of the expected shape', 'check that --brokers points at Kafka'),

  // Internal
  INTERNAL_ERROR: error('internal', 'nova-events never fails with an error it did not expect', 'this is a bug in nova-events: please report it with the command line and the stack trace'),
} as const satisfies Record<string, RuleSpec>;

/** A rule id: a key of the rules table, so a typo or a near-duplicate does not compile. */
export type RuleId = keyof typeof RULES;

/** The rule ids whose findings are errors. */
export type ErrorRuleId = { [K in RuleId]: (typeof RULES)[K]['severity'] extends 'error' ? K : never }[RuleId];

/** The rule ids whose findings are warnings. */
export type WarningRuleId = { [K in RuleId]: (typeof RULES)[K]['severity'] extends 'warning' ? K : never }[RuleId];

/** The rule ids of a category. */
export type RuleIdOf<C extends RuleCategory> = { [K in RuleId]: (typeof RULES)[K]['category'] extends C ? K : never }[RuleId];

/** True when `id` is a rule of the table (for ids read from outside, e.g. a dead-letter header). */
export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}

/** The table entry of a rule. */
export function ruleSpec(id: RuleId): RuleSpec {
  return RULES[id];
}

/** The table as rows sorted by category (in RULE_CATEGORIES order), then id. */
export function ruleRows(): Array<RuleSpec & { readonly id: RuleId }> {
  const order = new Map(RULE_CATEGORIES.map((c, i) => [c, i]));
  return (Object.keys(RULES) as RuleId[])
    .map((id) => ({ id, ...(RULES[id] as RuleSpec) }))
    .sort((a, b) => (order.get(a.category) ?? 0) - (order.get(b.category) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
