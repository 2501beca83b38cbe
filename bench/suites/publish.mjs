// Typed publishBatch against raw kafkajs sending the same events pre-encoded, to the same real
// broker, with the same producer settings (idempotent, one request in flight). Key:
// publish_batch_vs_kafkajs (our throughput over raw kafkajs's; higher is better).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { catalog } from '../../dist/generated/catalog.js';
import { createCatalogProducer, connectRuntimeRegistry } from '../../dist/src/runtime/index.js';
import { median } from '../stats.mjs';

const BATCH = 1_000;
const ROUNDS = 9;

/** Runs the suite against the broker and registry; returns its key. */
export async function run({ brokers, registryUrl }) {
  const kafka = new Kafka({ clientId: 'nova-events-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const spec = catalog['post.liked'];
  const topic = `bench.${randomUUID().slice(0, 8)}.nova.content.events`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  await connectRuntimeRegistry({ url: registryUrl }).register(spec.subject, 'AVRO', spec.versions[0].schema, spec.compatibility);

  const ours = createCatalogProducer({ 'post.liked': spec }, { kafka, registry: { url: registryUrl }, topics: { [spec.topic]: topic } });
  await ours.connect();
  const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await raw.connect();

  const batch = () => Array.from({ length: BATCH }, () => ({ type: 'post.liked', payload: { post_id: randomUUID(), user_id: randomUUID(), liked_at: new Date() } }));
  const oursTimes = [];
  const rawTimes = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    const items = batch();
    const preEncoded = items.map((item) => ours.encode(item.type, item.payload).message);
    const timeOurs = async () => {
      const start = process.hrtime.bigint();
      await ours.publishBatch(items);
      return Number(process.hrtime.bigint() - start);
    };
    const timeRaw = async () => {
      const start = process.hrtime.bigint();
      await raw.sendBatch({ topicMessages: [{ topic, messages: preEncoded }] });
      return Number(process.hrtime.bigint() - start);
    };
    const [a, b] = round % 2 === 0 ? [await timeOurs(), await timeRaw()] : [undefined, await timeRaw()];
    const oursTime = a ?? (await timeOurs());
    if (round > 0) {
      oursTimes.push(oursTime);
      rawTimes.push(b);
    }
  }
  await ours.disconnect();
  await raw.disconnect();
  return { publish_batch_vs_kafkajs: median(rawTimes) / median(oursTimes) };
}
