import type { PartitionerArgs } from 'kafkajs';

/**
 * Kafka's murmur2 hash exactly as the Java client's `Utils.murmur2` computes it (seed
 * 0x9747b28c), as a signed 32-bit integer.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length4 * 4;
  const remaining = length & 3;
  if (remaining === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (remaining >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (remaining >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition the Java client's default partitioner picks for a keyed record:
 * `toPositive(murmur2(keyBytes)) % numPartitions`.
 */
export function partitionForKey(key: string | Uint8Array, numPartitions: number): number {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return (murmur2(bytes) & 0x7fffffff) % numPartitions;
}

/**
 * A kafkajs partitioner factory that places keyed messages where Java, Go (sarama's
 * murmur2 option) and librdkafka's `murmur2_random` producers place them. Unkeyed messages
 * (none in the catalog) go round robin.
 */
export function javaCompatiblePartitioner(): (args: PartitionerArgs) => number {
  let counter = 0;
  return ({ partitionMetadata, message }) => {
    const count = partitionMetadata.length;
    const key = message.key;
    if (key === null || key === undefined) return partitionMetadata[counter++ % count]!.partitionId;
    return partitionForKey(typeof key === 'string' ? key : key, count);
  };
}
