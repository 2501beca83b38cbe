import type { Consumer, ConsumerConfig, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { NovaError } from '../util/errors.js';
import { delayFor } from '../util/retry.js';
import { CodecCache, type WriterSchema } from './codec.js';
import { deadLetterMessage, DEAD_LETTER_SUFFIX, type DeadLetterCause } from './dead-letter.js';
import { latestVersion, specOf, type EventCatalog } from './event-spec.js';
import { headersAsStrings, readEventHeaders, type EventHeaders } from './headers.js';
import { consumerHealthStep, initialConsumerHealth, type ConsumerHealth, type ConsumerHealthEvent } from './health.js';
import type { IdempotencyStore } from './idempotency.js';
import { groupIdFromEnv, topicsFromEnv } from './environment.js';
import { LegacyCodec } from './legacy-codec.js';
import { DEFAULT_LEGACY_LIMITS, legacyFraming, legacyTopicsOf, mayBeLegacy, type LegacyLimits } from './legacy.js';
import type { LegacyEncoding } from '../model/contract.js';
import { consumerMetrics, secondsSince, type MetricsOptions } from './metrics.js';
import { javaCompatiblePartitioner } from './partitioner.js';
import { runtimeRegistry, type RegistryInput } from './registry-option.js';
import { decide, routingTable, undecodable, type DeadLetterDecision, type MessageFacts, type RoutingDecision, type RoutingPolicy } from './routing.js';
import { MessageSpan } from './tracing.js';
import { readSchemaId } from './wire-format.js';
import type { RuleId } from '../diagnostics/rules.js';

export { UNKNOWN_SCHEMA_ID } from './routing.js';

/** Rule id of an event whose handler failed on every attempt. */
export const HANDLER_FAILED = 'HANDLER_FAILED' satisfies RuleId;
/**
 * Rule id of a message that met an unexpected error in the consumer itself (a defect, not an
 * outage): it is dead-lettered so that one message cannot stop its partition.
 */
export const CONSUMER_INTERNAL_ERROR = 'CONSUMER_INTERNAL_ERROR' satisfies RuleId;

/** What a handler receives besides the payload. */
export interface EventMeta<T extends string = string> {
  readonly type: T;
  /**
   * The event id; undefined when the message has none or an invalid one, which reach a handler
   * only with `invalidEventIds: 'handle'` (and are then not deduplicated).
   */
  readonly eventId: string | undefined;
  /** The writer's schema id; 0 for a legacy JSON message, which has none. */
  readonly schemaId: number;
  /** How the message was encoded: the contract's format, or the legacy JSON form it was mapped from. */
  readonly encoding: 'avro' | 'json' | LegacyEncoding;
  /** The contract version the producer wrote (1 for a legacy message: it is mapped into version 1), when the writer schema is one of the catalog's. */
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
  | { readonly outcome: 'dead-lettered'; readonly reason: RuleId; readonly type: string | undefined; readonly eventId: string | undefined; readonly topic: string; readonly partition: number; readonly offset: string; readonly error: unknown };

/** Options of `createConsumer`. */
export interface ConsumerOptions {
  readonly kafka: Kafka;
  readonly registry: RegistryInput;
  /** The consumer group; `KAFKA_GROUP_ID` by default (the seeds' variable). */
  readonly groupId?: string;
  readonly retry?: RetryOptions;
  /**
   * Events whose type is not in the catalog: skipped (default) or sent to the dead-letter topic
   * (UNKNOWN_EVENT_TYPE). The `event_type` header decides when present; the writer schema's
   * record name routes only messages without one.
   */
  readonly unknownEvents?: 'skip' | 'dead-letter';
  /**
   * Handled events whose event id is missing or not a valid one (see `eventIdProblem`): sent to
   * the dead-letter topic (default; EVENT_ID_MISSING or EVENT_ID_INVALID), or handled without
   * deduplication. Such an id is never used as an idempotency key.
   */
  readonly invalidEventIds?: 'dead-letter' | 'handle';
  /**
   * Legacy JSON (000's payload with an `event_type` header, 004's envelope) on the topics where
   * the catalog allows it: read by default. `eventIds` decides about legacy messages without a
   * valid id (a payload-only message has one only if its producer set an `event_id` header):
   * `invalidEventIds` by default. The bounds apply to the untrusted JSON.
   */
  readonly legacy?: { readonly read?: boolean; readonly eventIds?: 'dead-letter' | 'handle' } & Partial<LegacyLimits>;
  /** Deduplicates by event id so that a redelivered event does not run its handler twice. */
  readonly idempotency?: IdempotencyStore;
  /** Where a new consumer group starts; the latest offset by default. */
  readonly fromBeginning?: boolean;
  /** Also subscribe to the handled events' legacy topics (true by default). */
  readonly readLegacyTopics?: boolean;
  /**
   * Actual topic names for catalog topics (e.g. per environment). Subjects do not change.
   * Defaults come from `KAFKA_TOPIC_PREFIX` and the `KAFKA_*_EVENTS_TOPIC` overrides.
   */
  readonly topics?: Readonly<Record<string, string>>;
  /** kafkajs consumer settings. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Called once per message with what happened to it; an error it throws is ignored (it observes, it does not decide). */
  readonly onOutcome?: (outcome: ConsumeOutcome) => void;
  /**
   * Registers `events_consumed_total`, `event_processing_duration_seconds`,
   * `events_dead_lettered_total` and `kafka_consumer_lag` in this prom-client registry. Without
   * it nothing is registered and prom-client is not loaded.
   */
  readonly metrics?: MetricsOptions;
}

/** A typed consumer: register handlers with `on`, then `run`. */
export interface NovaConsumer<Payloads> {
  /** Registers the handler of an event type (one per type). */
  on<T extends keyof Payloads & string>(type: T, handler: EventHandler<Payloads[NoInfer<T>], NoInfer<T>>): NovaConsumer<Payloads>;
  /** Connects, subscribes to the topics of the handled events, and starts consuming. */
  run(): Promise<void>;
  /** Stops consuming and disconnects; offsets of handled events are committed. */
  stop(): Promise<void>;
  /** Connection, group membership, last poll and last processed message (for probes). */
  health(): ConsumerHealth;
}

/** A decision that needs no more answers. */
type FinalDecision = Exclude<RoutingDecision, { kind: 'fetch-writer' | 'check-duplicate' | 'retry-later' }>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Wraps an error of the consumer's infrastructure (registry outage, idempotency store,
 * dead-letter topic, the group's heartbeat): such a failure stops the batch so that kafkajs
 * reads the message again; every other error is about the message and resolves it.
 */
class InfrastructureFailure {
  constructor(readonly cause: unknown) {}
}

async function infrastructure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new InfrastructureFailure(error);
  }
}

