import type { Kafka, Message, Producer, ProducerConfig } from 'kafkajs';
import { DEAD_LETTER_SUFFIX, DLQ_HEADER, stackSummary } from '../runtime/dead-letter.js';
import { relayHealth, type RelayHealth } from '../runtime/health.js';
import { relayMetrics, secondsSince, type MetricsOptions } from '../runtime/metrics.js';
import { javaCompatiblePartitioner } from '../runtime/partitioner.js';
import { NovaError } from '../util/errors.js';
import { delayFor, type BackoffPolicy } from '../util/retry.js';
import {
  classifyPublishError,
  groupBy,
  isDatabaseUnavailable,
  OUTBOX_PUBLISH_FAILED,
  rowFailureAction,
  stateChangeMessage,
  type RelayState,
} from './relay-decisions.js';
import { queueStatus, queueStatusStatement } from './queue-status.js';
import { columnsToHeaders, legacyCopyOfRow, outboxTable, relayStatements, type OutboxLocation } from './table.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of a relay started on a database without the outbox table. */
export const OUTBOX_TABLE_MISSING = 'OUTBOX_TABLE_MISSING' satisfies RuleId;

/** The part of a node-postgres client the relay uses (a `pg` PoolClient fits). */
export interface RelayClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  release(error?: Error | boolean): void;
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error' | 'notification', listener: (...args: any[]) => void): unknown;
}

