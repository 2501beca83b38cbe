import type { Admin } from 'kafkajs';
import type { ExistingTopic, TopicChange } from './topics-plan.js';
import type { CommittedOffsets, EndOffsets } from './lag.js';

/** kafkajs's `ConfigResourceTypes.TOPIC` (the CommonJS module does not expose that enum as an ESM named export). */
const TOPIC_RESOURCE = 2;

/** The broker's view of the named topics that exist: partition count and `retention.ms` (I/O). */
export async function readTopics(admin: Admin, names: readonly string[]): Promise<Map<string, ExistingTopic>> {
  const all = new Set(await admin.listTopics());
  const present = names.filter((n) => all.has(n));
  const out = new Map<string, ExistingTopic>();
  if (present.length === 0) return out;
  const { topics } = await admin.fetchTopicMetadata({ topics: present });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({ type: TOPIC_RESOURCE, name, configNames: ['retention.ms'] })),
  });
  const retention = new Map<string, string | undefined>();
  for (const resource of configs.resources ?? []) {
    retention.set(resource.resourceName, resource.configEntries?.find((e) => e.configName === 'retention.ms')?.configValue ?? undefined);
  }
  for (const topic of topics) out.set(topic.name, { partitions: topic.partitions.length, retentionMs: retention.get(topic.name) });
  return out;
}

/**
 * Waits until the broker's metadata shows every topic with at least its partition count and a
 * leader for each partition (bounded). Metadata follows a change asynchronously: without the
 * wait, a read right after `apply` still sees the old count and plans the change again (and
 * kafkajs's own `waitForLeaders` gives up on the "does not host this topic-partition" answer
 * the broker gives meanwhile).
 */
export async function waitForTopics(admin: Admin, want: ReadonlyMap<string, number>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...want.keys()];
  for (let delay = 50; pending.length > 0; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: pending });
      const ready = new Set(topics.filter((t) => t.partitions.length >= (want.get(t.name) ?? 0) && t.partitions.every((p) => p.leader >= 0)).map((t) => t.name));
      pending = pending.filter((t) => !ready.has(t));
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the broker did not show ${pending.slice(0, 3).join(', ')} as created within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Makes the changes of a topics plan, creations first, reporting each one once the broker shows it (I/O). */
export async function applyTopicChanges(admin: Admin, changes: readonly TopicChange[], done: (change: TopicChange) => void = () => {}): Promise<void> {
  const creations = changes.flatMap((c) => (c.action === 'create-topic' ? [c] : []));
  if (creations.length > 0) {
    await admin.createTopics({
      // kafkajs waits for leaders by default, and gives up on the broker's interim UNKNOWN_TOPIC_OR_PARTITION: waitForTopics waits instead.
      waitForLeaders: false,
      topics: creations.map((c) => ({ topic: c.topic, numPartitions: c.partitions, configEntries: [{ name: 'retention.ms', value: String(c.retentionMs) }] })),
    });
    await waitForTopics(admin, new Map(creations.map((c) => [c.topic, c.partitions])));
    creations.forEach(done);
  }
  const growth = changes.flatMap((c) => (c.action === 'add-partitions' ? [c] : []));
  if (growth.length > 0) {
    await admin.createPartitions({ topicPartitions: growth.map((c) => ({ topic: c.topic, count: c.to })) });
    await waitForTopics(admin, new Map(growth.map((c) => [c.topic, c.to])));
    growth.forEach(done);
  }
}

/** Each group's committed offsets (every topic it committed on) and its state, and the end offsets of those topics (I/O). */
export async function readOffsets(admin: Admin, groups: readonly string[]): Promise<{ committed: CommittedOffsets[]; ends: EndOffsets[] }> {
  const described = groups.length > 0 ? await admin.describeGroups([...groups]) : { groups: [] };
  const states = new Map(described.groups.map((g) => [g.groupId, g.state]));
  const committed: CommittedOffsets[] = [];
  for (const group of groups) {
    const topics = await admin.fetchOffsets({ groupId: group });
    committed.push({ group, state: states.get(group), topics: topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset })) })) });
  }
  // A group may hold offsets of a topic deleted since: it gets no end offsets, and the report says so.
  const existing = new Set(await admin.listTopics());
  const names = [...new Set(committed.flatMap((c) => c.topics.map((t) => t.topic)))].filter((t) => existing.has(t)).sort();
  const ends: EndOffsets[] = [];
  for (const topic of names) ends.push({ topic, partitions: (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, high: p.high, low: p.low })) });
  return { committed, ends };
}
