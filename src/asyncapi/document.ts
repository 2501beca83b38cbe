import { jsonSchemaDraft } from '../formats/json-schema/parse.js';
import type { Catalog, EventContract, SubjectStrategy } from '../model/contract.js';
import { eventSubject, latestVersion } from '../model/contract.js';
import { HEADER } from '../runtime/headers.js';

/** Schema format of Avro payloads in AsyncAPI (the version the Avro schema parser understands). */
export const AVRO_SCHEMA_FORMAT = 'application/vnd.apache.avro+json;version=1.9.0';

/** The Kafka bindings version the document uses. */
export const KAFKA_BINDING_VERSION = '0.5.0';

/** Settings of the AsyncAPI document. */
export interface AsyncApiOptions {
  readonly title?: string;
  /** `info.version`: the version of the contracts the document describes. */
  readonly version?: string;
}

type Json = { [key: string]: unknown };

/** Keys of AsyncAPI's maps (channels, messages, operations) allow only these characters. */
function componentKey(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Confluent's lookup strategy per subject name strategy, as the Kafka binding names it. */
const LOOKUP_STRATEGY: Readonly<Record<SubjectStrategy, string>> = {
  TopicNameStrategy: 'TopicNameStrategy',
  RecordNameStrategy: 'RecordNameStrategy',
  TopicRecordNameStrategy: 'TopicRecordNameStrategy',
};

function headersSchema(event: EventContract): Json {
  const text = (description: string, extra: Json = {}): Json => ({ type: 'string', description, ...extra });
  const properties: Json = {
    [HEADER.eventType]: text('Event type, for routing without decoding.', { const: event.type }),
    [HEADER.eventId]: text('Unique id of the event; consumers deduplicate on it.'),
    [HEADER.correlationId]: text('Id shared by every event of one request or saga.'),
    [HEADER.causationId]: text('Id of the event or command that caused this one.'),
    [HEADER.schemaVersion]: text('Contract version the payload was written with.', { pattern: '^[1-9][0-9]*$' }),
    [HEADER.source]: text('The producing service.'),
    [HEADER.ceSpecVersion]: text('CloudEvents spec version.', { const: '1.0' }),
    [HEADER.ceId]: text('CloudEvents id (the event id).'),
    [HEADER.ceType]: text('CloudEvents type (the event type).', { const: event.type }),
    [HEADER.ceSource]: text('CloudEvents source (the producing service).'),
    [HEADER.ceTime]: text('CloudEvents time (RFC 3339).', { format: 'date-time' }),
    [HEADER.ceSubject]: text(`CloudEvents subject: the message key (${event.key}).`),
    [HEADER.ceDataSchema]: text('CloudEvents dataschema: `<subject>/versions/<version>`.'),
    [HEADER.ceCorrelationId]: text('CloudEvents correlation id extension.'),
    [HEADER.ceCausationId]: text('CloudEvents causation id extension.'),
    [HEADER.contentType]: text('Content type of the value.', { const: event.schemaType === 'AVRO' ? 'application/avro' : 'application/json' }),
  };
  const optional = new Set<string>([HEADER.causationId, HEADER.ceCausationId]);
  return { type: 'object', properties, required: Object.keys(properties).filter((name) => !optional.has(name)) };
}

/** Keywords whose values are data, not schemas: a `$ref` string inside them is not a reference. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'example', 'required']);
/** Keywords whose values map names to schemas: the names are not keywords. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies']);

/**
 * The JSON Schema with its local references (`#/definitions/x`) rebased to where the schema
 * sits in the AsyncAPI document: embedded there, `#` means the document's root.
 */
export function rebaseLocalRefs(schema: unknown, base: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rebaseLocalRefs(item, base));
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => {
      if (key === '$ref') return [key, typeof value === 'string' && (value === '#' || value.startsWith('#/')) ? `${base}${value.slice(1)}` : value];
      if (DATA_KEYWORDS.has(key)) return [key, value];
      if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return [key, Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, rebaseLocalRefs(sub, base)]))];
      }
      return [key, rebaseLocalRefs(value, base)];
    }),
  );
}

function payload(event: EventContract): Json {
  const schema = latestVersion(event).schema;
  if (event.schemaType === 'AVRO') return { schemaFormat: AVRO_SCHEMA_FORMAT, schema };
  return {
    schemaFormat: `application/schema+json;version=${jsonSchemaDraft(schema)}`,
    schema: rebaseLocalRefs(schema, `#/components/messages/${componentKey(event.type)}/payload/schema`),
  };
}

