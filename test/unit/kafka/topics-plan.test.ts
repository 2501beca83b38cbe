import type { RuleId } from '../../../src/diagnostics/rules.js';
import { exitCodeOf } from '../../../src/cli/exit-codes.js';
import { describe, expect, it } from 'vitest';
import type { TopicSpec } from '../../../src/model/contract.js';
import { topicName, topicNamingFromConfig, topicPrefix } from '../../../src/kafka/topic-names.js';
import { desiredTopics, planTopics, type ExistingTopic } from '../../../src/kafka/topics-plan.js';

const spec = (name: string, partitions: number, retentionMs: number): TopicSpec => ({ name, description: '', partitions, retentionMs, envVars: [], file: 'contracts/topics.json', pointer: '/topics/0' });
const CATALOG = [spec('nova.content.events', 6, 2592000000), spec('nova.analytics.events', 3, 604800000)];

describe('topic names', () => {
  it.each([
    ['no naming', {}, 'nova.content.events', 'nova.content.events'],
    ["the seeds' prefix", { prefix: 'staging' }, 'nova.content.events', 'staging.content.events'],
    ['a prefix on a name outside the pattern', { prefix: 'staging' }, 'message_persisted', 'message_persisted'],
    ['a map entry (wins over the prefix)', { prefix: 'staging', topics: { 'nova.content.events': 'content-prod' } }, 'nova.content.events', 'content-prod'],
    ['a map without this topic', { topics: { 'nova.user.events': 'u' } }, 'nova.content.events', 'nova.content.events'],
  ])('maps with %s', (_name, naming, catalogTopic, name) => {
    expect(topicName(catalogTopic, naming)).toBe(name);
  });

  it.each([
    ['a prefix with a space', () => topicPrefix('bad prefix', 'KAFKA_TOPIC_PREFIX'), { rule: 'TOPIC_NAME_INVALID' }],
    ['a prefix that makes the name too long', () => topicName('nova.content.events', { prefix: 'p'.repeat(240) }), { rule: 'TOPIC_NAME_INVALID' }],
    ['a config map value that is not a string', () => topicNamingFromConfig({ topics: { 'nova.content.events': 5 } }, 'c.json'), { rule: 'TOPIC_NAME_INVALID', pointer: '/topics/nova.content.events', file: 'c.json' }],
    ['a config map that is a list', () => topicNamingFromConfig({ topics: ['a'] }, 'c.json'), { rule: 'TOPIC_NAME_INVALID', pointer: '/topics' }],
    ['a config map value with a slash', () => topicNamingFromConfig({ topics: { 'a/b': 'x/y' } }, 'c.json'), { rule: 'TOPIC_NAME_INVALID', pointer: '/topics/a~1b' }],
    ['a config prefix that is a number', () => topicNamingFromConfig({ topicPrefix: 1 }, 'c.json'), { rule: 'TOPIC_NAME_INVALID', pointer: '/topicPrefix' }],
  ])('refuses %s (exit 2)', (_name, run, expected) => {
    expect(run).toThrow(expect.objectContaining(expected));
    expect(exitCodeOf((expected as { rule: RuleId }).rule)).toBe(2);
  });

  it('treats an empty prefix as unset', () => {
    expect(topicPrefix('', 'KAFKA_TOPIC_PREFIX')).toBeUndefined();
  });
});

