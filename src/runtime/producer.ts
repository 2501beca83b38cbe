import type { Kafka, Message, Producer, ProducerConfig, RecordMetadata } from 'kafkajs';
import { createEventEncoder, type EncodedEvent, type EventEncoderOptions } from './event-encoder.js';
import type { EventCatalog } from './event-spec.js';
import type { PublishOptions } from './headers.js';
import { topicsFromEnv } from './environment.js';
import { dualPublishSpecs, LegacyCodec, type LegacyCopy } from './legacy-codec.js';
import { producerMetrics, UNKNOWN_LABEL, type MetricsOptions } from './metrics.js';
import { javaCompatiblePartitioner } from './partitioner.js';
import { inProducerSpan } from './tracing.js';

export { CONTRACT_NOT_REGISTERED, type EncodedEvent } from './event-encoder.js';

/** Options of `createProducer`. */
export interface ProducerOptions extends EventEncoderOptions {
  /** A kafkajs `Kafka` instance; the producer creates its own kafkajs producer from it. */
  readonly kafka: Kafka;
  /**
   * kafkajs producer settings (the partitioner is always the Java-compatible one). Idempotent
   * by default, so that a retried request (e.g. after a leader change) writes no duplicates.
   */
  readonly producerConfig?: Omit<ProducerConfig, 'createPartitioner'>;
  /**
   * Cutover to nova-events: every publish of these event types also writes the event's legacy
   * JSON (000's payload, its `event_type` header, ISO timestamps, lower-case enums) to its legacy
   * topic, in the same kafkajs batch, so that old consumers keep working until this is turned off.
   */
  readonly legacy?: { readonly dualPublish?: readonly string[] };
  /**
   * Registers `events_published_total` and `events_publish_failures_total` in this prom-client
   * registry. Without it nothing is registered and prom-client is not loaded.
   */
  readonly metrics?: MetricsOptions;
}

/** Where a published event landed. */
export interface PublishResult {
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string | undefined;
}

/** One entry of `publishBatch`, typed per event type. */
export type BatchItem<Inputs> = {
  [T in keyof Inputs & string]: { readonly type: T; readonly payload: Inputs[T]; readonly options?: PublishOptions };
}[keyof Inputs & string];

/** A typed producer: publishes the catalog's events with their contract's key, headers and schema id. */
export interface NovaProducer<Inputs> {
  /** Connects to Kafka and resolves every schema id; fails fast when a contract is not registered. */
  connect(): Promise<void>;
  /** Encodes, frames and sends one event; resolves when the broker acknowledged it. */
  publish<T extends keyof Inputs & string>(type: T, payload: Inputs[T], options?: PublishOptions): Promise<PublishResult>;
  /** Sends many events in one request per broker, without a per-message round trip. */
  publishBatch(items: readonly BatchItem<Inputs>[]): Promise<readonly EncodedEvent[]>;
  /** Encodes one event without sending it (for an outbox relay); the producer must be connected. */
  encode<T extends keyof Inputs & string>(type: T, payload: Inputs[T], options?: PublishOptions): EncodedEvent;
  disconnect(): Promise<void>;
}

/** The runtime producer behind the generated `createProducer`. */
export function createCatalogProducer<Inputs>(catalog: EventCatalog, producerOptions: ProducerOptions): NovaProducer<Inputs> {
  // The seeds' KAFKA_TOPIC_PREFIX and KAFKA_*_EVENTS_TOPIC are defaults; the caller's topics win.
  const options: ProducerOptions = { ...producerOptions, topics: { ...topicsFromEnv(catalog), ...producerOptions.topics } };
  const encoder = createEventEncoder(catalog, options);
  const dualPublish = dualPublishSpecs(catalog, options.legacy?.dualPublish);
  const legacyCodec = new LegacyCodec();
  const topicName = (topic: string) => options.topics?.[topic] ?? topic;
  /** The event's messages by topic: its own, then its legacy copy when the type is dual-published. */
  const topicMessages = (events: readonly EncodedEvent[]) => {
    const byTopic = new Map<string, Message[]>();
    const add = (topic: string, message: Message) => {
      const messages = byTopic.get(topic);
      if (messages) messages.push(message);
      else byTopic.set(topic, [message]);
    };
    for (const event of events) {
      add(event.topic, event.message);
      const spec = dualPublish.get(event.type);
      if (spec) {
        const copy: LegacyCopy = legacyCodec.copy(spec, event, topicName);
        add(copy.topic, copy.message);
      }
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  };
  let producer: Producer | undefined;
  let connecting: Promise<void> | undefined;
  const known = (type: string) => (Object.hasOwn(catalog, type) ? type : undefined);
  const topicOf = (type: string) => (Object.hasOwn(catalog, type) ? (options.topics?.[catalog[type]!.topic] ?? catalog[type]!.topic) : UNKNOWN_LABEL);
  const metrics = options.metrics ? producerMetrics(options.metrics, known) : undefined;

  async function connectOnce(): Promise<void> {
    await encoder.connect();
    const created = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, ...options.producerConfig, createPartitioner: javaCompatiblePartitioner });
    await created.connect();
    producer = created;
  }

  const self: NovaProducer<Inputs> = {
    connect() {
      connecting ??= connectOnce().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      return connecting;
    },
    publish(type, payload, publishOptions) {
      return inProducerSpan(() => [topicOf(type)], async () => {
        try {
          await self.connect();
          const event = encoder.encode(type, payload, publishOptions);
          const [record] = (
            dualPublish.has(type) ? await producer!.sendBatch({ topicMessages: topicMessages([event]) }) : await producer!.send({ topic: event.topic, messages: [event.message] })
          ).filter((r) => r.topicName === event.topic) as RecordMetadata[];
          metrics?.published(type, event.topic);
          return { eventId: event.eventId, topic: event.topic, partition: record?.partition ?? -1, offset: record?.baseOffset };
        } catch (error) {
          metrics?.failed(type, topicOf(type));
          throw error;
        }
      });
    },
    publishBatch(items) {
      return inProducerSpan(() => [...new Set(items.map((item) => topicOf(item.type)))], async () => {
        try {
          await self.connect();
          const events = items.map((item) => encoder.encode(item.type, item.payload, item.options));
          await producer!.sendBatch({ topicMessages: topicMessages(events) });
          if (metrics) for (const event of events) metrics.published(event.type, event.topic);
          return events;
        } catch (error) {
          // sendBatch is one request per broker: on failure no event of the batch is known to be written.
          if (metrics) for (const item of items) metrics.failed(item.type, topicOf(item.type));
          throw error;
        }
      });
    },
    encode: (type, payload, publishOptions) => encoder.encode(type, payload, publishOptions),
    async disconnect() {
      const current = producer;
      producer = undefined;
      connecting = undefined;
      await current?.disconnect();
    },
  };
  return self;
}