function message(event: EventContract): Json {
  const subject = eventSubject(event);
  return {
    name: event.type,
    title: event.type,
    summary: event.description,
    contentType: event.schemaType === 'AVRO' ? 'application/avro' : 'application/json',
    correlationId: { description: 'The correlation id header.', location: `$message.header#/${HEADER.correlationId}` },
    headers: headersSchema(event),
    payload: payload(event),
    bindings: {
      kafka: {
        key: { type: 'string', description: `The ${event.key} field of the payload (the aggregate id), murmur2-partitioned as the Java client does.` },
        schemaIdLocation: 'payload',
        schemaIdPayloadEncoding: 'confluent',
        schemaLookupStrategy: LOOKUP_STRATEGY[event.subjectStrategy],
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    'x-nova-subject': subject,
    'x-nova-compatibility': event.compatibility,
    'x-nova-versions': event.versions.length,
    'x-nova-legacy-types': [...event.legacy.types],
    'x-nova-legacy-topics': [...event.legacy.topics],
  };
}

/**
 * The catalog as an AsyncAPI 3.0 document: one channel per topic (Kafka channel bindings with
 * partitions and retention), one message per event type with its newest schema (Avro with its
 * schema format, or JSON Schema), the standard headers, and Kafka message bindings (the key,
 * `schemaIdLocation: payload`, the lookup strategy from the subject strategy); a send operation
 * per event for its owner and a receive operation per subscriber and topic. Pure.
 */
export function buildAsyncApi(catalog: Catalog, options: AsyncApiOptions = {}): Json {
  const events = [...catalog.events].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const topics = [...catalog.topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const messages: Json = {};
  for (const event of events) if (event.versions.length > 0) messages[componentKey(event.type)] = message(event);
  const withVersions = events.filter((e) => e.versions.length > 0);
  const channels: Json = {};
  const topicNames = new Set(topics.map((t) => t.name));
  const channelOf = (topic: string) => componentKey(topic);
  for (const topic of topics) {
    const on = withVersions.filter((e) => e.topic === topic.name);
    channels[channelOf(topic.name)] = {
      address: topic.name,
      title: topic.name,
      description: topic.description,
      messages: Object.fromEntries(on.map((e) => [componentKey(e.type), { $ref: `#/components/messages/${componentKey(e.type)}` }])),
      bindings: {
        kafka: {
          topic: topic.name,
          partitions: topic.partitions,
          topicConfiguration: { 'retention.ms': topic.retentionMs },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
  }
  const operations: Json = {};
  const messageRef = (e: EventContract) => ({ $ref: `#/channels/${channelOf(e.topic)}/messages/${componentKey(e.type)}` });
  for (const event of withVersions) {
    // An event on an undeclared topic has no channel to refer to (validate reports TOPIC_UNDEFINED).
    if (!topicNames.has(event.topic)) continue;
    operations[componentKey(`${event.owner}.send.${event.type}`)] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelOf(event.topic)}` },
      title: `${event.owner} publishes ${event.type}`,
      summary: event.description,
      messages: [messageRef(event)],
      tags: [{ name: event.owner }],
    };
  }
  const receivers = new Map<string, EventContract[]>();
  for (const event of withVersions) {
    if (!topicNames.has(event.topic)) continue;
    for (const subscriber of event.subscribers) {
      const id = componentKey(`${subscriber}.receive.${event.topic}`);
      receivers.set(id, [...(receivers.get(id) ?? []), event]);
    }
  }
  for (const [id, received] of [...receivers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const subscriber = received[0]!.subscribers.find((s) => id === componentKey(`${s}.receive.${received[0]!.topic}`))!;
    operations[id] = {
      action: 'receive',
      channel: { $ref: `#/channels/${channelOf(received[0]!.topic)}` },
      title: `${subscriber} reads ${received[0]!.topic}`,
      summary: `${subscriber} consumes ${received.map((e) => e.type).join(', ')}.`,
      messages: received.map(messageRef),
      tags: [{ name: subscriber }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? 'Nova events',
      version: options.version ?? '1.0.0',
      description: 'Kafka domain events of the Nova platform, generated by `nova-events asyncapi` from contracts/. Every message carries the standard headers; values use the Confluent wire format (magic byte and schema id before the payload).',
    },
    defaultContentType: 'application/avro',
    channels,
    operations,
    components: { messages },
  };
}
