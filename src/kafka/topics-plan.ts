import type { TopicSpec } from '../model/contract.js';
import { DEAD_LETTER_SUFFIX } from '../runtime/dead-letter.js';
import { topicName, type TopicNaming } from './topic-names.js';

/** Rule id of a topic with more partitions than the catalog declares (reported; partitions are never removed). */
export const TOPIC_MORE_PARTITIONS = 'TOPIC_MORE_PARTITIONS';
/** Rule id of a topic whose `retention.ms` differs from the catalog's (reported; never changed). */
export const TOPIC_RETENTION_DIFFERS = 'TOPIC_RETENTION_DIFFERS';

/** A topic as the catalog wants it in this environment: a catalog topic or its dead-letter topic. */
export interface DesiredTopic {
  /** The name on the broker (after the environment's mapping). */
  readonly topic: string;
  /** The catalog topic it stands for. */
  readonly catalogTopic: string;
  readonly deadLetter: boolean;
  readonly partitions: number;
  readonly retentionMs: number;
}

/** A topic as the broker has it: its partition count and its `retention.ms` as the broker answered it (untrusted text). */
export interface ExistingTopic {
  readonly partitions: number;
  readonly retentionMs: string | undefined;
}

/** A change `topics apply` makes. */
export type TopicChange =
  | { readonly action: 'create-topic'; readonly topic: string; readonly catalogTopic: string; readonly partitions: number; readonly retentionMs: number }
  | { readonly action: 'add-partitions'; readonly topic: string; readonly catalogTopic: string; readonly from: number; readonly to: number; readonly warning: string };

/** A difference `topics apply` reports and never changes. */
export interface TopicDrift {
  readonly rule: typeof TOPIC_MORE_PARTITIONS | typeof TOPIC_RETENTION_DIFFERS;
  readonly topic: string;
  readonly catalogTopic: string;
  readonly declared: number;
  readonly actual: number | string | null;
  readonly message: string;
}

/** What it takes to make the broker match the catalog. */
export interface TopicPlan {
  readonly changes: readonly TopicChange[];
  readonly drift: readonly TopicDrift[];
  readonly upToDate: readonly string[];
}

/** Every topic of the catalog and its `.dlq`, named for the environment, with the declared partitions and retention (pure). */
export function desiredTopics(topics: readonly TopicSpec[], naming: TopicNaming): DesiredTopic[] {
  return topics.flatMap((spec) => {
    const topic = topicName(spec.name, naming);
    const base = { catalogTopic: spec.name, partitions: spec.partitions, retentionMs: spec.retentionMs };
    return [
      { ...base, topic, deadLetter: false },
      // The dead-letter topic gets the same partitions and retention: a replay tool reading it keeps the keys' order.
      { ...base, topic: `${topic}${DEAD_LETTER_SUFFIX}`, deadLetter: true },
    ];
  });
}

/**
 * The plan (pure): missing topics are created; a topic with fewer partitions than declared gets
 * more (keys then move to other partitions, so per-key order breaks across the change); more
 * partitions than declared, or another retention, is drift that is reported and never changed.
 * Nothing is ever deleted or shrunk.
 */
export function planTopics(desired: readonly DesiredTopic[], existing: ReadonlyMap<string, ExistingTopic>): TopicPlan {
  const changes: TopicChange[] = [];
  const drift: TopicDrift[] = [];
  const upToDate: string[] = [];
  const seen = new Set<string>();
  for (const want of desired) {
    if (seen.has(want.topic)) continue;
    seen.add(want.topic);
    const have = existing.get(want.topic);
    const { topic, catalogTopic } = want;
    if (have === undefined) {
      changes.push({ action: 'create-topic', topic, catalogTopic, partitions: want.partitions, retentionMs: want.retentionMs });
      continue;
    }
    let matches = true;
    if (have.partitions < want.partitions) {
      matches = false;
      changes.push({
        action: 'add-partitions',
        topic,
        catalogTopic,
        from: have.partitions,
        to: want.partitions,
        warning: `keys move: after ${topic} grows from ${have.partitions} to ${want.partitions} partitions, a key's new events may land on another partition than its older ones, so per-key order holds only within each side of the change`,
      });
    } else if (have.partitions > want.partitions) {
      matches = false;
      drift.push({
        rule: TOPIC_MORE_PARTITIONS,
        topic,
        catalogTopic,
        declared: want.partitions,
        actual: have.partitions,
        message: `${topic} has ${have.partitions} partitions, the catalog declares ${want.partitions}; partitions are never removed (change contracts/topics.json, or recreate the topic by hand)`,
      });
    }
    const retention = have.retentionMs?.trim();
    if (retention !== String(want.retentionMs)) {
      matches = false;
      const actual = retention === undefined ? null : /^-?\d{1,19}$/.test(retention) ? Number(retention) : retention.slice(0, 40);
      drift.push({
        rule: TOPIC_RETENTION_DIFFERS,
        topic,
        catalogTopic,
        declared: want.retentionMs,
        actual,
        message: `${topic} keeps messages for retention.ms=${actual ?? '(unknown)'}, the catalog declares ${want.retentionMs}; it is not changed (set it with kafka-configs, or change contracts/topics.json)`,
      });
    }
    if (matches) upToDate.push(topic);
  }
  return { changes, drift, upToDate };
}