/** The options with the seeds' environment variables filled in where the caller gave nothing. */
function withEnvironmentDefaults(catalog: EventCatalog, options: ConsumerOptions): ConsumerOptions & { readonly groupId: string } {
  const groupId = options.groupId ?? groupIdFromEnv();
  if (groupId === undefined || groupId === '') throw new NovaError('CONSUMER_GROUP_MISSING', 'no consumer group: pass groupId, or set KAFKA_GROUP_ID', { pointer: '/groupId' });
  return { ...options, groupId, topics: { ...topicsFromEnv(catalog), ...options.topics } };
}

/** The runtime consumer behind the generated `createConsumer`. */
export function createCatalogConsumer<Payloads>(catalog: EventCatalog, consumerOptions: ConsumerOptions): NovaConsumer<Payloads> {
  const options = withEnvironmentDefaults(catalog, consumerOptions);
  const registry = runtimeRegistry(options.registry);
  const codecs = new CodecCache();
  const handlers = new Map<string, EventHandler<unknown>>();
  const policy: RoutingPolicy = {
    table: routingTable(catalog),
    handles: (type) => handlers.has(type),
    unknownEvents: options.unknownEvents ?? 'skip',
    invalidEventIds: options.invalidEventIds ?? 'dead-letter',
    ...(options.legacy?.eventIds !== undefined ? { legacyEventIds: options.legacy.eventIds } : {}),
    dedupeScope: options.idempotency ? options.groupId : undefined,
  };
  const writerSchemas = new Map<number, Promise<WriterSchema>>();
  const retries = options.retry?.retries ?? 3;
  const backoffPolicy = { initialDelayMs: options.retry?.initialDelayMs ?? 200, maxDelayMs: options.retry?.maxDelayMs ?? 10_000, factor: options.retry?.factor ?? 2 };
  const topicName = (topic: string) => options.topics?.[topic] ?? topic;
  const legacyCodec = new LegacyCodec(codecs);
  const legacyLimits: LegacyLimits = { ...DEFAULT_LEGACY_LIMITS, ...options.legacy };
  const legacyTopics = new Set(options.legacy?.read === false ? [] : [...legacyTopicsOf(catalog)].map(topicName));
  let consumer: Consumer | undefined;
  let deadLetters: Producer | undefined;
  const metrics = options.metrics ? consumerMetrics(options.metrics, options.groupId, (type) => policy.table.byType.get(type)?.type) : undefined;
  let health = initialConsumerHealth(options.groupId);
  // A number per message, not a new health snapshot per message: health() builds that.
  let lastProcessedAt = 0;
  const observe = (event: ConsumerHealthEvent) => {
    health = consumerHealthStep(health, event);
  };

  function writerSchema(id: number): Promise<WriterSchema> {
    let pending = writerSchemas.get(id);
    if (!pending) {
      pending = registry.schemaById(id);
      writerSchemas.set(id, pending);
      pending.catch(() => writerSchemas.delete(id));
    }
    return pending;
  }

  function report(outcome: ConsumeOutcome, span?: MessageSpan): void {
    lastProcessedAt = Date.now();
    if (metrics) {
      metrics.consumed(outcome.type, outcome.topic, outcome.outcome);
      if (outcome.outcome === 'dead-lettered') metrics.deadLettered(outcome.reason, outcome.topic);
      if (span?.startedAt !== undefined && outcome.type !== undefined) metrics.processed(outcome.type, secondsSince(span.startedAt));
    }
    span?.outcome(outcome.outcome, outcome.outcome === 'handled' ? outcome.attempts : undefined, outcome.outcome === 'dead-lettered' ? outcome.reason : undefined);
    try {
      options.onOutcome?.(outcome);
    } catch {
      // An observer's failure must not redeliver or dead-letter an event that was decided.
    }
  }

  async function deadLetter(topic: string, partition: number, message: KafkaMessage, cause: DeadLetterCause, type: string | undefined, eventId: string | undefined, span?: MessageSpan): Promise<void> {
    await infrastructure(deadLetters!.send({ topic: `${topic}${DEAD_LETTER_SUFFIX}`, messages: [deadLetterMessage(message, { topic, partition, groupId: options.groupId }, cause)] }));
    report({ outcome: 'dead-lettered', reason: cause.reason, type, eventId, topic, partition, offset: message.offset, error: cause.error }, span);
  }

  /** Decides about one message, answering the questions `decide` asks (registry, idempotency store). */
  async function decision(topic: string, message: KafkaMessage, headers: EventHeaders): Promise<FinalDecision> {
    let facts: MessageFacts;
    try {
      facts = { headers, framing: { schemaId: readSchemaId(message.value) } };
    } catch (error) {
      facts = { headers, framing: legacyTopics.has(topic) && mayBeLegacy(message.value) ? legacyFraming(message.value, headers, legacyLimits) : { error } };
    }
    for (;;) {
      const next = decide(facts, policy);
      if (next.kind === 'fetch-writer') {
        facts = { ...facts, writer: await writerSchema(next.schemaId).then((schema) => ({ schema }), (error: unknown) => ({ error })) };
      } else if (next.kind === 'check-duplicate') {
        facts = { ...facts, seen: await infrastructure(options.idempotency!.has(next.key)) };
      } else if (next.kind === 'retry-later') {
        throw new InfrastructureFailure(next.error);
      } else {
        return next;
      }
    }
  }

  async function handleMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>, span: MessageSpan): Promise<void> {
    const headers = readEventHeaders(headersAsStrings(message.headers));
    const where = { topic, partition, offset: message.offset, eventId: headers.eventId };
    const toDeadLetter = (d: DeadLetterDecision) => deadLetter(topic, partition, message, { reason: d.reason, error: d.error, attempts: 0 }, d.type, headers.eventId, span);
    const decided = await decision(topic, message, headers);
    if (decided.kind === 'skip') return report({ outcome: 'skipped', type: decided.type, ...where });
    if (decided.kind === 'duplicate') return report({ outcome: 'duplicate', type: decided.type, ...where });
    if (decided.kind === 'dead-letter') return toDeadLetter(decided);

    const { spec, dedupeKey } = decided;
    span.start(spec.type, decided.eventId, headers.all);
    const handler = handlers.get(spec.type)!;
    const reader = latestVersion(spec);
    const schemaId = decided.kind === 'handle' ? decided.schemaId : 0;
    const encoding = decided.kind === 'handle' ? (spec.schemaType === 'AVRO' ? 'avro' : 'json') : decided.legacy.encoding;
    let payload: unknown;
    let writerVersion: number | undefined;
    try {
      if (decided.kind === 'handle') {
        const decoder = codecs.decoder(spec, reader, schemaId, decided.writer);
        writerVersion = decoder.writerVersion;
        payload = decoder.decode(message.value!);
      } else {
        writerVersion = 1;
        payload = legacyCodec.read(spec, decided.legacy);
      }
    } catch (error) {
      return toDeadLetter(undecodable(error, spec.type));
    }
    let lastError: unknown;
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      const meta: EventMeta = {
        type: spec.type,
        eventId: decided.eventId,
        schemaId,
        encoding,
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
        await span.run(() => handler(payload, meta));
      } catch (error) {
        lastError = error;
        span.attemptFailed(error, attempt);
        if (attempt <= retries) await backoff(delayFor(attempt, backoffPolicy), heartbeat);
        continue;
      }
      // Outside the handler's try: a store failure is an outage to retry, not a failed handler.
      if (dedupeKey !== undefined) await infrastructure(options.idempotency!.remember(dedupeKey));
      return report({ outcome: 'handled', type: spec.type, ...where, eventId: decided.eventId, attempts: attempt }, span);
    }
    return deadLetter(topic, partition, message, { reason: HANDLER_FAILED, error: lastError, attempts: retries + 1 }, spec.type, headers.eventId, span);
  }

  /** Decides and executes one message; only an infrastructure failure leaves it unresolved. */
  async function processMessage(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void>): Promise<void> {
    const span = new MessageSpan(topic, partition, message.offset, options.groupId);
    try {
      await handleMessage(topic, partition, message, heartbeat, span);
    } catch (error) {
      if (error instanceof InfrastructureFailure) throw error.cause;
      const cause = new NovaError(CONSUMER_INTERNAL_ERROR, `the consumer failed on this message: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      try {
        await deadLetter(topic, partition, message, { reason: CONSUMER_INTERNAL_ERROR, error: cause, attempts: 0 }, undefined, undefined, span);
      } catch (failure) {
        throw failure instanceof InfrastructureFailure ? failure.cause : failure;
      }
    } finally {
      span.end();
    }
  }

  async function backoff(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    for (let left = ms; left > 0; left -= 1000) {
      await sleep(Math.min(left, 1000));
      await infrastructure(heartbeat());
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
      const { CONNECT, DISCONNECT, STOP, REBALANCING, FETCH, GROUP_JOIN, CRASH } = consumer.events;
      for (const name of [CONNECT, DISCONNECT, STOP, REBALANCING, FETCH, GROUP_JOIN, CRASH]) consumer.on(name, (event: { type: string }) => observe(event as ConsumerHealthEvent));
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? false });
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            await processMessage(batch.topic, batch.partition, message, heartbeat);
            resolveOffset(message.offset);
            // The high watermark is the next offset the broker will write: what is left after this message.
            metrics?.lag(batch.topic, batch.partition, Math.max(0, Number(batch.highWatermark) - Number(message.offset) - 1));
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
    health: () => (lastProcessedAt === 0 ? health : consumerHealthStep(health, { type: 'processed', timestamp: lastProcessedAt })),
  };
  return self;
}
