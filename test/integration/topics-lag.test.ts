import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { waitForTopics } from '../../src/kafka/admin-io.js';
import { cli, repoRoot } from '../support/project.js';
import { brokers, kafka, runId, waitFor } from './support.js';

const PASSWORD = process.env['NOVA_TEST_KAFKA_SASL_PASSWORD'] ?? '';
const saslBrokers = process.env['NOVA_TEST_KAFKA_SASL_BROKERS'] ?? '';

/** The CLI's environment: only what a test names, so nothing of the shell (NOVA_KAFKA_SASL_*, KAFKA_TOPIC_PREFIX) leaks in. */
function env(extra: Record<string, string>): Record<string, string | undefined> {
  return { PATH: process.env['PATH'], ...extra };
}
const plain = (extra: Record<string, string> = {}) => env({ NOVA_KAFKA_BROKERS: brokers.join(','), ...extra });

function tcpAnswers(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((done) => {
    if (!host || !port) return done(false);
    const socket = net.connect({ host, port: Number(port) });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function topicState(names: string[]): Promise<Record<string, { partitions: number; retention: string | undefined }>> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: 2, name, configNames: ['retention.ms'] })) });
    const retention = new Map(configs.resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue]));
    return Object.fromEntries(topics.map((t) => [t.name, { partitions: t.partitions.length, retention: retention.get(t.name) }]));
  } finally {
    await admin.disconnect();
  }
}

describe('nova-events topics', () => {
  it('creates every catalog topic and its .dlq under the prefix; a second apply plans nothing', async () => {
    const prefix = runId();
    const first = await cli(['topics', 'apply', '--format', 'json'], repoRoot, plain({ KAFKA_TOPIC_PREFIX: prefix }));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const applied = JSON.parse(first.stdout);
    expect(applied.applied).toBe(true);
    const declared = (JSON.parse(readFileSync(join(repoRoot, 'contracts', 'topics.json'), 'utf8')) as { topics: unknown[] }).topics.length;
    expect(applied.changes).toHaveLength(declared * 2);
    expect(applied.changes.every((c: { action: string; topic: string }) => c.action === 'create-topic' && c.topic.startsWith(`${prefix}.`))).toBe(true);
    const state = await topicState([`${prefix}.content.events`, `${prefix}.content.events.dlq`, `${prefix}.analytics.events`]);
    expect(state).toEqual({
      [`${prefix}.content.events`]: { partitions: 6, retention: '2592000000' },
      [`${prefix}.content.events.dlq`]: { partitions: 6, retention: '2592000000' },
      [`${prefix}.analytics.events`]: { partitions: 3, retention: '604800000' },
    });
    const again = await cli(['topics', 'apply', '--format', 'json'], repoRoot, plain({ KAFKA_TOPIC_PREFIX: prefix }));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: false, changes: [], drift: [] });
    const plan = await cli(['topics', 'plan', '--topic-prefix', prefix], repoRoot, plain());
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('the broker matches the catalog');
  });

  it('grows a topic with too few partitions, reports one with too many or another retention, and never shrinks', async () => {
    const prefix = runId();
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic: `${prefix}.content.events`, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '2592000000' }] },
        { topic: `${prefix}.user.events`, numPartitions: 5, configEntries: [{ name: 'retention.ms', value: '1000' }] },
      ],
    });
    await waitForTopics(admin, new Map([[`${prefix}.content.events`, 2], [`${prefix}.user.events`, 5]]));
    await admin.disconnect();
    const plan = await cli(['topics', 'plan', '--format', 'json'], repoRoot, plain({ KAFKA_TOPIC_PREFIX: prefix }));
    expect(plan.code).toBe(1);
    const planned = JSON.parse(plan.stdout);
    expect(planned.changes).toContainEqual(expect.objectContaining({ action: 'add-partitions', topic: `${prefix}.content.events`, from: 2, to: 6, warning: expect.stringContaining('keys move') }));
    expect(planned.drift).toEqual([
      expect.objectContaining({ rule: 'TOPIC_MORE_PARTITIONS', topic: `${prefix}.user.events`, declared: 3, actual: 5 }),
      expect.objectContaining({ rule: 'TOPIC_RETENTION_DIFFERS', topic: `${prefix}.user.events`, declared: 2592000000, actual: 1000 }),
    ]);
    const text = await cli(['topics', 'apply'], repoRoot, plain({ KAFKA_TOPIC_PREFIX: prefix }));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/add partitions {2}\S+\.content\.events 2 -> 6\n {4}warning: keys move/);
    expect(text.stdout).toContain('drift           TOPIC_MORE_PARTITIONS');
    expect(await topicState([`${prefix}.content.events`, `${prefix}.user.events`])).toEqual({
      [`${prefix}.content.events`]: { partitions: 6, retention: '2592000000' },
      [`${prefix}.user.events`]: { partitions: 5, retention: '1000' },
    });
    const again = JSON.parse((await cli(['topics', 'apply', '--format', 'json'], repoRoot, plain({ KAFKA_TOPIC_PREFIX: prefix }))).stdout);
    expect(again.changes).toEqual([]);
    expect(again.drift).toHaveLength(2);
  });
});

/** Produces 6 messages to partition 0 and 4 to partition 1, and has `group` consume all of them but commit only p0 up to 4 and p1 up to 1. */
async function partlyConsumed(client: ReturnType<typeof kafka>, topic: string, group: string): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: 2 }] });
  await waitForTopics(admin, new Map([[topic, 2]]));
  await admin.disconnect();
  const producer = client.producer();
  await producer.connect();
  await producer.send({ topic, messages: [...Array(10).keys()].map((i) => ({ value: `m${i}`, partition: i < 6 ? 0 : 1 })) });
  await producer.disconnect();
  const consumer = client.consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const offset = Number(message.offset);
      if ((partition === 0 && offset < 4) || (partition === 1 && offset < 1)) await consumer.commitOffsets([{ topic, partition, offset: String(offset + 1) }]);
      seen++;
    },
  });
  await waitFor(() => seen >= 10, 'the group to read all 10 messages');
  await consumer.disconnect();
}

