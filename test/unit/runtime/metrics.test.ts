import { Registry } from 'prom-client';
import * as promClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { consumerMetrics, METRICS, METRICS_UNAVAILABLE, producerMetrics, relayMetrics, UNKNOWN_LABEL, type PromClientModule } from '../../../src/runtime/metrics.js';
import { routingTable } from '../../../src/runtime/routing.js';
import { NovaError } from '../../../src/util/errors.js';

const table = routingTable(catalog);
const known = (type: string) => table.byType.get(type)?.type;

async function series(registry: Registry, name: string): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).map((v) => ({ labels: { ...v.labels } as Record<string, string | number>, value: v.value }));
}

describe('metric names and labels (the seeds\' names, Prometheus units)', () => {
  it('registers exactly the issue\'s table', async () => {
    const registry = new Registry();
    producerMetrics({ registry }, known);
    consumerMetrics({ registry }, 'feed-service', known);
    relayMetrics({ registry }, 'OUTBOX_PUBLISH_FAILED');
    const registered = (await registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) })).sort((a, b) => a.name.localeCompare(b.name));
    expect(registered).toEqual(
      [
        ['event_processing_duration_seconds', 'histogram'],
        ['events_consumed_total', 'counter'],
        ['events_dead_lettered_total', 'counter'],
        ['events_publish_failures_total', 'counter'],
        ['events_published_total', 'counter'],
        ['kafka_consumer_lag', 'gauge'],
        ['outbox_dead_total', 'gauge'],
        ['outbox_oldest_pending_age_seconds', 'gauge'],
        ['outbox_queue_size', 'gauge'],
        ['outbox_relay_publish_duration_seconds', 'histogram'],
      ].map(([name, type]) => ({ name: name!, type: type! })),
    );
    const labels = Object.fromEntries(Object.values(METRICS).map((m) => [m.name, [...m.labels]]));
    expect(labels).toEqual({
      events_published_total: ['event_type', 'topic'],
      events_publish_failures_total: ['event_type', 'topic'],
      events_consumed_total: ['event_type', 'topic', 'group', 'outcome'],
      event_processing_duration_seconds: ['event_type', 'group'],
      events_dead_lettered_total: ['reason', 'topic'],
      kafka_consumer_lag: ['group', 'topic', 'partition'],
      outbox_queue_size: [],
      outbox_oldest_pending_age_seconds: [],
      outbox_dead_total: [],
      outbox_relay_publish_duration_seconds: [],
    });
  });
});

describe('label values come from the catalog only', () => {
  const cases: [string, string | undefined, string][] = [
    ['a catalog type', 'post.created', 'post.created'],
    ['a legacy name of a catalog type', 'PostCreated', 'post.created'],
    ['a type the catalog does not have', 'post.exploded', UNKNOWN_LABEL],
    ['no event_type header', undefined, UNKNOWN_LABEL],
    ['a megabyte header', 'x'.repeat(1 << 20), UNKNOWN_LABEL],
    ['an Object.prototype name', '__proto__', UNKNOWN_LABEL],
    ['another Object.prototype name', 'constructor', UNKNOWN_LABEL],
  ];
  it.each(cases)('%s', async (_, type, label) => {
    const registry = new Registry();
    const metrics = consumerMetrics({ registry }, 'g', known);
    metrics.consumed(type, 'nova.content.events', 'skipped');
    metrics.consumed(type, 'nova.content.events', 'skipped');
    expect(await series(registry, 'events_consumed_total')).toEqual([{ labels: { event_type: label, topic: 'nova.content.events', group: 'g', outcome: 'skipped' }, value: 2 }]);
  });

  it('a thousand distinct unknown types are one series', async () => {
    const registry = new Registry();
    const metrics = producerMetrics({ registry }, (t) => (Object.hasOwn(catalog, t) ? t : undefined));
    for (let i = 0; i < 1000; i++) metrics.failed(`junk.${i}`, UNKNOWN_LABEL);
    expect(await series(registry, 'events_publish_failures_total')).toEqual([{ labels: { event_type: UNKNOWN_LABEL, topic: UNKNOWN_LABEL }, value: 1000 }]);
  });
});

describe('registries', () => {
  it('two consumers (two groups) of one process share the metrics of one registry', async () => {
    const registry = new Registry();
    consumerMetrics({ registry }, 'a', known).lag('t', 0, 5);
    consumerMetrics({ registry }, 'b', known).lag('t', 0, 7);
    expect(await series(registry, 'kafka_consumer_lag')).toEqual([
      { labels: { group: 'a', topic: 't', partition: '0' }, value: 5 },
      { labels: { group: 'b', topic: 't', partition: '0' }, value: 7 },
    ]);
  });

  it('refuses a name another metric of other labels already holds', () => {
    const registry = new Registry();
    new promClient.Counter({ name: 'events_consumed_total', help: 'theirs', labelNames: ['service'], registers: [registry] });
    expect(() => consumerMetrics({ registry }, 'g', known)).toThrow(expect.objectContaining({ rule: METRICS_UNAVAILABLE }));
    expect(() => consumerMetrics({ registry }, 'g', known)).toThrow(NovaError);
  });

  it('builds the metrics with the prom-client module the caller passes', () => {
    const registry = new Registry();
    const made: string[] = [];
    const wrap = <T extends new (config: never) => unknown>(Base: T): T =>
      class extends (Base as unknown as new (config: { name: string }) => object) {
        constructor(config: { name: string }) {
          super(config);
          made.push(config.name);
        }
      } as unknown as T;
    const client: PromClientModule = { Counter: wrap(promClient.Counter), Gauge: wrap(promClient.Gauge), Histogram: wrap(promClient.Histogram) };
    relayMetrics({ registry, client }, 'OUTBOX_PUBLISH_FAILED');
    expect(made.sort()).toEqual(['events_dead_lettered_total', 'outbox_dead_total', 'outbox_oldest_pending_age_seconds', 'outbox_queue_size', 'outbox_relay_publish_duration_seconds']);
  });

  it('sets the relay gauges from a queue status (age in seconds, 0 when nothing is pending)', async () => {
    const registry = new Registry();
    const metrics = relayMetrics({ registry }, 'OUTBOX_PUBLISH_FAILED');
    metrics.queue({ pending: 12, dead: 3, oldestPendingAgeMs: 4500 });
    expect((await series(registry, 'outbox_queue_size'))[0]?.value).toBe(12);
    expect((await series(registry, 'outbox_dead_total'))[0]?.value).toBe(3);
    expect((await series(registry, 'outbox_oldest_pending_age_seconds'))[0]?.value).toBe(4.5);
    metrics.queue({ pending: 0, dead: 3, oldestPendingAgeMs: null });
    expect((await series(registry, 'outbox_oldest_pending_age_seconds'))[0]?.value).toBe(0);
  });
});
