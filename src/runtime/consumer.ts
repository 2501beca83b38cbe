import type { Consumer, ConsumerConfig, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { NovaError } from '../util/errors.js';
import { CodecCache, type WriterSchema } from './codec.js';
import { deadLetterMessage, DEAD_LETTER_SUFFIX, type DeadLetterCause } from './dead-letter.js';
import { currentVersion, specOf, UNKNOWN_EVENT_TYPE, type EventCatalog, type EventSpec } from './event-spec.js';
import { headersAsStrings, readEventHeaders, type EventHeaders } from './headers.js';
import type { IdempotencyStore } from './idempotency.js';
import { javaCompatiblePartitioner } from './partitioner.js';
import { runtimeRegistry, type RegistryInput } from './registry-option.js';
import { readSchemaId, UNDECODABLE } from './wire-format.js';

/** Rule id of an event whose handler failed on every attempt. */
export const HANDLER_FAILED = 'HANDLER_FAILED';
/** Rule id of a message whose schema id the registry does not know. */
export const UNKNOWN_SCHEMA_ID = 'UNKNOWN_SCHEMA_ID';

/** What a handler receives besides the payload. */
export interface EventMeta<T extends string = string> {
  readonly type: T;
  readonly eventId: string | undefined;
  readonly schemaId: number;
  /** The contract version the producer wrote, when the writer schema is one of the catalog's. */
  readonly writerVersion: number | undefined;
  /** The version the payload was decoded into (the newest one this build knows). */
  readonly readerVersion: number;
  readonly key: string | null;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly headers: EventHeaders;
  /** 1 on the first try, 2 on the first retry, ... */
  readonly attempt: number;
}

/** A typed event handler. */
export type EventHandler<Payload, T extends string = string> = (event: Payload, meta: EventMeta<T>) => Promise<void> | void;

/** Exponential backoff between handler attempts. */
export interface RetryOptions {
  /** Retries after the first failure; 3 by default. */
  readonly retries?: number;
  /** Delay before the first retry; 200 ms by default. */
  readonly initialDelayMs?: number;
  /** Longest delay; 10 s by default. */
  readonly maxDelayMs?: number;
  /** Delay multiplier per retry; 2 by default. */
  readonly factor?: number;
}

/** What happened to one message (for metrics and tests). */
export type ConsumeOutcome =
  | { readonly outcome: 'handled'; readonly type: string; readonly eventId: string | undefined; readonly topic: string; readonly partition: number; readonly offset: string; readonly attempts: number }
  | { readonly outcome: 'skipped' | 'duplicate'; readonly type: string | undefined; readonly eventId: string | undefined; readonly topic: string; readonly partition: number; readonly offset: string }
  | { readonly outcome: 'dead-lettered'; readonly reason: string; readonly type: string | undefined; readonly eventId: string | undefined; readonly topic: string; readonly partition: number; readonly offset: string; readonly error: unknown };

/** Options of `createConsumer`. */
export interface ConsumerOptions {
  readonly kafka: Kafka;
  readonly registry: RegistryInput;
  readonly groupId: string;
  readonly retry?: RetryOptions;
  /** Events whose type is not in the catalog: skipped (default) or sent to the dead-letter topic. */
  readonly unknownEvents?: 'skip' | 'dead-letter';
  /** Deduplicates by event id so that a redelivered event does not run its handler twice. */
  readonly idempotency?: IdempotencyStore;
  /** Where a new consumer group starts; the latest offset by default. */
  readonly fromBeginning?: boolean;
  /** Also subscribe to the handled events' legacy topics (true by default). */
  readonly readLegacyTopics?: boolean;
  /** Actual topic names for catalog topics (e.g. per environment). Subjects do not change. */
  readonly topics?: Readonly<Record<string, string>>;
  /** kafkajs consumer settings. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Called once per message with what happened to it. */
  readonly onOutcome?: (outcome: ConsumeOutcome) => void;
}

/** A typed consumer: register handlers with `on`, then `run`. */
export interface NovaConsumer<Payloads> {
  /** Registers the handler of an event type (one per type). */
  on<T extends keyof Payloads & string>(type: T, handler: EventHandler<Payloads[NoInfer<T>], NoInfer<T>>): NovaConsumer<Payloads>;
  /** Connects, subscribes to the topics of the handled events, and starts consuming. */
  run(): Promise<void>;
  /** Stops consuming and disconnects; offsets of handled events are committed. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function recordNameOf(writer: WriterSchema): string | undefined {
  try {
    const schema = JSON.parse(writer.schema) as { name?: unknown; namespace?: unknown; title?: unknown };
    if (writer.schemaType === 'JSON') return typeof schema.title === 'string' ? schema.title : undefined;
    if (typeof schema.name !== 'string') return undefined;
    return schema.name.includes('.') || typeof schema.namespace !== 'string' ? schema.name : `${schema.namespace}.${schema.name}`;
  } catch {
    return undefined;
  }
}

/** The runtime consumer behind the generated `createConsumer`. */
export function createCatalogConsumer<Payloads>(catalog: EventCatalog, options: ConsumerOptions): NovaConsumer<Payloads> {
  const registry = runtimeRegistry(options.registry);
  const codecs = new CodecCache();
  const handlers = new Map<string, EventHandler<unknown>>();
  const byType = new Map<string, EventSpec>();
  const byRecordName = new Map<string, EventSpec>();
  for (const spec of Object.values(catalog)) {
    byType.set(spec.type, spec);
    for (const legacy of spec.legacyTypes) byType.set(legacy, spec);
    byRecordName.set(spec.recordName, spec);
  }
  const writerSchemas = new Map<number, Promise<WriterSchema>>();
  const retries = options.retry?.retries ?? 3;
  const initialDelay = options.retry?.initialDelayMs ?? 200;
  const maxDelay = options.retry?.maxDelayMs ?? 10_000;
  const factor = options.retry?.factor ?? 2;
  const topicName = (topic: string) => options.topics?.[topic] ?? topic;
  let consumer: Consumer | undefined;
  let deadLetters: Producer | undefined;

  function writerSchema(id: number): Promise<WriterSchema> {
    let pending = writerSchemas.get(id);
    if (!pending) {
      pending = registry.schemaById(id);
      writerSchemas.set(id, pending);
      pending.catch(() => writerSchemas.delete(id));
    }
    return pending;
  }

  async function deadLetter(topic: string, partition: number, message: KafkaMessage, cause: DeadLetterCause, type: string | undefined, eventId: string | undefined): Promise<void> {
    await deadLetters!.send({ topic: `${topic}${DEAD_LETTER_SUFFIX}`, messages: [deadLetterMessage(message, { topic, partition, groupId: options.groupId }, cause)] });
    options.onOutcome?.({ outcome: 'dead-lettered', reason: cause.reason, type, eventId, topic, partition, offset: message.offset, error: cause.error });
  }

  async function handleMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const headers = readEventHeaders(headersAsStrings(message.headers));
    const where = { topic, partition, offset: message.offset, eventId: headers.eventId };
    let schemaId: number;
    try {
      schemaId = readSchemaId(message.value);
    } catch (error) {
      return deadLetter(topic, partition, message, { reason: UNDECODABLE, error, attempts: 0 }, headers.eventType, headers.eventId);
    }
    let spec = headers.eventType !== undefined ? byType.get(headers.eventType) : undefined;
    if (spec && !handlers.has(spec.type)) {
      options.onOutcome?.({ outcome: 'skipped', type: spec.type, ...where });
      return;
    }
    let writer: WriterSchema;
    try {
      writer = await writerSchema(schemaId);
    } catch (error) {
      if (error instanceof NovaError && error.retriable) throw error;
      return deadLetter(topic, partition, message, { reason: UNKNOWN_SCHEMA_ID, error, attempts: 0 }, headers.eventType, headers.eventId);
    }
    if (!spec) {
      const recordName = recordNameOf(writer);
      spec = recordName !== undefined ? byRecordName.get(recordName) : undefined;
    }
    if (!spec) {
      if (options.unknownEvents === 'dead-letter') {
        const error = new NovaError(UNKNOWN_EVENT_TYPE, `event type "${headers.eventType ?? recordNameOf(writer) ?? '?'}" is not in the catalog`);
        return deadLetter(topic, partition, message, { reason: UNKNOWN_EVENT_TYPE, error, attempts: 0 }, headers.eventType, headers.eventId);
      }
      options.onOutcome?.({ outcome: 'skipped', type: headers.eventType, ...where });
      return;
    }
    const handler = handlers.get(spec.type);
    if (!handler) {
      options.onOutcome?.({ outcome: 'skipped', type: spec.type, ...where });
      return;
    }
    const dedupeKey = options.idempotency && headers.eventId !== undefined ? `${options.groupId}:${headers.eventId}` : undefined;
    if (dedupeKey !== undefined && (await options.idempotency!.has(dedupeKey))) {
      options.onOutcome?.({ outcome: 'duplicate', type: spec.type, ...where });
      return;
    }
    const reader = currentVersion(spec);
    let payload: unknown;
    let writerVersion: number | undefined;
    try {
      const decoder = codecs.decoder(spec, reader, schemaId, writer);
      writerVersion = decoder.writerVersion;
      payload = decoder.decode(message.value!);
    } catch (error) {
      return deadLetter(topic, partition, message, { reason: error instanceof NovaError ? error.rule : UNDECODABLE, error, attempts: 0 }, spec.type, headers.eventId);
    }
    let lastError: unknown;
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      const meta: EventMeta = {
        type: spec.type,
        eventId: headers.eventId,
        schemaId,
        writerVersion,
        readerVersion: reader.version,
        key: message.key?.toString() ?? null,
        topic,
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        headers,
        attempt,
      };
      try {
        await handler(payload, meta);
        if (dedupeKey !== undefined) await options.idempotency!.remember(dedupeKey);
        options.onOutcome?.({ outcome: 'handled', type: spec.type, ...where, attempts: attempt });
        return;
      } catch (error) {
        lastError = error;
        if (attempt <= retries) await backoff(Math.min(maxDelay, initialDelay * factor ** (attempt - 1)), heartbeat);
      }
    }
    await deadLetter(topic, partition, message, { reason: HANDLER_FAILED, error: lastError, attempts: retries + 1 }, spec.type, headers.eventId);
  }

  async function backoff(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    for (let left = ms; left > 0; left -= 1000) {
      await sleep(Math.min(left, 1000));
      await heartbeat();
    }
  }

  const self: NovaConsumer<Payloads> = {
    on(type, handler) {
      specOf(catalog, type);
      if (handlers.has(type)) throw new NovaError('HANDLER_ALREADY_REGISTERED', `a handler for ${type} is already registered`);
      handlers.set(type, handler as EventHandler<unknown>);
      return self;
    },
    async run() {
      if (handlers.size === 0) throw new NovaError('NO_HANDLERS', 'register at least one handler with on() before run()');
      const topics = new Set<string>();
      for (const type of handlers.keys()) {
        const spec = catalog[type]!;
        topics.add(topicName(spec.topic));
        if (options.readLegacyTopics ?? true) for (const legacy of spec.legacyTopics) topics.add(topicName(legacy));
      }
      deadLetters = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: javaCompatiblePartitioner });
      await deadLetters.connect();
      consumer = options.kafka.consumer({ ...options.consumerConfig, groupId: options.groupId });
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? false });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            await handleMessage(batch.topic, batch.partition, message, heartbeat);
            resolveOffset(message.offset);
            await commitOffsetsIfNecessary();
            await heartbeat();
          }
        },
      });
    },
    async stop() {
      const [current, producer] = [consumer, deadLetters];
      consumer = undefined;
      deadLetters = undefined;
      await current?.disconnect();
      await producer?.disconnect();
    },
  };
  return self;
}