describe('nova-events lag', () => {
  it('reports committed, end and lag per partition: produced 10, committed 5, lag 5', async () => {
    const run = runId();
    const topic = `${run}.lag`;
    const group = `${run}-group`;
    await partlyConsumed(kafka(), topic, group);
    const json = await cli(['lag', '--group', group, '--format', 'json'], repoRoot, plain());
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.groups).toEqual([
      {
        group,
        state: 'Empty',
        lag: 5,
        partitions: [
          { topic, partition: 0, committed: 4, end: 6, lag: 2 },
          { topic, partition: 1, committed: 1, end: 4, lag: 3 },
        ],
      },
    ]);
    expect(report.totalLag).toBe(5);
    const text = await cli(['lag', '--group', group], repoRoot, plain());
    expect(text.stdout).toContain(`${group} (Empty): lag 5\n`);
    expect(text.stdout).toMatch(new RegExp(`${topic.replace(/\./g, '\\.')} +1 +1 +4 +3\\n`));
    const over = await cli(['lag', '--group', group, '--max-lag', '4'], repoRoot, plain());
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`CONSUMER_LAG_EXCEEDED: group ${group} is 5 message(s) behind, above --max-lag 4`);
    expect((await cli(['lag', '--group', group, '--max-lag', '5'], repoRoot, plain())).code).toBe(0);
  });

  it("defaults to the catalog's subscribers", async () => {
    const result = await cli(['lag', '--format', 'json'], repoRoot, plain());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).groups.map((g: { group: string }) => g.group)).toEqual(expect.arrayContaining(['feed-service', 'search-service', 'analytics-service']));
  });

  it.each([
    ['lag', ['lag', '--group', 'g']],
    ['topics plan', ['topics', 'plan']],
  ])('%s exits 3 when the broker cannot be reached', async (_name, args) => {
    const started = Date.now();
    const result = await cli([...args, '--brokers', '127.0.0.1:1'], repoRoot, env({}));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/KAFKA_UNAVAILABLE: the Kafka cluster at 127\.0\.0\.1:1 \(PLAINTEXT\) failed while connecting/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

const saslUp = saslBrokers !== '' && PASSWORD !== '' && (await tcpAnswers(saslBrokers));
if (!saslUp) {
  console.warn(`[topics-lag] SASL tests skipped: no SASL_PLAINTEXT listener answers at ${saslBrokers || '(NOVA_TEST_KAFKA_SASL_BROKERS unset)'}; the broker was started before scripts/services.mjs opened one (restart the services).`);
}

describe.skipIf(!saslUp)(`through SASL (${process.env['NOVA_TEST_KAFKA_SASL_MECHANISM']} on ${saslBrokers})`, () => {
  const sasl = (password = PASSWORD) =>
    env({
      NOVA_KAFKA_BROKERS: saslBrokers,
      NOVA_KAFKA_SASL_MECHANISM: process.env['NOVA_TEST_KAFKA_SASL_MECHANISM'] ?? '',
      NOVA_KAFKA_USERNAME: process.env['NOVA_TEST_KAFKA_SASL_USERNAME'] ?? '',
      NOVA_KAFKA_PASSWORD: password,
    });

  it('topics apply and lag work, and never print the password', async () => {
    const prefix = runId();
    const applied = await cli(['topics', 'apply'], repoRoot, { ...sasl(), KAFKA_TOPIC_PREFIX: prefix });
    expect(applied.code).toBe(0);
    const declared = (JSON.parse(readFileSync(join(repoRoot, 'contracts', 'topics.json'), 'utf8')) as { topics: unknown[] }).topics.length;
    expect(applied.stdout).toContain(`plan for ${saslBrokers} (SASL_PLAINTEXT scram-sha-256 as ${process.env['NOVA_TEST_KAFKA_SASL_USERNAME']}): ${declared * 2} change(s)`);
    expect((await topicState([`${prefix}.video.events.dlq`]))[`${prefix}.video.events.dlq`]).toEqual({ partitions: 3, retention: '2592000000' });
    const again = await cli(['topics', 'plan', '--format', 'json'], repoRoot, { ...sasl(), KAFKA_TOPIC_PREFIX: prefix });
    expect(JSON.parse(again.stdout).changes).toEqual([]);
    const group = `${prefix}-group`;
    await partlyConsumed(kafka(), `${prefix}.lag`, group);
    const lag = await cli(['lag', '--group', group, '--format', 'json'], repoRoot, sasl());
    expect(lag.code).toBe(0);
    expect(JSON.parse(lag.stdout).totalLag).toBe(5);
    for (const output of [applied, again, lag]) expect(output.stdout + output.stderr).not.toContain(PASSWORD);
  });

  it.each([
    ['topics apply', ['topics', 'apply']],
    ['lag', ['lag', '--group', 'g']],
  ])('%s with a wrong password exits 3 with a clear message and no password', async (_name, args) => {
    const wrong = `wrong-${PASSWORD}-x`;
    const result = await cli(args, repoRoot, sasl(wrong));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/KAFKA_AUTH_FAILED: the Kafka cluster at \S+ \(SASL_PLAINTEXT scram-sha-256 as \S+\) refused the credentials/);
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });
});
