import { NovaError } from '../util/errors.js';

/** Rule id of a `metrics` option that cannot be used (a metric name the registry already has from elsewhere). */
export const METRICS_UNAVAILABLE = 'METRICS_UNAVAILABLE';

/** The label value of an event type that is not in the catalog: one value, so cardinality stays bounded. */
export const UNKNOWN_LABEL = 'unknown';

/** The part of a prom-client `Registry` the runtime uses (structural, so prom-client stays optional). */
export interface MetricsRegistry {
  getSingleMetric(name: string): unknown;
  registerMetric(metric: never): void;
}

/**
 * The `metrics` option of the producer, the consumer and the outbox relay. Without it nothing is
 * registered. The runtime never loads prom-client itself: its metrics are small objects of its
 * own that a prom-client registry exposes like any other.
 */
export interface MetricsOptions {
  /** A prom-client `Registry` (e.g. `new Registry()` or prom-client's default `register`). */
  readonly registry: MetricsRegistry;
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

/** A counter's series for one set of label values. */
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

type Series = CounterSeries & GaugeSeries & HistogramSeries;

/** One series' numbers: a value (counter, gauge) or per-bucket counts, sum and count (histogram). */
class SeriesState implements Series {
  value = 0;
  sum = 0;
  count = 0;
  readonly buckets: Float64Array;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length);
  }

  inc(value = 1): void {
    this.value += value;
  }

  set(value: number): void {
    this.value = value;
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.buckets[i]!++;
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.value = 0;
    this.sum = 0;
    this.count = 0;
    this.buckets.fill(0);
  }
}

/**
 * A metric of the runtime in a prom-client registry. The hot path only adds to numbers in
 * memory (a prom-client child's `inc` or `observe` hashes and validates its labels on every
 * call: 0.4 to 0.7 us, as much as the rest of a consumed message); the registry reads them at
 * scrape time through `get()`, the shape prom-client's own metrics return, so exposition,
 * `getMetricsAsJSON`, `resetMetrics` and cluster aggregation work as for any metric.
 */
export class RuntimeMetric {
  readonly name: string;
  readonly help: string;
  readonly type: Kind;
  readonly labelNames: readonly string[];
  readonly aggregator = 'sum';
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, SeriesState>();

  constructor(definition: MetricDefinition) {
    this.name = definition.name;
    this.help = definition.help;
    this.type = definition.kind;
    this.labelNames = definition.labels;
    this.bounds = definition.kind === 'histogram' ? (definition.buckets ?? SECONDS) : [];
    // As prom-client's: a metric without labels has its one series (at 0) from the start.
    if (this.labelNames.length === 0) this.labels();
  }

  /** The series of these label values (in `labelNames` order), created on first use. */
  labels(...values: string[]): Series {
    const key = values.join('\u0000');
    let state = this.series.get(key);
    if (state === undefined) {
      state = new SeriesState(Object.fromEntries(this.labelNames.map((name, i) => [name, values[i] ?? ''])), this.bounds);
      this.series.set(key, state);
    }
    return state;
  }

