import { Option, type Command } from 'commander';
import { CONFIG_FILE } from '../../contracts/discover.js';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { addKafkaOptions, KAFKA_HELP, kafkaConnectionFor, withAdmin, type KafkaFlags } from '../kafka-options.js';
import { loadValidProject } from '../valid-project.js';

interface TopicsFlags extends KafkaFlags {
  readonly format: 'text' | 'json';
  readonly project?: string;
  readonly topicPrefix?: string;
}

const HELP = `
Every topic of contracts/topics.json and its .dlq, with the declared partitions and retention
(retention.ms). A missing topic is created; a topic with fewer partitions than declared gets
more (with a warning: keys then move to other partitions); more partitions than declared, or
another retention, is reported as drift and never changed. Nothing is deleted or shrunk, and a
second apply plans nothing.

Topic names: the "topics" map in ${CONFIG_FILE} (catalog topic -> name, as the runtime's
topics option), else the prefix from --topic-prefix, KAFKA_TOPIC_PREFIX or "topicPrefix" in the
config file, which replaces the "nova" of nova.<aggregate>.events.
${KAFKA_HELP}`;

/** Registers `nova-events topics plan` and `nova-events topics apply`. */
export function registerTopics(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const topics = program.command('topics').description('create the catalog\'s topics (and their .dlq) on the broker, and show drift');
  const sub = (name: 'plan' | 'apply', description: string, exits: string, examples: string) =>
    addKafkaOptions(
      topics
        .command(name)
        .description(description)
        .addOption(new Option('--topic-prefix <prefix>', 'the environment\'s topic prefix (else KAFKA_TOPIC_PREFIX)'))
        .addOption(formatOption(['text', 'json']))
        .addOption(projectOption()),
    )
      .addHelpText('after', `${HELP}\n\n${exits}\n\nExamples:\n${examples}`)
      .action((flags: TopicsFlags) => runTopics(name, flags, io, setExit));
  sub(
    'plan',
    'what apply would change, and the drift it would leave',
    'Exit codes: 0 the broker matches, 1 changes or drift, 2 usage error, 3 the cluster cannot be reached.',
    '  $ nova-events topics plan --brokers 127.0.0.1:19092\n  $ KAFKA_TOPIC_PREFIX=staging nova-events topics plan --format json | jq .changes',
  );
  sub(
    'apply',
    'create missing topics and add missing partitions; report the rest',
    'Exit codes: 0 done or nothing to do (drift is reported), 1 invalid contracts, 2 usage error, 3 the cluster cannot be reached or refused a change.',
    '  $ nova-events topics apply --brokers kafka:9092\n  $ NOVA_KAFKA_SASL_MECHANISM=scram-sha-512 NOVA_KAFKA_USERNAME=ops NOVA_KAFKA_PASSWORD=... nova-events topics apply --ssl',
  );
}

async function runTopics(mode: 'plan' | 'apply', flags: TopicsFlags, io: CliIO, setExit: (code: number) => void): Promise<void> {
  const project = await loadValidProject(io, flags, `topics ${mode}`, setExit);
  if (!project) return;
  const { topicNamingFromConfig, topicPrefix, TOPIC_PREFIX_ENV } = await import('../../kafka/topic-names.js');
  const { desiredTopics, planTopics } = await import('../../kafka/topics-plan.js');
  const configNaming = topicNamingFromConfig(project.config, CONFIG_FILE);
  const prefix = topicPrefix(flags.topicPrefix, '--topic-prefix') ?? topicPrefix(io.env[TOPIC_PREFIX_ENV], TOPIC_PREFIX_ENV) ?? configNaming.prefix;
  const desired = desiredTopics(project.catalog.topics, { ...configNaming, ...(prefix !== undefined ? { prefix } : {}) });
  const connection = await kafkaConnectionFor(flags, io, project);
  const { readTopics, applyTopicChanges } = await import('../../kafka/admin-io.js');
  const text = flags.format === 'text';
  await withAdmin(connection, 'nova-events-topics', async (admin, step) => {
    step('reading the topics');
    const plan = planTopics(desired, await readTopics(admin, desired.map((d) => d.topic)));
    if (text) {
      io.stdout(`plan for ${connection.display}: ${plan.changes.length} change(s), ${plan.drift.length} drift, ${plan.upToDate.length} topic(s) up to date\n`);
      for (const change of plan.changes) {
        if (change.action === 'create-topic') io.stdout(`  create          ${change.topic} (${change.partitions} partitions, retention.ms=${change.retentionMs})\n`);
        else io.stdout(`  add partitions  ${change.topic} ${change.from} -> ${change.to}\n    warning: ${change.warning}\n`);
      }
      for (const d of plan.drift) io.stdout(`  drift           ${d.rule}: ${d.message}\n`);
    }
    const apply = mode === 'apply' && plan.changes.length > 0;
    if (apply) {
      step('changing the topics');
      await applyTopicChanges(admin, plan.changes, (change) => {
        if (text) io.stderr(`${change.action === 'create-topic' ? 'created' : 'grew'} ${change.topic}\n`);
      });
    }
    if (!text) io.stdout(`${JSON.stringify({ brokers: connection.display, applied: apply, changes: plan.changes, drift: plan.drift, upToDate: plan.upToDate }, null, 2)}\n`);
    else if (plan.changes.length === 0) io.stdout(plan.drift.length === 0 ? 'the broker matches the catalog\n' : 'nothing to change; the drift above is left as it is\n');
    else io.stdout(apply ? `done: ${plan.changes.length} change(s) applied\n` : 'plan only: nothing was changed (run `nova-events topics apply`)\n');
    setExit(mode === 'plan' && (plan.changes.length > 0 || plan.drift.length > 0) ? EXIT.FINDINGS : EXIT.OK);
  });
}
