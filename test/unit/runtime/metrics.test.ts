import { Registry } from 'prom-client';
import * as promClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../generated/catalog.js';
import { consumerMetrics, METRICS, METRICS_UNAVAILABLE, producerMetrics, relayMetrics, UNKNOWN_LABEL } from '../../../src/runtime/metrics.js';
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

  it("prom-client exposes them as its own: text format, histogram buckets, JSON, reset", async () => {
    const registry = new Registry();
    const metrics = consumerMetrics({ registry }, 'g', known);
    for (const seconds of [0.0005, 0.003, 0.003, 0.2, 60]) metrics.processed('post.liked', seconds);
    metrics.consumed('post.liked', 't', 'handled');
    const text = await registry.metrics();
    expect(text).toContain('# HELP event_processing_duration_seconds ');
    expect(text).toContain('# TYPE event_processing_duration_seconds histogram');
    const bucket = (le: string) => new RegExp(`^event_processing_duration_seconds_bucket\\{event_type="post.liked",group="g",le="${le.replace('+', '\\+')}"\\} (\\S+)$`, 'm').exec(text)?.[1];
    expect([bucket('0.001'), bucket('0.005'), bucket('0.1'), bucket('0.25'), bucket('30'), bucket('+Inf')]).toEqual(['1', '3', '3', '4', '4', '5']);
    expect(text).toMatch(/^event_processing_duration_seconds_count\{event_type="post.liked",group="g"\} 5$/m);
    expect(text).toMatch(/^event_processing_duration_seconds_sum\{event_type="post.liked",group="g"\} 60.2065$/m);
    expect(text).toMatch(/^# TYPE events_consumed_total counter\nevents_consumed_total\{event_type="post.liked",topic="t",group="g",outcome="handled"\} 1$/m);
    registry.resetMetrics();
    metrics.consumed('post.liked', 't', 'handled');
    expect(await series(registry, 'events_consumed_total')).toEqual([{ labels: { event_type: 'post.liked', topic: 't', group: 'g', outcome: 'handled' }, value: 1 }]);
    expect(await registry.getSingleMetricAsString('outbox_queue_size').catch(() => 'none')).toBe('none');
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
