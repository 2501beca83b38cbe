import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaCompatiblePartitioner, murmur2, partitionForKey } from '../../../src/runtime/partitioner.js';
import { repoRoot } from '../../support/project.js';

/** Produced by the Kafka 4.1.1 Java client: `scripts/java/Murmur2Vectors.java`. */
const vectors = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'partitioner', 'java-vectors.json'), 'utf8')) as {
  key: string;
  murmur2: number;
  partitions: Record<string, number>;
}[];

describe('murmur2 partitioner against the Java client', () => {
  it.each(vectors.map((v) => [v.key, v] as const))('key %j', (_key, vector) => {
    expect(murmur2(Buffer.from(vector.key, 'utf8'))).toBe(vector.murmur2);
    for (const [count, partition] of Object.entries(vector.partitions)) {
      expect(partitionForKey(vector.key, Number(count))).toBe(partition);
    }
  });

  it('places keyed kafkajs messages where Java does', () => {
    const partitioner = javaCompatiblePartitioner();
    const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, partitionErrorCode: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [] }));
    for (const vector of vectors) {
      expect(partitioner({ topic: 't', partitionMetadata, message: { key: vector.key, value: null } })).toBe(vector.partitions['6']);
    }
  });
});