/** The part of a node-postgres pool the relay uses (a `pg.Pool` fits). */
export interface RelayPool {
  connect(): Promise<RelayClient>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** Where the relay's few log lines go (one per state change, never one per attempt). */
export type RelayLogger = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Options of `createOutboxRelay`. */
export interface OutboxRelayOptions extends OutboxLocation {
  /** A node-postgres pool; the relay holds one connection for LISTEN and one per batch. */
  readonly pool: RelayPool;
  /** A kafkajs `Kafka` instance; the relay creates its own idempotent producer from it. */
  readonly kafka: Kafka;
  /** Rows claimed per batch; 100 by default (seeds 000 and 001). */
  readonly batchSize?: number;
  /** Polling fallback when no NOTIFY arrives; 5 s by default (seed 000). */
  readonly pollIntervalMs?: number;
  /** Attempts of a row before it is dead-lettered; 5 by default (seed 000). */
  readonly maxAttempts?: number;
  /** Backoff between a failing row's attempts (jittered; 500 ms doubling up to 60 s by default). */
  readonly retry?: BackoffPolicy;
  /** Backoff while Kafka or the database is unavailable; 500 ms to 30 s by default. */
  readonly outageBackoff?: BackoffPolicy;
  /** Published rows older than this are deleted; 30 days by default (seed 002). 0 keeps them. */
  readonly retentionMs?: number;
  /** How often retention runs; hourly by default. */
  readonly retentionIntervalMs?: number;
  /** kafkajs producer settings (idempotent by default; the partitioner is always the Java-compatible one). */
  readonly producerConfig?: Omit<ProducerConfig, 'createPartitioner'>;
  readonly logger?: RelayLogger;
  /** Called after every batch (metrics, tests). */
  readonly onBatch?: (batch: RelayBatch) => void;
  /**
   * Registers `outbox_queue_size`, `outbox_oldest_pending_age_seconds`, `outbox_dead_total`,
   * `outbox_relay_publish_duration_seconds` and `events_dead_lettered_total` in this prom-client
   * registry. Without it nothing is registered and prom-client is not loaded.
   */
  readonly metrics?: MetricsOptions & {
    /** How often the queue gauges are queried (one light query, never per batch); 15 s by default. */
    readonly queueIntervalMs?: number;
  };
}

/** What one batch did. */
export interface RelayBatch {
  readonly claimed: number;
  readonly published: number;
  /** Rows that failed and will be retried after their backoff. */
  readonly failed: number;
  /** Rows that failed their last attempt and went to `<topic>.dlq`. */
  readonly deadLettered: number;
}

/** A running relay from the outbox table to Kafka. */
export interface OutboxRelay {
  /** Relays until `stop()`; rejects only on a fatal error (e.g. no outbox table). */
  run(): Promise<void>;
  /** Finishes the batch in flight, then stops and disconnects. */
  stop(): Promise<void>;
  /** Claims, publishes and marks one batch (the loop's step; for tests and benchmarks). */
  runOnce(): Promise<RelayBatch>;
  /** The current state. */
  readonly state: RelayState;
  /** State, last poll and last publish (for probes). */
  health(): RelayHealth;
  /** Queries the queue gauges now (the loop does it every `metrics.queueIntervalMs`). */
  refreshQueueMetrics(): Promise<void>;
}

interface Row {
  readonly seq: string;
  readonly topic: string;
  readonly aggregate_id: string;
  readonly payload: Buffer;
  readonly retry_count: number;
  readonly [column: string]: unknown;
}

/** Kafka could not be reached: the rows were left as they were. */
class KafkaUnavailable extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

const EMPTY: RelayBatch = { claimed: 0, published: 0, failed: 0, deadLettered: 0 };

function defaultLogger(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(`[nova-events relay] ${level}: ${message}\n`);
}

function messageOf(row: Row): Message {
  return { key: row.aggregate_id, value: row.payload, headers: columnsToHeaders(row) };
}

/** The rows' messages by topic, each row's legacy copy (dual publish) in the same batch right after it. */
function topicMessagesOf(rows: readonly Row[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  const add = (topic: string, message: Message) => (byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!).push(message);
  for (const row of rows) {
    add(row.topic, messageOf(row));
    const copy = legacyCopyOfRow(row);
    if (copy) add(copy.topic, copy.message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

const bySeq = (a: { seq: string }, b: { seq: string }) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0);

function errorText(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
}

/**
 * The outbox relay: claims the head of each aggregate with `FOR UPDATE SKIP LOCKED` (and the
 * rows behind it), publishes them with the idempotent producer and the Java-compatible
 * partitioner, and marks them published in the same transaction that holds their locks, after
 * the broker acknowledged them. A relay that dies anywhere releases its locks with its
 * connection, and what it re-sends carries the same event id: at-least-once, in order per key.
 * Contract-agnostic: rows already hold the bytes, key, topic and headers.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const table = outboxTable(options);
  const sql = relayStatements(table);
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const retentionMs = options.retentionMs ?? 30 * 24 * 3600 * 1000;
  const retentionIntervalMs = options.retentionIntervalMs ?? 3600 * 1000;
  const outageBackoff = { initialDelayMs: 500, maxDelayMs: 30_000, ...options.outageBackoff };
  const rowBackoff = { initialDelayMs: 500, maxDelayMs: 60_000, ...options.retry };
  const log = options.logger ?? defaultLogger;
  let state: RelayState = 'starting';
  let producer: Producer | undefined;
  let listener: RelayClient | undefined;
  let stopping = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let nextDueAt = Number.POSITIVE_INFINITY;
  const metrics = options.metrics ? relayMetrics(options.metrics, OUTBOX_PUBLISH_FAILED) : undefined;
  const queueIntervalMs = options.metrics?.queueIntervalMs ?? 15_000;
  const queueSql = queueStatusStatement(table);
  let lastPollAt: Date | undefined;
  let lastPublishAt: Date | undefined;

  async function refreshQueueMetrics(): Promise<void> {
    if (metrics) metrics.queue(await queueStatus(options.pool, table, queueSql));
  }

  function setState(next: RelayState, detail?: string): void {
    const message = stateChangeMessage(state, next, detail);
    const level = next === 'running' || next === 'stopped' ? 'info' : 'warn';
    state = next;
    if (message) log(level, message);
  }

  const onPoolError = (error: Error) => setState('database-unavailable', error.message);

  function wakeUp(): void {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  }

  function sleep(ms: number): Promise<void> {
    if (stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, Math.max(0, ms));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function ensureProducer(): Promise<Producer> {
    if (producer) return producer;
    const created = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, ...options.producerConfig, createPartitioner: javaCompatiblePartitioner });
    try {
      await created.connect();
    } catch (error) {
      await created.disconnect().catch(() => {});
      throw new KafkaUnavailable(error);
    }
    producer = created;
    return created;
  }

  async function dropProducer(): Promise<void> {
    const current = producer;
    producer = undefined;
    await current?.disconnect().catch(() => {});
  }

  async function listen(): Promise<void> {
    let client: RelayClient | undefined;
    try {
      client = await options.pool.connect();
      const dropped = (error?: Error) => {
        if (listener !== client) return;
        listener = undefined;
        client!.release(error ?? true);
      };
      client.on('error', dropped);
      client.on('notification', () => wakeUp());
      await client.query(`LISTEN "${table.channel}"`);
      listener = client;
    } catch (error) {
      client?.release(error as Error);
      // The poll interval still finds the rows; LISTEN is tried again on the next loop.
    }
  }

  interface SendOutcome {
    readonly published: string[];
    readonly failed: { row: Row; error: unknown }[];
    readonly outage?: unknown;
  }

  /**
   * Sends the rows in one request per broker. When the broker refuses part of it, each
   * aggregate is sent again row by row, in order, stopping at its first refused row: that row
   * alone spends an attempt, and the rows behind it wait (per-key order).
   */
  async function send(kafkaProducer: Producer, rows: readonly Row[]): Promise<SendOutcome> {
    try {
      await kafkaProducer.sendBatch({ topicMessages: topicMessagesOf(rows) });
      return { published: rows.map((r) => r.seq), failed: [] };
    } catch (error) {
      if (classifyPublishError(error) === 'infrastructure') return { published: [], failed: [], outage: error };
    }
    const published: string[] = [];
    const failed: { row: Row; error: unknown }[] = [];
    for (const group of groupBy(rows, (r) => `${r.topic}\u0000${r.aggregate_id}`).values()) {
      for (const row of group) {
        try {
          await kafkaProducer.sendBatch({ topicMessages: topicMessagesOf([row]) });
          published.push(row.seq);
        } catch (error) {
          if (classifyPublishError(error) === 'infrastructure') return { published, failed, outage: error };
          failed.push({ row, error });
          break;
        }
      }
    }
    return { published, failed };
  }

  async function deadLetter(kafkaProducer: Producer, row: Row, error: unknown): Promise<string | undefined> {
    const message = messageOf(row);
    try {
      await kafkaProducer.send({
        topic: `${row.topic}${DEAD_LETTER_SUFFIX}`,
        messages: [
          {
            ...message,
            headers: {
              ...(message.headers as Record<string, string>),
              [DLQ_HEADER.reason]: OUTBOX_PUBLISH_FAILED,
              [DLQ_HEADER.error]: errorText(error),
              [DLQ_HEADER.stack]: stackSummary(error),
              [DLQ_HEADER.attempts]: String(row.retry_count + 1),
              [DLQ_HEADER.sourceTopic]: row.topic,
              [DLQ_HEADER.sourcePartition]: '-1',
              [DLQ_HEADER.sourceOffset]: '-1',
              [DLQ_HEADER.consumerGroup]: 'nova-events-outbox-relay',
              [DLQ_HEADER.time]: new Date().toISOString(),
            },
          },
        ],
      });
      return undefined;
    } catch (dlqError) {
      if (classifyPublishError(dlqError) === 'infrastructure') throw new KafkaUnavailable(dlqError);
      return `; the dead-letter topic refused it too: ${errorText(dlqError)}`;
    }
  }

  async function runOnce(): Promise<RelayBatch> {
    // Connected before claiming, so that no row stays locked while Kafka cannot be reached.
    const kafkaProducer = await ensureProducer();
    const client = await options.pool.connect();
    const onClientError = () => {};
    client.on('error', onClientError);
    let failure: Error | undefined;
    try {
      const claimed = await client.query(sql.claimBatch(batchSize));
      const rows = ((Array.isArray(claimed) ? claimed[claimed.length - 1] : claimed).rows as unknown as Row[]).sort(bySeq);
      lastPollAt = new Date();
      if (rows.length === 0) {
        await client.query('COMMIT');
        return EMPTY;
      }
      const sendStarted = performance.now();
      const outcome = await send(kafkaProducer, rows);
      if (outcome.published.length > 0) {
        metrics?.published(secondsSince(sendStarted));
        lastPublishAt = new Date();
      }
      if (outcome.failed.length === 0 && outcome.outage === undefined) {
        await client.query(sql.publishAndCommit(outcome.published));
        return { claimed: rows.length, published: rows.length, failed: 0, deadLettered: 0 };
      }
      if (outcome.published.length > 0) await client.query(sql.markPublished, [outcome.published]);
      let deadLettered = 0;
      for (const { row, error } of outcome.failed) {
        const action = rowFailureAction(row.retry_count, maxAttempts, rowBackoff);
        if (action.dead) {
          const dlqNote = await deadLetter(kafkaProducer, row, error);
          if (dlqNote === undefined) metrics?.deadLettered(row.topic);
          await client.query(sql.markDead, [row.seq, `${errorText(error)}${dlqNote ?? ''}`]);
          deadLettered++;
        } else {
          await client.query(sql.markFailed, [row.seq, errorText(error), action.delayMs]);
          nextDueAt = Math.min(nextDueAt, Date.now() + action.delayMs);
        }
      }
      await client.query('COMMIT');
      if (outcome.outage !== undefined) throw new KafkaUnavailable(outcome.outage);
      return { claimed: rows.length, published: outcome.published.length, failed: outcome.failed.length - deadLettered, deadLettered };
    } catch (error) {
      failure = error as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.removeListener('error', onClientError);
      // A connection that failed is discarded, not returned to the pool.
      client.release(failure !== undefined && !(failure instanceof KafkaUnavailable) ? failure : undefined);
    }
  }

  async function retention(): Promise<void> {
    if (retentionMs <= 0) return;
    const chunk = 1000;
    for (;;) {
      const { rowCount } = await options.pool.query(sql.deletePublished, [retentionMs, chunk]);
      if ((rowCount ?? 0) < chunk || stopping) return;
    }
  }

  async function probe(): Promise<void> {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await options.pool.query(sql.probe);
        return;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === '42P01' || code === '3F000') {
          throw new NovaError(OUTBOX_TABLE_MISSING, `the outbox table ${table.qualified} does not exist`, {
            hint: `run \`nova-events outbox migrate --schema ${table.schema}\` (or apply \`nova-events outbox migrate --print\`)`,
          });
        }
        if (!isDatabaseUnavailable(error)) throw error;
        setState('database-unavailable', (error as Error).message);
        await sleep(delayFor(attempt, outageBackoff));
      }
    }
  }

