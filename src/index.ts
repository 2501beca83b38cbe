/**
 * `nova-events`: typed producers and consumers of the Nova platform's events.
 *
 * ```ts
 * import { createProducer, createConsumer } from 'nova-events';
 * const producer = createProducer({ kafka, registry: { url } });
 * await producer.publish('post.created', { post_id, author_id, ... }, { correlationId });
 * ```
 */
export { createConsumer, createOutbox, createProducer } from '../generated/client.js';
export { catalog } from '../generated/catalog.js';
export { EVENT_TYPES } from '../generated/events.js';
export type { EventInputs, EventPayloads, EventType } from '../generated/events.js';
export { memoryIdempotencyStore, redisIdempotencyStore } from './runtime/idempotency.js';
export type { IdempotencyStore, RedisLike } from './runtime/idempotency.js';
export { DEAD_LETTER_SUFFIX, DLQ_HEADER } from './runtime/dead-letter.js';
export { HEADER } from './runtime/headers.js';
export type { EventHeaders, PublishOptions } from './runtime/headers.js';
export type { BatchItem, EncodedEvent, NovaProducer, ProducerOptions, PublishResult } from './runtime/producer.js';
export type { ConsumeOutcome, ConsumerOptions, EventHandler, EventMeta, NovaConsumer, RetryOptions } from './runtime/consumer.js';
export type { RegistryOptions } from './registry/runtime-registry.js';
export { murmur2, partitionForKey } from './runtime/partitioner.js';
export { createOutboxRelay } from './outbox/relay.js';
export type { EnqueueOptions, NovaOutbox, OutboxOptions, OutboxQueryable } from './outbox/outbox.js';
export type { OutboxRelay, OutboxRelayOptions, RelayBatch } from './outbox/relay.js';
export type { OutboxPriority } from './outbox/table.js';
export { createKafka } from './kafka/client.js';
export { kafkaOptionsFromEnv, KAFKA_ENV } from './kafka/connection.js';
export type { KafkaConnectionOptions, SaslMechanism } from './kafka/connection.js';
export { METRICS, METRICS_UNAVAILABLE, UNKNOWN_LABEL } from './runtime/metrics.js';
export type { MetricsOptions, MetricsRegistry } from './runtime/metrics.js';
export { TRACE_HEADER } from './runtime/tracing.js';
export type { ConsumerHealth, RelayHealth } from './runtime/health.js';
export { NovaError } from './util/errors.js';