describe('the topics plan', () => {
  const desired = desiredTopics(CATALOG, { prefix: 'p' });
  const matching = (partitions: number, retention: number): ExistingTopic => ({ partitions, retentionMs: String(retention) });

  it('wants every catalog topic and its .dlq with the declared partitions and retention', () => {
    expect(desired).toEqual([
      { topic: 'p.content.events', catalogTopic: 'nova.content.events', deadLetter: false, partitions: 6, retentionMs: 2592000000 },
      { topic: 'p.content.events.dlq', catalogTopic: 'nova.content.events', deadLetter: true, partitions: 6, retentionMs: 2592000000 },
      { topic: 'p.analytics.events', catalogTopic: 'nova.analytics.events', deadLetter: false, partitions: 3, retentionMs: 604800000 },
      { topic: 'p.analytics.events.dlq', catalogTopic: 'nova.analytics.events', deadLetter: true, partitions: 3, retentionMs: 604800000 },
    ]);
  });

  it.each<[string, Record<string, ExistingTopic>, object[], object[], string[]]>([
    ['an empty broker: create all', {}, desired.map((d) => ({ action: 'create-topic', topic: d.topic, partitions: d.partitions, retentionMs: d.retentionMs })), [], []],
    [
      'a broker that matches: nothing',
      Object.fromEntries(desired.map((d) => [d.topic, matching(d.partitions, d.retentionMs)])),
      [],
      [],
      desired.map((d) => d.topic),
    ],
    [
      'fewer partitions: grow, with a warning that keys move',
      { 'p.content.events': matching(2, 2592000000), 'p.content.events.dlq': matching(6, 2592000000), 'p.analytics.events': matching(3, 604800000), 'p.analytics.events.dlq': matching(3, 604800000) },
      [{ action: 'add-partitions', topic: 'p.content.events', from: 2, to: 6, warning: expect.stringContaining('keys move') }],
      [],
      ['p.content.events.dlq', 'p.analytics.events', 'p.analytics.events.dlq'],
    ],
    [
      'more partitions: drift, never shrunk',
      { 'p.content.events': matching(12, 2592000000), 'p.content.events.dlq': matching(6, 2592000000), 'p.analytics.events': matching(3, 604800000), 'p.analytics.events.dlq': matching(3, 604800000) },
      [],
      [{ rule: 'TOPIC_MORE_PARTITIONS', topic: 'p.content.events', declared: 6, actual: 12 }],
      ['p.content.events.dlq', 'p.analytics.events', 'p.analytics.events.dlq'],
    ],
    [
      'another retention (and an unreadable one): drift, never changed',
      { 'p.content.events': matching(6, 604800000), 'p.content.events.dlq': { partitions: 6, retentionMs: 'forever' }, 'p.analytics.events': { partitions: 3, retentionMs: undefined }, 'p.analytics.events.dlq': matching(3, 604800000) },
      [],
      [
        { rule: 'TOPIC_RETENTION_DIFFERS', topic: 'p.content.events', declared: 2592000000, actual: 604800000 },
        { rule: 'TOPIC_RETENTION_DIFFERS', topic: 'p.content.events.dlq', declared: 2592000000, actual: 'forever' },
        { rule: 'TOPIC_RETENTION_DIFFERS', topic: 'p.analytics.events', declared: 604800000, actual: null },
      ],
      ['p.analytics.events.dlq'],
    ],
    [
      'fewer partitions and another retention: both',
      { 'p.content.events': matching(1, -1), 'p.content.events.dlq': matching(6, 2592000000), 'p.analytics.events': matching(3, 604800000), 'p.analytics.events.dlq': matching(3, 604800000) },
      [{ action: 'add-partitions', topic: 'p.content.events', from: 1, to: 6 }],
      [{ rule: 'TOPIC_RETENTION_DIFFERS', topic: 'p.content.events', actual: -1 }],
      ['p.content.events.dlq', 'p.analytics.events', 'p.analytics.events.dlq'],
    ],
  ])('plans %s', (_name, existing, changes, drift, upToDate) => {
    const plan = planTopics(desired, new Map(Object.entries(existing)));
    expect(plan.changes).toEqual(changes.map((c) => expect.objectContaining(c)));
    expect(plan.drift).toEqual(drift.map((d) => expect.objectContaining(d)));
    expect(plan.upToDate).toEqual(upToDate);
  });

  it('plans a topic once when the mapping gives two catalog topics one name', () => {
    const same = desiredTopics(CATALOG, { topics: { 'nova.content.events': 'shared', 'nova.analytics.events': 'shared' } });
    expect(planTopics(same, new Map()).changes.map((c) => c.topic)).toEqual(['shared', 'shared.dlq']);
  });
});
