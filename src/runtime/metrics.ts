import { createRequire } from 'node:module';
import { NovaError } from '../util/errors.js';

/** Rule id of a `metrics` option that cannot be used (prom-client missing, a name taken by another kind of metric). */
export const METRICS_UNAVAILABLE = 'METRICS_UNAVAILABLE';

/** The label value of an event type that is not in the catalog: one value, so cardinality stays bounded. */
export const UNKNOWN_LABEL = 'unknown';

/** The part of a prom-client `Registry` the runtime uses (structural, so prom-client stays optional). */
export interface MetricsRegistry {
  getSingleMetric(name: string): unknown;
  registerMetric(metric: never): void;
}

/** The part of the prom-client module the runtime uses. */
export interface PromClientModule {
  readonly Counter: new (config: MetricConfig) => unknown;
  readonly Gauge: new (config: MetricConfig) => unknown;
  readonly Histogram: new (config: MetricConfig & { buckets?: number[] }) => unknown;
}

interface MetricConfig {
  name: string;
  help: string;
  labelNames: string[];
  registers: never[];
}

/**
 * The `metrics` option of the producer, the consumer and the outbox relay. Without it nothing is
 * registered and prom-client is not loaded.
 */
export interface MetricsOptions {
  /** A prom-client `Registry` (e.g. `new Registry()` or prom-client's default `register`). */
  readonly registry: MetricsRegistry;
  /**
   * The prom-client module to create the metrics with (`import * as client from 'prom-client'`);
   * by default the runtime loads the `prom-client` the application has installed.
   */
  readonly client?: PromClientModule;
}

type Kind = 'counter' | 'gauge' | 'histogram';

/** One metric of the runtime: its name, kind, help and label names. */
export interface MetricDefinition {
  readonly name: string;
  readonly kind: Kind;
  readonly help: string;
  readonly labels: readonly string[];
  readonly buckets?: readonly number[];
}

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Every metric the runtime registers: the seeds' names, Prometheus units and suffixes. */
export const METRICS = {
  published: { name: 'events_published_total', kind: 'counter', help: 'Events the broker acknowledged.', labels: ['event_type', 'topic'] },
  publishFailures: { name: 'events_publish_failures_total', kind: 'counter', help: 'Events whose publish failed (encoding or broker).', labels: ['event_type', 'topic'] },
  consumed: {
    name: 'events_consumed_total',
    kind: 'counter',
    help: 'Consumed messages by outcome: handled, duplicate, skipped, dead-lettered.',
    labels: ['event_type', 'topic', 'group', 'outcome'],
  },
  processingDuration: {
    name: 'event_processing_duration_seconds',
    kind: 'histogram',
    help: 'Time from decoding an event to its outcome, every handler attempt and backoff included.',
    labels: ['event_type', 'group'],
    buckets: SECONDS,
  },
  deadLettered: { name: 'events_dead_lettered_total', kind: 'counter', help: 'Messages sent to a dead-letter topic, by reason (rule id) and source topic.', labels: ['reason', 'topic'] },
  consumerLag: {
    name: 'kafka_consumer_lag',
    kind: 'gauge',
    help: "Messages behind the partition's high watermark after the last message this consumer processed.",
    labels: ['group', 'topic', 'partition'],
  },
  outboxQueueSize: { name: 'outbox_queue_size', kind: 'gauge', help: 'Pending outbox rows (neither published nor dead).', labels: [] },
  outboxOldestAge: { name: 'outbox_oldest_pending_age_seconds', kind: 'gauge', help: 'Age of the oldest pending outbox row; 0 when none is pending.', labels: [] },
  outboxDead: { name: 'outbox_dead_total', kind: 'gauge', help: 'Dead outbox rows in the table now (a gauge: `outbox retry --dead` lowers it).', labels: [] },
  relayPublishDuration: {
    name: 'outbox_relay_publish_duration_seconds',
    kind: 'histogram',
    help: "Time of one relay batch's send to the broker.",
    labels: [],
    buckets: SECONDS,
  },
} as const satisfies Record<string, MetricDefinition>;

/** A counter's or gauge's series for one set of label values. */
export interface CounterSeries {
  inc(value?: number): void;
}
/** A gauge's series for one set of label values. */
export interface GaugeSeries {
  set(value: number): void;
}
/** A histogram's series for one set of label values. */
export interface HistogramSeries {
  observe(seconds: number): void;
}

interface PromMetric {
  labels(...values: string[]): CounterSeries & GaugeSeries & HistogramSeries;
  inc(value?: number): void;
  set(value: number): void;
  observe(value: number): void;
}

function loadClient(): PromClientModule {
  try {
    return createRequire(import.meta.url)('prom-client') as PromClientModule;
  } catch (cause) {
    throw new NovaError(METRICS_UNAVAILABLE, 'the metrics option needs prom-client, which is not installed', { cause, hint: 'npm install prom-client (or pass metrics.client)' });
  }
}

/**
 * A metric in the registry: the one already registered under the name (two consumers of one
 * process share `events_consumed_total`), else a new one. A name already taken by a metric of
 * other labels is refused, since its series could not be told apart.
 */
