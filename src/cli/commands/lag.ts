import { Option, type Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { formatOption, positiveInteger, projectOption, type CliIO } from '../io.js';
import { addKafkaOptions, KAFKA_HELP, kafkaConnectionFor, withAdmin, type KafkaFlags } from '../kafka-options.js';
import { loadValidProject } from '../valid-project.js';

interface LagFlags extends KafkaFlags {
  readonly group: string[];
  readonly format: 'text' | 'json';
  readonly maxLag?: string;
  readonly project?: string;
}

/** Registers `nova-events lag`. */
export function registerLag(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('lag')
    .description('how far behind each consumer group is: committed offset, end offset and lag per partition')
    .addOption(new Option('--group <group>', 'a consumer group (repeat for more; default: every subscriber in the catalog)').argParser((value: string, previous: string[] = []) => [...previous, value]))
    .addOption(new Option('--max-lag <n>', "exit 1 when a group's total lag is above n"))
    .addOption(formatOption(['text', 'json']))
    .addOption(projectOption());
  addKafkaOptions(command)
    .addHelpText(
      'after',
      `
For each group: every topic and partition it has committed offsets on, the committed offset,
the end offset (the next offset to be written) and the lag (end - committed), with the group's
total. A partition the group has not committed on shows no lag and counts in no total, as in
kafka-consumer-groups. Without --group the groups are the subscribers the contracts name
(their "subscribers": the consumer group ids). Changes nothing.
${KAFKA_HELP}

Exit codes: 0 ok, 1 a group's total lag is above --max-lag, 2 usage error, 3 the cluster
cannot be reached or refused the credentials.

Examples:
  $ nova-events lag --brokers 127.0.0.1:19092
  $ nova-events lag --group feed-service --max-lag 1000      # a deploy or cron gate
  $ nova-events lag --format json | jq '.groups[] | {group, lag}'`,
    )
    .action(async (flags: LagFlags) => {
      const maxLag = flags.maxLag === undefined ? undefined : positiveInteger(flags.maxLag, '--max-lag', { allowZero: true });
      let groups = [...new Set(flags.group ?? [])];
      let project: { root: string; config: object } | undefined;
      if (groups.length === 0) {
        const loaded = await loadValidProject(io, flags, 'lag', setExit);
        if (!loaded) return;
        const { catalogGroups } = await import('../../kafka/lag.js');
        groups = catalogGroups(loaded.catalog.events);
        project = loaded;
      }
      const connection = await kafkaConnectionFor(flags, io, project);
      const { readOffsets } = await import('../../kafka/admin-io.js');
      const { computeLag } = await import('../../kafka/lag.js');
      const offsets = await withAdmin(connection, 'nova-events-lag', async (admin, step) => {
        step('reading the groups\' committed offsets and the end offsets');
        return readOffsets(admin, groups);
      });
      const report = computeLag(offsets.committed, offsets.ends, maxLag);
      if (flags.format === 'json') io.stdout(`${JSON.stringify({ brokers: connection.display, ...report }, null, 2)}\n`);
      else {
        for (const group of report.groups) {
          io.stdout(`${group.group}${group.state ? ` (${group.state})` : ''}: lag ${group.lag}\n`);
          if (group.partitions.length === 0) {
            io.stdout('  no committed offsets\n');
            continue;
          }
          const rows = [['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG'], ...group.partitions.map((p) => [p.topic, String(p.partition), show(p.committed), show(p.end), show(p.lag)])];
          const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
          for (const row of rows) io.stdout(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`);
        }
        io.stdout(`total lag ${report.totalLag} over ${report.groups.length} group(s) on ${connection.display}\n`);
      }
      for (const e of report.exceeded) io.stderr(`nova-events: ${e.rule}: group ${e.group} is ${e.lag} message(s) behind, above --max-lag ${e.maxLag}\n`);
      setExit(report.exceeded.length > 0 ? EXIT.FINDINGS : EXIT.OK);
    });
}

function show(value: number | null): string {
  return value === null ? '-' : String(value);
}
