import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { catalog } from '../../generated/catalog.js';
import { connectRuntimeRegistry } from '../../src/registry/runtime-registry.js';
import type { EventSpec } from '../../src/runtime/event-spec.js';
import { samplePayload } from '../support/samples.js';

/** The broker, registry and Redis the global setup started (or found). */
export const brokers = (process.env['NOVA_KAFKA_BROKERS'] ?? '127.0.0.1:19092').split(',');
export const registryUrl = process.env['NOVA_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:18081/apis/ccompat/v7';
export const redisUrl = process.env['NOVA_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A kafkajs client for tests (errors only). */
export function kafka(clientId = 'nova-events-test'): Kafka {
  return new Kafka({ clientId, brokers, logLevel: process.env['NOVA_TEST_KAFKA_LOG'] ? Number(process.env['NOVA_TEST_KAFKA_LOG']) : logLevel.NOTHING });
}

/** The catalog's specs. */
export const specs = Object.values(catalog) as EventSpec[];

/** A unique name for this test's topics and groups. */
export function runId(): string {
  return `t${randomUUID().slice(0, 8)}`;
}

/** Catalog topic -> this run's topic, for every topic (and legacy topic) of the catalog. */
export function topicsFor(run: string): Record<string, string> {
  const names = new Set(specs.flatMap((s) => [s.topic, ...s.legacyTopics]));
  return Object.fromEntries([...names].map((name) => [name, `${run}.${name}`]));
}

/** Creates topics (and their dead-letter topics) with the catalog's partition counts. */
export async function createTopics(client: Kafka, topics: readonly { topic: string; numPartitions: number }[]): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.flatMap((t) => [t, { topic: `${t.topic}.dlq`, numPartitions: 1 }]),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Registers every version of the given events, oldest first, under their subjects. */
export async function registerAll(events: readonly EventSpec[]): Promise<Map<string, number>> {
  const registry = connectRuntimeRegistry({ url: registryUrl });
  const ids = new Map<string, number>();
  for (const spec of events) {
    for (const version of spec.versions) ids.set(`${spec.type}@${version.version}`, await registry.register(spec.subject, spec.schemaType, version.schema, spec.compatibility));
  }
  return ids;
}

/** A valid payload of an event's newest version, keyed by a fresh UUID. */
export function keyedSample(spec: EventSpec, key = randomUUID()): Record<string, unknown> {
  return { ...samplePayload(spec), [spec.key]: key };
}

/** Reads `count` raw messages from topics with a fresh group, or fails after `timeoutMs`. */
export async function readRaw(client: Kafka, topics: string[], count: number, timeoutMs = 30_000): Promise<{ topic: string; partition: number; message: KafkaMessage }[]> {
  const consumer = client.consumer({ groupId: `raw-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const received: { topic: string; partition: number; message: KafkaMessage }[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${received.length} of ${count} messages within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          received.push({ topic, partition, message });
          if (received.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** Resolves when `predicate` holds, polling (after `refresh`, when given); fails after `timeoutMs` with `what`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000, refresh?: () => Promise<void>): Promise<void> {
  const started = Date.now();
  for (;;) {
    await refresh?.();
    if (predicate()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, refresh ? 200 : 50));
  }
}

/**
 * A switch between kafkajs and the broker (its `socketFactory`): closed, every connection is
 * cut and new ones are refused, as when the cluster is down; open again, it is back.
 */
export function kafkaGate(): { readonly socketFactory: import('kafkajs').ISocketFactory; close(): void; open(): void } {
  const sockets = new Set<import('node:net').Socket>();
  let closed = false;
  return {
    socketFactory: ({ host, port, onConnect }) => {
      const socket = net.connect({ host, port: closed ? 1 : port }, onConnect);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      return socket;
    },
    close() {
      closed = true;
      for (const socket of sockets) socket.destroy();
    },
    open() {
      closed = false;
    },
  };
}
