// A consumer process for the crash test: handles post.liked slowly, deduplicating through Redis,
// and prints one line per handled event. The test kills it with SIGKILL mid-batch.
import { writeSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { catalog } from '../../../dist/generated/catalog.js';
import { createCatalogConsumer, redisIdempotencyStore } from '../../../dist/src/runtime/index.js';

const [brokers, registryUrl, groupId, topicsJson, prefix, redisUrl] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'crash-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const redis = new Redis(redisUrl, { lazyConnect: false });
const consumer = createCatalogConsumer(catalog, {
  kafka,
  registry: { url: registryUrl },
  groupId,
  fromBeginning: true,
  topics: JSON.parse(topicsJson),
  idempotency: redisIdempotencyStore(redis, { prefix }),
  consumerConfig: { sessionTimeout: 6000, heartbeatInterval: 500 },
  onOutcome: (o) => {
    if (o.outcome === 'duplicate') writeSync(1, `duplicate ${o.eventId}\n`);
  },
});
consumer.on('post.liked', async (event, meta) => {
  await new Promise((resolve) => setTimeout(resolve, 15));
  writeSync(1, `handled ${meta.eventId} ${meta.partition} ${meta.offset}\n`);
});
await consumer.run();
writeSync(1, 'running\n');