  /** The metric and its values, as prom-client's metrics return them (read at scrape time). */
  async get(): Promise<{ name: string; help: string; type: Kind; aggregator: string; values: { value: number; labels: Record<string, string | number>; metricName?: string }[] }> {
    const values: { value: number; labels: Record<string, string | number>; metricName?: string }[] = [];
    for (const state of this.series.values()) {
      if (this.type !== 'histogram') {
        values.push({ value: state.value, labels: { ...state.labels } });
        continue;
      }
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += state.buckets[i]!;
        values.push({ value: cumulative, labels: { ...state.labels, le }, metricName: `${this.name}_bucket` });
      });
      values.push({ value: state.count, labels: { ...state.labels, le: '+Inf' }, metricName: `${this.name}_bucket` });
      values.push({ value: state.sum, labels: { ...state.labels }, metricName: `${this.name}_sum` });
      values.push({ value: state.count, labels: { ...state.labels }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Zeroes every series (prom-client's `registry.resetMetrics()`); series handed out stay valid. */
  reset(): void {
    for (const state of this.series.values()) state.reset();
  }
}

/**
 * A metric in the registry: the runtime's own one already registered under the name (two
 * consumers of one process share `events_consumed_total`), else a new one. A name another
 * library or the service already took is refused, since the two could not be told apart.
 */
function metric(options: MetricsOptions, definition: MetricDefinition): RuntimeMetric {
  const existing = options.registry.getSingleMetric(definition.name);
  if (existing !== undefined) {
    if (existing instanceof RuntimeMetric && existing.type === definition.kind && existing.labelNames.join() === definition.labels.join()) return existing;
    throw new NovaError(METRICS_UNAVAILABLE, `the registry already has a metric named ${definition.name} that nova-events did not register`, {
      hint: 'use a registry of its own for the nova-events metrics (prom-client Registry.merge can expose both)',
    });
  }
  const created = new RuntimeMetric(definition);
  options.registry.registerMetric(created as never);
  return created;
}

/** Creates (or finds) the given metrics in the registry. */
export function registerMetrics<K extends keyof typeof METRICS>(options: MetricsOptions, keys: readonly K[]): Record<K, RuntimeMetric> {
  return Object.fromEntries(keys.map((key) => [key, metric(options, METRICS[key])])) as Record<K, RuntimeMetric>;
}

type Key = string | number;

/**
 * Series by label values, in nested maps, created on first use and then reused. (A key
 * concatenated from the values is a new string on every call, hashed again each time: 0.3 us,
 * ten times the nested lookups.) The label values come from the catalog and the broker only, so
 * the maps are bounded by the catalog's size.
 */
export class SeriesIndex<S> {
  private readonly root = new Map<Key, any>();

  constructor(private readonly create: (...values: string[]) => S) {}

  get(...values: Key[]): S {
    let level = this.root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = level.get(values[i]!);
      if (next === undefined) level.set(values[i]!, (next = new Map()));
      level = next;
    }
    const last = values[values.length - 1]!;
    let series = level.get(last) as S | undefined;
    if (series === undefined) level.set(last, (series = this.create(...values.map(String))));
    return series;
  }
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
  const published = new SeriesIndex((type, topic) => m.published.labels(type!, topic!));
  const failed = new SeriesIndex((type, topic) => m.publishFailures.labels(type!, topic!));
  return {
    published: (type, topic, count = 1) => published.get(eventTypeLabel(type, known), topic).inc(count),
    failed: (type, topic, count = 1) => failed.get(eventTypeLabel(type, known), topic).inc(count),
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
  const consumed = new SeriesIndex((type, topic, outcome) => m.consumed.labels(type!, topic!, group, outcome!));
  const duration = new SeriesIndex((type) => m.processingDuration.labels(type!, group));
  const deadLettered = new SeriesIndex((reason, topic) => m.deadLettered.labels(reason!, topic!));
  const lag = new SeriesIndex((topic, partition) => m.consumerLag.labels(group, topic!, partition!));
  // Keyed by the label, never by the raw header: a million distinct unknown types are one entry.
  return {
    consumed: (type, topic, outcome) => consumed.get(eventTypeLabel(type, known), topic, outcome).inc(),
    processed: (type, seconds) => duration.get(eventTypeLabel(type, known)).observe(seconds),
    deadLettered: (reason, topic) => deadLettered.get(reason, topic).inc(),
    lag: (topic, partition, value) => lag.get(topic, partition).set(value),
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
  const deadLettered = new SeriesIndex((topic) => m.deadLettered.labels(reason, topic!));
  const [queueSize, dead, oldestAge, publishDuration] = [m.outboxQueueSize.labels(), m.outboxDead.labels(), m.outboxOldestAge.labels(), m.relayPublishDuration.labels()];
  return {
    queue(status) {
      queueSize.set(status.pending);
      dead.set(status.dead);
      oldestAge.set(status.oldestPendingAgeMs === null ? 0 : status.oldestPendingAgeMs / 1000);
    },
    published: (seconds) => publishDuration.observe(seconds),
    deadLettered: (topic) => deadLettered.get(topic).inc(),
  };
}

/** Seconds since a `performance.now()` reading. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
