import type { Kafka, Message, Producer, ProducerConfig, RecordMetadata } from 'kafkajs';
import { EXIT, NovaError } from '../util/errors.js';
import { CodecCache, type Encoder } from './codec.js';
import { currentVersion, specOf, type EventCatalog, type EventSpec } from './event-spec.js';
import { eventHeaders, type PublishOptions } from './headers.js';
import { javaCompatiblePartitioner } from './partitioner.js';
import { runtimeRegistry, type RegistryInput } from './registry-option.js';

/** Rule id of a contract version the registry does not hold (and auto-registration is off). */
export const CONTRACT_NOT_REGISTERED = 'CONTRACT_NOT_REGISTERED';

/** Options of `createProducer`. */
export interface ProducerOptions {
  /** A kafkajs `Kafka` instance; the producer creates its own kafkajs producer from it. */
  readonly kafka: Kafka;
  readonly registry: RegistryInput;
  /** This service's name: the `source` / `ce_source` header. Defaults to `NOVA_SERVICE_NAME` or `nova-events`. */
  readonly source?: string;
  /** Register missing contract versions at connect instead of failing. Off by default: `nova-events register` owns registration. */
  readonly autoRegister?: boolean;
  /** Event types this producer publishes; their schema ids are resolved at connect. All by default. */
  readonly events?: readonly string[];
  /** Actual topic names for catalog topics (e.g. per environment). Subjects do not change. */
  readonly topics?: Readonly<Record<string, string>>;
  /**
   * kafkajs producer settings (the partitioner is always the Java-compatible one). Idempotent
   * by default, so that a retried request (e.g. after a leader change) writes no duplicates.
   */
  readonly producerConfig?: Omit<ProducerConfig, 'createPartitioner'>;
}

/** An event ready for Kafka: its topic and the kafkajs message (key, value, headers). */
export interface EncodedEvent {
  readonly type: string;
  readonly eventId: string;
  readonly topic: string;
  readonly message: Message & { key: string; value: Buffer };
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
export function createCatalogProducer<Inputs>(catalog: EventCatalog, options: ProducerOptions): NovaProducer<Inputs> {
  const registry = runtimeRegistry(options.registry);
  const source = options.source ?? process.env['NOVA_SERVICE_NAME'] ?? 'nova-events';
  const codecs = new CodecCache();
  const encoders = new Map<string, Encoder>();
  let producer: Producer | undefined;
  let connecting: Promise<void> | undefined;


  async function resolveEncoder(spec: EventSpec): Promise<Encoder | string> {
    const version = currentVersion(spec);
    let id = await registry.lookupId(spec.subject, spec.schemaType, version.schema);
    if (id === undefined) {
      if (!options.autoRegister) return `${spec.subject} (${spec.type} v${version.version})`;
      id = await registry.register(spec.subject, spec.schemaType, version.schema, spec.compatibility);
    }
    const encoder = codecs.encoder(spec, version, id);
    encoders.set(spec.type, encoder);
    return encoder;
  }

  async function connectOnce(): Promise<void> {
    const specs = (options.events ?? Object.keys(catalog)).map((type) => specOf(catalog, type));
    const resolved = await Promise.all(specs.map(resolveEncoder));
    const missing = resolved.filter((r): r is string => typeof r === 'string');
    if (missing.length > 0) {
      throw new NovaError(CONTRACT_NOT_REGISTERED, `the registry ${registry.displayUrl} does not hold ${missing.length} contract version(s): ${missing.join(', ')}`, {
        hint: 'run `nova-events register`, or pass autoRegister: true',
        exitCode: EXIT.REGISTRY,
      });
    }
    const created = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, ...options.producerConfig, createPartitioner: javaCompatiblePartitioner });
    await created.connect();
    producer = created;
  }

  function encode(type: string, payload: unknown, publishOptions?: PublishOptions): EncodedEvent {
    const spec = specOf(catalog, type);
    const encoder = encoders.get(type);
    if (!encoder) throw new NovaError('PRODUCER_NOT_CONNECTED', `the producer has no schema id for ${type}: call connect() first, and list ${type} in events`);
    const key = (payload as Record<string, unknown> | null)?.[spec.key];
    if (typeof key !== 'string' || key.length === 0) {
      throw new NovaError('KEY_MISSING', `${type}: the key field "${spec.key}" must be a non-empty string`, { pointer: `/${spec.key}` });
    }
    const value = encoder.encode(payload);
    const { eventId, headers } = eventHeaders(spec, encoder.version, key, source, publishOptions);
    return { type, eventId, topic: options.topics?.[spec.topic] ?? spec.topic, message: { key, value, headers } };
  }

  const self: NovaProducer<Inputs> = {
    connect() {
      connecting ??= connectOnce().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      return connecting;
    },
    async publish(type, payload, publishOptions) {
      await self.connect();
      const event = encode(type, payload, publishOptions);
      const [record] = (await producer!.send({ topic: event.topic, messages: [event.message] })) as RecordMetadata[];
      return { eventId: event.eventId, topic: event.topic, partition: record?.partition ?? -1, offset: record?.baseOffset };
    },
    async publishBatch(items) {
      await self.connect();
      const events = items.map((item) => encode(item.type, item.payload, item.options));
      const byTopic = new Map<string, Message[]>();
      for (const event of events) {
        const messages = byTopic.get(event.topic);
        if (messages) messages.push(event.message);
        else byTopic.set(event.topic, [event.message]);
      }
      await producer!.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      return events;
    },
    encode: (type, payload, publishOptions) => encode(type, payload, publishOptions),
    async disconnect() {
      const current = producer;
      producer = undefined;
      connecting = undefined;
      await current?.disconnect();
    },
  };
  return self;
}
