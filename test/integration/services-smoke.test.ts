import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/project.js';

const brokers = (process.env['NOVA_KAFKA_BROKERS'] ?? '127.0.0.1:19092').split(',');
const registryUrl = process.env['NOVA_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:18081/apis/ccompat/v7';

describe('real Kafka', () => {
  it('produces a message and consumes it back', async () => {
    const kafka = new Kafka({ clientId: 'nova-events-smoke', brokers, logLevel: logLevel.ERROR });
    const topic = `smoke.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const key = randomUUID();
    await producer.send({ topic, messages: [{ key, value: 'hello nova', headers: { event_type: 'smoke.test' } }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: string; eventType: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({ key: String(message.key), value: String(message.value), eventType: String(message.headers?.['event_type']) });
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual({ key, value: 'hello nova', eventType: 'smoke.test' });
  });
});

describe('real Confluent-compatible registry', () => {
  it('registers a catalog schema and reads it back by id', async () => {
    const registry = new SchemaRegistry({ host: registryUrl });
    const schema = readFileSync(join(repoRoot, 'contracts', 'post', 'post.created.v1.avsc'), 'utf8');
    const subject = `smoke-${randomUUID()}-nova.post.PostCreated`;
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    expect(id).toBeGreaterThan(0);
    const again = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    expect(again.id).toBe(id);
    const byId = (await fetch(`${registryUrl}/schemas/ids/${id}`).then((r) => r.json())) as { schema: string };
    expect(JSON.parse(byId.schema)).toMatchObject({ name: 'PostCreated', namespace: 'nova.post' });
    expect(await registry.getRegistryId(subject, 1)).toBe(id);
  });
});
