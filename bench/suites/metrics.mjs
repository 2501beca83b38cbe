// The per-message cost of metrics on the publish and consume paths: the same producer and
// consumer with and without a prom-client registry, in process against an in-memory kafkajs
// stand-in (so the broker's round trip does not hide the runtime's own cost). Keys:
// publish_metrics_overhead and consume_metrics_overhead, the extra time per message with a
// registry as a fraction (0.03 = 3% slower; target <= 0.05).
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { catalog } from '../../dist/generated/catalog.js';
import { createCatalogConsumer, createCatalogProducer } from '../../dist/src/runtime/index.js';
import { median } from '../stats.mjs';
import { memoryRegistry } from './codec.mjs';

const ROUNDS = 41;
const COUNT = 5_000;
const type = 'post.liked';
const spec = catalog[type];
const topic = spec.topic;

/** The parts of a kafkajs `Kafka` the producer and consumer touch, answering at once. */
function fakeKafka() {
  let eachBatch;
  const events = { CONNECT: 'consumer.connect', DISCONNECT: 'consumer.disconnect', STOP: 'consumer.stop', REBALANCING: 'consumer.rebalancing', FETCH: 'consumer.fetch', GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  return {
    batch: (batch) => eachBatch(batch),
    producer: () => ({
      connect: async () => {},
      disconnect: async () => {},
      send: async () => [{ topicName: topic, partition: 0, errorCode: 0, baseOffset: '0' }],
      sendBatch: async () => [],
    }),
    consumer: () => ({
      events,
      on: () => () => {},
      connect: async () => {},
      disconnect: async () => {},
      subscribe: async () => {},
      run: async (config) => {
        eachBatch = config.eachBatch;
      },
    }),
  };
}

const payload = () => ({ post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date(1_790_000_000_000) });

async function alternate(plain, measured) {
  const times = { plain: [], measured: [] };
  for (let round = 0; round < ROUNDS + 1; round++) {
    const order = round % 2 === 0 ? [['plain', plain], ['measured', measured]] : [['measured', measured], ['plain', plain]];
    for (const [name, fn] of order) {
      const start = process.hrtime.bigint();
      await fn();
      if (round > 0) times[name].push(Number(process.hrtime.bigint() - start));
    }
  }
  // The median of each round's own ratio: both variants ran back to back, so the machine's
  // other load (it is shared) moves both sides of a ratio alike.
  const ratios = times.plain.map((plainTime, i) => times.measured[i] / plainTime);
  if (process.env['NOVA_BENCH_VERBOSE']) process.stderr.write(`  plain ${(median(times.plain) / COUNT).toFixed(0)} ns/msg, with metrics ${(median(times.measured) / COUNT).toFixed(0)} ns/msg\n`);
  return median(ratios) - 1;
}

/** Runs the suite (no services needed); returns its keys. */
export async function run() {
  const registry = memoryRegistry();
  await registry.register(spec.subject, 'AVRO', spec.versions.at(-1).schema, spec.compatibility);
  const producerFor = (metrics) => createCatalogProducer(catalog, { kafka: fakeKafka(), registry, events: [type], ...(metrics ? { metrics: { registry: new Registry() } } : {}) });
  const [plainProducer, measuredProducer] = [producerFor(false), producerFor(true)];
  await plainProducer.connect();
  await measuredProducer.connect();
  const payloads = Array.from({ length: COUNT }, payload);
  const publishAll = (producer) => async () => {
    for (const p of payloads) await producer.publish(type, p);
  };
  const publish = await alternate(publishAll(plainProducer), publishAll(measuredProducer));

  // The consume path: routing, decoding, the handler (a no-op), the offset bookkeeping.
  const messages = payloads.map((p, i) => {
    const { message } = plainProducer.encode(type, p);
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)]));
    return { key: Buffer.from(message.key), value: message.value, headers, offset: String(i), timestamp: '0', attributes: 0 };
  });
  const consumerFor = async (metrics) => {
    const kafka = fakeKafka();
    const consumer = createCatalogConsumer(catalog, { kafka, registry, groupId: 'bench', ...(metrics ? { metrics: { registry: new Registry() } } : {}) });
    consumer.on(type, () => {});
    await consumer.run();
    return () =>
      kafka.batch({
        batch: { topic, partition: 0, highWatermark: String(messages.length), messages },
        resolveOffset: () => {},
        heartbeat: async () => {},
        commitOffsetsIfNecessary: async () => {},
        isRunning: () => true,
        isStale: () => false,
      });
  };
  const consume = await alternate(await consumerFor(false), await consumerFor(true));
  return { publish_metrics_overhead: publish, consume_metrics_overhead: consume };
}