  async function loop(): Promise<void> {
    options.pool.on('error', onPoolError);
    try {
      await probe();
      let outages = 0;
      let lastRetention = 0;
      let lastQueueQuery = Number.NEGATIVE_INFINITY;
      while (!stopping) {
        if (!listener) await listen();
        if (Date.now() - lastRetention >= retentionIntervalMs) {
          lastRetention = Date.now();
          await retention().catch((error: unknown) => log('warn', `retention failed: ${(error as Error).message}`));
        }
        if (metrics && Date.now() - lastQueueQuery >= queueIntervalMs) {
          lastQueueQuery = Date.now();
          // During an outage the state change has been logged once already.
          await refreshQueueMetrics().catch((error: unknown) => state === 'running' && log('warn', `the queue metrics query failed: ${(error as Error).message}`));
        }
        let batch: RelayBatch;
        try {
          batch = await runOnce();
          outages = 0;
          setState('running');
        } catch (error) {
          outages++;
          if (error instanceof KafkaUnavailable) {
            setState('kafka-unavailable', (error.cause as Error | undefined)?.message);
            await dropProducer();
          } else {
            setState('database-unavailable', (error as Error).message);
          }
          await sleep(delayFor(outages, outageBackoff));
          continue;
        }
        options.onBatch?.(batch);
        if (batch.claimed >= batchSize) continue;
        const untilDue = nextDueAt - Date.now();
        nextDueAt = Number.POSITIVE_INFINITY;
        await sleep(Math.min(pollIntervalMs, untilDue));
      }
    } finally {
      options.pool.removeListener('error', onPoolError);
      const current = listener;
      listener = undefined;
      current?.release(true);
      await dropProducer();
      setState('stopped');
    }
  }

  return {
    run() {
      stopping = false;
      running ??= loop().finally(() => {
        running = undefined;
      });
      return running;
    },
    async stop() {
      stopping = true;
      wakeUp();
      await running?.catch(() => {});
      await dropProducer();
    },
    runOnce,
    get state() {
      return state;
    },
    health: () => relayHealth(state, lastPollAt, lastPublishAt),
    refreshQueueMetrics,
  };
}
