/**
 * `nova-events/runtime`: what generated code and services run on. It never imports codegen,
 * ts-morph, commander or the CLI.
 */
export { createCatalogProducer, CONTRACT_NOT_REGISTERED } from './producer.js';
export { createEventEncoder } from './event-encoder.js';
export type { EventEncoder, EventEncoderOptions } from './event-encoder.js';
export type { BatchItem, EncodedEvent, NovaProducer, ProducerOptions, PublishResult } from './producer.js';
export { createCatalogConsumer, CONSUMER_INTERNAL_ERROR, HANDLER_FAILED } from './consumer.js';
export type { ConsumeOutcome, ConsumerOptions, EventHandler, EventMeta, NovaConsumer, RetryOptions } from './consumer.js';
export { CodecCache, PAYLOAD_INVALID } from './codec.js';
export type { Decoder, Encoder, WriterSchema } from './codec.js';
export { avroType, AVRO_VALUE_MAPPING, resolverOptions } from './avro-type.js';
export { latestVersion, specOf, UNKNOWN_EVENT_TYPE } from './event-spec.js';
export type { EventCatalog, EventSpec, EventVersionSpec } from './event-spec.js';
export { decide, recordNameOf, routingTable, undecodable, UNKNOWN_SCHEMA_ID } from './routing.js';
export type { DeadLetterDecision, MessageFacts, RoutingDecision, RoutingPolicy, RoutingTable } from './routing.js';
export {
  HEADER,
  eventHeaders,
  readEventHeaders,
  headersAsStrings,
  eventIdProblem,
  isValidEventId,
  EVENT_ID_INVALID,
  EVENT_ID_MISSING,
  MAX_EVENT_ID_BYTES,
  PUBLISH_OPTION_INVALID,
} from './headers.js';
export type { EventHeaders, EventIdStatus, PublishOptions } from './headers.js';
export { DEAD_LETTER_SUFFIX, DLQ_HEADER } from './dead-letter.js';
export { memoryIdempotencyStore, redisIdempotencyStore } from './idempotency.js';
export type { IdempotencyStore, RedisLike } from './idempotency.js';
export { murmur2, partitionForKey, javaCompatiblePartitioner } from './partitioner.js';
export { MAGIC_BYTE, readSchemaId, writeWireHeader, UNDECODABLE } from './wire-format.js';
export { connectRuntimeRegistry, REGISTRY_UNAVAILABLE } from '../registry/runtime-registry.js';
export type { RegistryOptions, RuntimeRegistry } from '../registry/runtime-registry.js';
export { createCatalogOutbox, OUTBOX_ENQUEUE_FAILED } from '../outbox/outbox.js';
export type { EnqueueOptions, NovaOutbox, OutboxOptions, OutboxQueryable } from '../outbox/outbox.js';
export { createOutboxRelay, OUTBOX_TABLE_MISSING } from '../outbox/relay.js';
export type { OutboxRelay, OutboxRelayOptions, RelayBatch, RelayClient, RelayLogger, RelayPool } from '../outbox/relay.js';
export { OUTBOX_PUBLISH_FAILED } from '../outbox/relay-decisions.js';
export type { RelayState } from '../outbox/relay-decisions.js';
export { outboxTable, migrationScript, PRIORITY } from '../outbox/table.js';
export type { OutboxLocation, OutboxPriority, OutboxTable } from '../outbox/table.js';
export { migrateOutbox, outboxStatus, retryDeadRows } from '../outbox/admin.js';
export type { OutboxStatus } from '../outbox/admin.js';
export { createKafka, kafkaConfig } from '../kafka/client.js';
export type { KafkaClientExtras } from '../kafka/client.js';
export {
  kafkaConnection,
  kafkaOptionsFromEnv,
  KAFKA_BROKERS_INVALID,
  KAFKA_BROKERS_MISSING,
  KAFKA_CA_UNREADABLE,
  KAFKA_ENV,
  KAFKA_OPTION_INVALID,
  SASL_MECHANISMS,
} from '../kafka/connection.js';
export type { KafkaConnection, KafkaConnectionOptions, SaslMechanism } from '../kafka/connection.js';
export { kafkaError, KAFKA_AUTH_FAILED, KAFKA_REQUEST_FAILED, KAFKA_UNAVAILABLE } from '../kafka/errors.js';
export { brokersFromEnv, groupIdFromEnv, topicsFromEnv, ENV_VALUE_INVALID } from './environment.js';
export type { Environment } from './environment.js';
export {
  readLegacyMessage,
  legacyEventId,
  mapLegacyAvro,
  legacyAvroForm,
  isoTimestamp,
  DEFAULT_LEGACY_LIMITS,
  LEGACY_COPY_HEADER,
  LEGACY_UNDECODABLE,
  LEGACY_UNMAPPABLE,
  LEGACY_ENCODING_NOT_ALLOWED,
} from './legacy.js';
export type { LegacyLimits, LegacyMessage } from './legacy.js';
export { LegacyCodec, LEGACY_DUAL_PUBLISH_INVALID } from './legacy-codec.js';
export type { LegacyCopy } from './legacy-codec.js';
export type { LegacySpec } from './event-spec.js';
export { METRICS, METRICS_UNAVAILABLE, UNKNOWN_LABEL, RuntimeMetric, consumerMetrics, producerMetrics, relayMetrics } from './metrics.js';
export type { ConsumerMetrics, MetricDefinition, MetricsOptions, MetricsRegistry, ProducerMetrics, RelayMetrics } from './metrics.js';
export { TRACE_HEADER, MAX_TRACESTATE_LENGTH, formatTraceparent, parseTraceHeaders, activeTraceHeaders } from './tracing.js';
export { consumerHealthStep, initialConsumerHealth, relayHealth } from './health.js';
export type { ConsumerHealth, ConsumerHealthEvent, RelayHealth } from './health.js';
export { queueStatus, queueStatusStatement } from '../outbox/queue-status.js';
export type { QueueStatus } from '../outbox/queue-status.js';
export { NovaError } from '../util/errors.js';