function metric(options: MetricsOptions, client: () => PromClientModule, definition: MetricDefinition): PromMetric {
  const existing = options.registry.getSingleMetric(definition.name) as (PromMetric & { labelNames?: unknown }) | undefined;
  if (existing) {
    const labels = Array.isArray(existing.labelNames) ? existing.labelNames : [];
    const method = definition.kind === 'counter' ? 'inc' : definition.kind === 'gauge' ? 'set' : 'observe';
    if (typeof existing[method] !== 'function' || labels.join() !== definition.labels.join()) {
      throw new NovaError(METRICS_UNAVAILABLE, `the registry already has a metric ${definition.name} of another kind or labels (${labels.join(', ') || 'none'})`, {
        hint: 'use a registry of its own for the nova-events metrics',
      });
    }
    return existing;
  }
  const prom = client();
  const config = { name: definition.name, help: definition.help, labelNames: [...definition.labels], registers: [options.registry as never] };
  if (definition.kind === 'counter') return new prom.Counter(config) as PromMetric;
  if (definition.kind === 'gauge') return new prom.Gauge(config) as PromMetric;
  return new prom.Histogram({ ...config, ...(definition.buckets ? { buckets: [...definition.buckets] } : {}) }) as PromMetric;
}

/** Creates the given metrics in the registry (loading prom-client only now). */
export function registerMetrics<K extends keyof typeof METRICS>(options: MetricsOptions, keys: readonly K[]): Record<K, PromMetric> {
  let prom = options.client;
  const client = () => (prom ??= loadClient());
  return Object.fromEntries(keys.map((key) => [key, metric(options, client, METRICS[key])])) as Record<K, PromMetric>;
}

/**
 * Series by label values, created on first use and then reused. The label values come from the
 * catalog and the broker only, so the map is bounded by the catalog's size.
 */
export function seriesCache<S>(create: (...values: string[]) => S): (...values: string[]) => S {
  const cache = new Map<string, S>();
  return (...values) => {
    const key = values.join('\u0000');
    let series = cache.get(key);
    if (series === undefined) {
      series = create(...values);
      cache.set(key, series);
    }
    return series;
  };
}

/** The event type label of a type: itself when the catalog has it, else `unknown`. */
export function eventTypeLabel(type: string | undefined, known: (type: string) => string | undefined): string {
  return (type !== undefined ? known(type) : undefined) ?? UNKNOWN_LABEL;
}

/** The producer's metrics. */
export interface ProducerMetrics {
  published(type: string, topic: string, count?: number): void;
  failed(type: string, topic: string, count?: number): void;
}

/** Registers the producer's counters; `known` maps an event type to its catalog type (or undefined). */
export function producerMetrics(options: MetricsOptions, known: (type: string) => string | undefined): ProducerMetrics {
  const m = registerMetrics(options, ['published', 'publishFailures']);
  const published = seriesCache((type, topic) => m.published.labels(type, topic));
  const failed = seriesCache((type, topic) => m.publishFailures.labels(type, topic));
  return {
    published: (type, topic, count = 1) => published(eventTypeLabel(type, known), topic).inc(count),
    failed: (type, topic, count = 1) => failed(eventTypeLabel(type, known), topic).inc(count),
  };
}

/** The consumer's metrics, for one consumer group. */
export interface ConsumerMetrics {
  consumed(type: string | undefined, topic: string, outcome: string): void;
  processed(type: string, seconds: number): void;
  deadLettered(reason: string, topic: string): void;
  lag(topic: string, partition: number, lag: number): void;
}

/** Registers the consumer's metrics for `group`; `known` maps an event type (legacy names too) to its catalog type. */
export function consumerMetrics(options: MetricsOptions, group: string, known: (type: string) => string | undefined): ConsumerMetrics {
  const m = registerMetrics(options, ['consumed', 'processingDuration', 'deadLettered', 'consumerLag']);
  const consumed = seriesCache((type, topic, outcome) => m.consumed.labels(type, topic, group, outcome));
  const duration = seriesCache((type) => m.processingDuration.labels(type, group));
  const deadLettered = seriesCache((reason, topic) => m.deadLettered.labels(reason, topic));
  const lag = seriesCache((topic, partition) => m.consumerLag.labels(group, topic, partition));
  return {
    consumed: (type, topic, outcome) => consumed(eventTypeLabel(type, known), topic, outcome).inc(),
    processed: (type, seconds) => duration(eventTypeLabel(type, known)).observe(seconds),
    deadLettered: (reason, topic) => deadLettered(reason, topic).inc(),
    lag: (topic, partition, value) => lag(topic, String(partition)).set(value),
  };
}

/** The outbox relay's metrics. */
export interface RelayMetrics {
  queue(status: { readonly pending: number; readonly dead: number; readonly oldestPendingAgeMs: number | null }): void;
  published(seconds: number): void;
  deadLettered(topic: string): void;
}

/** Registers the relay's gauges and histogram (and the shared dead-letter counter). */
export function relayMetrics(options: MetricsOptions, reason: string): RelayMetrics {
  const m = registerMetrics(options, ['outboxQueueSize', 'outboxOldestAge', 'outboxDead', 'relayPublishDuration', 'deadLettered']);
  const deadLettered = seriesCache((topic) => m.deadLettered.labels(reason, topic));
  return {
    queue(status) {
      m.outboxQueueSize.set(status.pending);
      m.outboxDead.set(status.dead);
      m.outboxOldestAge.set(status.oldestPendingAgeMs === null ? 0 : status.oldestPendingAgeMs / 1000);
    },
    published: (seconds) => m.relayPublishDuration.observe(seconds),
    deadLettered: (topic) => deadLettered(topic).inc(),
  };
}

/** Seconds since a `process.hrtime.bigint()` reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
