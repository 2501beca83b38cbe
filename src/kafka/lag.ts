import type { EventContract } from '../model/contract.js';
import { NovaError } from '../util/errors.js';

/** Rule id of an offset in a broker answer that is not a whole number (exit 3). */
export const KAFKA_BAD_RESPONSE = 'KAFKA_BAD_RESPONSE';
/** Rule id of a group whose lag is above `--max-lag` (a finding, exit 1). */
export const CONSUMER_LAG_EXCEEDED = 'CONSUMER_LAG_EXCEEDED';

/** A group's committed offsets as the broker answered them (offsets are int64 text; `-1` means none committed). */
export interface CommittedOffsets {
  readonly group: string;
  readonly state?: string | undefined;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly { readonly partition: number; readonly offset: string }[] }[];
}

/** A topic's offsets as the broker answered them: `high` is the end offset (the next one written), `low` the earliest kept. */
export interface EndOffsets {
  readonly topic: string;
  readonly partitions: readonly { readonly partition: number; readonly high: string; readonly low: string }[];
}

/** One partition of one group. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The committed offset, null when the group committed none on this partition. */
  readonly committed: number | null;
  /** The end offset, null when the topic no longer exists. */
  readonly end: number | null;
  /** end - committed (never below 0), null when either is unknown. */
  readonly lag: number | null;
}

/** One group's lag. */
export interface GroupLag {
  readonly group: string;
  readonly state: string | null;
  readonly partitions: readonly PartitionLag[];
  /** The sum over the group's partitions with a known lag. */
  readonly lag: number;
}

/** The lag of every group asked for, and which exceed the limit. */
export interface LagReport {
  readonly groups: readonly GroupLag[];
  readonly totalLag: number;
  readonly maxLag: number | null;
  readonly exceeded: readonly { readonly rule: typeof CONSUMER_LAG_EXCEEDED; readonly group: string; readonly lag: number; readonly maxLag: number }[];
}

/** An int64 offset from a broker answer; a broker that sends something else is a bad answer, not a crash. */
function offset(text: unknown, where: string): number {
  if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) {
    throw new NovaError(KAFKA_BAD_RESPONSE, `the broker answered ${JSON.stringify(String(text).slice(0, 40))} as the offset of ${where}`, {});
  }
  const value = BigInt(text);
  // Offsets past 2^53 do not occur in practice (9 million years at a billion messages a second); clamp rather than lose the sign.
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/**
 * Per group, topic and partition: committed offset, end offset and lag, with totals (pure).
 * A partition without a committed offset has no lag (as Kafka's own kafka-consumer-groups
 * shows it), so it counts in no total: a new group starts where its `fromBeginning` says. A
 * committed offset past the end (a topic that was recreated) counts as no lag: the consumer
 * resets there. `maxLag` applies to each group's total.
 */
export function computeLag(committed: readonly CommittedOffsets[], ends: readonly EndOffsets[], maxLag?: number): LagReport {
  const endOf = new Map<string, Map<number, number>>();
  for (const topic of ends) {
    const partitions = new Map<number, number>();
    for (const p of topic.partitions) partitions.set(p.partition, offset(p.high, `${topic.topic}[${p.partition}]`));
    endOf.set(topic.topic, partitions);
  }
  const groups: GroupLag[] = [];
  for (const group of committed) {
    const rows: PartitionLag[] = [];
    for (const topic of group.topics) {
      const topicEnds = endOf.get(topic.topic);
      for (const p of topic.partitions) {
        const at = offset(p.offset, `${group.group} on ${topic.topic}[${p.partition}]`);
        const c = at < 0 ? null : at;
        const end = topicEnds?.get(p.partition) ?? null;
        rows.push({ topic: topic.topic, partition: p.partition, committed: c, end, lag: c === null || end === null ? null : Math.max(0, end - c) });
      }
      // Partitions added after the group last committed have ends but no commit.
      for (const [partition, end] of topicEnds ?? []) {
        if (!topic.partitions.some((p) => p.partition === partition)) rows.push({ topic: topic.topic, partition, committed: null, end, lag: null });
      }
    }
    rows.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    groups.push({ group: group.group, state: group.state ?? null, partitions: rows, lag: rows.reduce((sum, r) => sum + (r.lag ?? 0), 0) });
  }
  const limit = maxLag ?? null;
  return {
    groups,
    totalLag: groups.reduce((sum, g) => sum + g.lag, 0),
    maxLag: limit,
    exceeded: limit === null ? [] : groups.filter((g) => g.lag > limit).map((g) => ({ rule: CONSUMER_LAG_EXCEEDED, group: g.group, lag: g.lag, maxLag: limit })),
  };
}

/** The consumer groups the catalog names: every event's subscribers, sorted, once each. */
export function catalogGroups(events: readonly Pick<EventContract, 'subscribers'>[]): string[] {
  return [...new Set(events.flatMap((e) => e.subscribers))].sort();
}
