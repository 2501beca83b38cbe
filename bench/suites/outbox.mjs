// The transactional outbox on the real PostgreSQL, broker and registry. Keys:
// - relay_vs_publish_batch: events/s from committed rows to broker-acknowledged, over typed
//   publishBatch of the same events in batches of the same size (100), same broker and settings;
// - outbox_commit_to_handler_p50_ms / _p99_ms: commit -> handler with LISTEN/NOTIFY, 1,000 events
//   at a steady 200/s;
// - enqueue_overhead_vs_insert: a transaction with enqueue over the same transaction with a plain
//   INSERT of the same bytes, key, topic and headers (lower is better; 1 = free).
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { catalog } from '../../dist/generated/catalog.js';
import {
  connectRuntimeRegistry,
  createCatalogConsumer,
  createCatalogOutbox,
  createCatalogProducer,
  createOutboxRelay,
  migrateOutbox,
  outboxTable,
} from '../../dist/src/runtime/index.js';
import { median } from '../stats.mjs';

const EVENTS = 5_000;
const KEYS = 1_000;
const BATCH = 100;
const ROUNDS = 5;

const like = (postId) => ({ post_id: postId, user_id: randomUUID(), liked_at: new Date() });

async function inTransaction(pool, work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

/** Runs the suite; returns its keys. */
export async function run({ brokers, registryUrl, databaseUrl }) {
  const kafka = new Kafka({ clientId: 'nova-events-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const spec = catalog['post.liked'];
  const events = { 'post.liked': spec };
  const topic = `bench.${randomUUID().slice(0, 8)}.nova.content.events`;
  const topics = { [spec.topic]: topic };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  await connectRuntimeRegistry({ url: registryUrl }).register(spec.subject, 'AVRO', spec.versions[0].schema, spec.compatibility);

  const schema = `bench_${randomUUID().slice(0, 8)}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 12 });
  const table = outboxTable({ schema });
  await migrateOutbox(pool, table);
  await pool.query(`CREATE TABLE "${schema}".plain (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text, topic text, key text, payload bytea, headers jsonb)`);
  const outbox = createCatalogOutbox(events, { registry: { url: registryUrl }, schema, topics });
  await outbox.connect();
  const producer = createCatalogProducer(events, { kafka, registry: { url: registryUrl }, topics });
  await producer.connect();
  const relay = createOutboxRelay({ pool, kafka, schema, batchSize: BATCH, logger: () => {} });
  const keys = Array.from({ length: KEYS }, () => randomUUID());
  const results = {};

  try {
    // Throughput: the relay draining 5,000 committed rows against publishBatch of 5,000 events.
    const relayTimes = [];
    const publishTimes = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      await inTransaction(pool, async (tx) => {
        for (let i = 0; i < EVENTS; i++) await outbox.enqueue(tx, 'post.liked', like(keys[i % KEYS]));
      });
      const items = Array.from({ length: EVENTS }, (_, i) => ({ type: 'post.liked', payload: like(keys[i % KEYS]) }));
      const timeRelay = async () => {
        const start = process.hrtime.bigint();
        while ((await relay.runOnce()).claimed > 0);
        return Number(process.hrtime.bigint() - start);
      };
      const timePublish = async () => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < items.length; i += BATCH) await producer.publishBatch(items.slice(i, i + BATCH));
        return Number(process.hrtime.bigint() - start);
      };
      const [r, p] = round % 2 === 0 ? [await timeRelay(), await timePublish()] : [undefined, await timePublish()];
      const relayTime = r ?? (await timeRelay());
      if (round > 0) {
        relayTimes.push(relayTime);
        publishTimes.push(p);
      }
    }
    results.relay_vs_publish_batch = median(publishTimes) / median(relayTimes);

    // Enqueue overhead: the same transaction with a plain insert of the same bytes.
    const sample = producer.encode('post.liked', like(keys[0])).message;
    const plainInsert = `INSERT INTO "${schema}".plain (id, topic, key, payload, headers) VALUES ($1, $2, $3, $4, $5)`;
    const enqueueTimes = [];
    const insertTimes = [];
    const client = await pool.connect();
    try {
      for (let round = 0; round < ROUNDS * 2 + 1; round++) {
        const timeTx = async (work) => {
          const start = process.hrtime.bigint();
          for (let i = 0; i < 200; i++) {
            await client.query('BEGIN');
            await work(i);
            await client.query('COMMIT');
          }
          return Number(process.hrtime.bigint() - start);
        };
        const enqueue = () => timeTx((i) => outbox.enqueue(client, 'post.liked', like(keys[i % KEYS])));
        const insert = () => timeTx(() => client.query(plainInsert, [randomUUID(), topic, sample.key, sample.value, JSON.stringify(sample.headers)]));
        const [e, i] = round % 2 === 0 ? [await enqueue(), await insert()] : [undefined, await insert()];
        const enqueueTime = e ?? (await enqueue());
        if (round > 0) {
          enqueueTimes.push(enqueueTime);
          insertTimes.push(i);
        }
      }
    } finally {
      client.release();
    }
    results.enqueue_overhead_vs_insert = median(enqueueTimes) / median(insertTimes);
    while ((await relay.runOnce()).claimed > 0);

    // Latency: commit -> handler through LISTEN/NOTIFY, at a steady rate.
    const committedAt = new Map();
    const latencies = [];
    const consumer = createCatalogConsumer(events, { kafka, registry: { url: registryUrl }, groupId: `bench-${randomUUID()}`, topics, fromBeginning: false });
    let ready;
    const warm = new Promise((resolve) => (ready = resolve));
    consumer.on('post.liked', (_event, meta) => {
      if (meta.eventId === 'warm-up') return ready();
      const at = committedAt.get(meta.eventId);
      if (at !== undefined) latencies.push(Number(process.hrtime.bigint() - at) / 1e6);
    });
    await consumer.run();
    const running = relay.run();
    const warmUp = setInterval(() => void inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', like(keys[0]), { eventId: `warm-up` })).catch(() => {}), 2000);
    void inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', like(keys[0]), { eventId: 'warm-up' })).catch(() => {});
    await warm;
    clearInterval(warmUp);
    for (let i = 0; i < 1_000; i++) {
      const eventId = randomUUID();
      await inTransaction(pool, (tx) => outbox.enqueue(tx, 'post.liked', like(keys[i % KEYS]), { eventId }));
      committedAt.set(eventId, process.hrtime.bigint());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = Date.now() + 30_000;
    while (latencies.length < 1_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await relay.stop();
    await running;
    await consumer.stop();
    latencies.sort((a, b) => a - b);
    results.outbox_commit_to_handler_p50_ms = latencies[Math.floor(latencies.length * 0.5)];
    results.outbox_commit_to_handler_p99_ms = latencies[Math.floor(latencies.length * 0.99)];
  } finally {
    await producer.disconnect();
    await relay.stop();
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  }
  return results;
}
