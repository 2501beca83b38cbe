import { Option, type Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { positiveInteger, projectOption, type CliIO } from '../io.js';

interface AlertsFlags {
  readonly out?: string;
  readonly format: 'yaml' | 'json';
  readonly groupSuffix: string;
  readonly maxLag: string;
  readonly project?: string;
}

/** Registers `nova-events alerts`. */
export function registerAlerts(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('alerts')
    .description('write Prometheus alerting rules from the catalog: consumer lag per subscriber group, dead letters, outbox backlog')
    .option('--out <file>', 'write the rules to this file instead of stdout')
    .addOption(new Option('--format <format>', 'rule file format').choices(['yaml', 'json']).default('yaml'))
    .addOption(new Option('--group-suffix <suffix>', 'consumer group id of a subscriber: <service><suffix> (e.g. -group)').default(''))
    .addOption(new Option('--max-lag <n>', 'messages behind before the lag alert fires (for 5 minutes)').default('1000'))
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
The rules read the runtime's metrics (see the README's metrics table). Check them with
\`promtool check rules rules.yaml\`.

Exit codes: 0 written, 1 the catalog has errors (the rules may be incomplete), 2 usage error.

Examples:
  $ nova-events alerts --out deploy/prometheus/nova-events.rules.yaml
  $ nova-events alerts --group-suffix -group --format json`,
    )
    .action(async (flags: AlertsFlags) => {
      const maxLag = positiveInteger(flags.maxLag, '--max-lag');
      const { loadProject } = await import('../../contracts/load.js');
      const { hasErrors } = await import('../../diagnostics/diagnostic.js');
      const { alertRules, rulesToYaml } = await import('../../alerts/rules.js');
      const project = loadProject(io.cwd, flags.project);
      const rules = alertRules(project.catalog, { groupSuffix: flags.groupSuffix, maxLag });
      const text = flags.format === 'json' ? `${JSON.stringify(rules, null, 2)}\n` : rulesToYaml(rules);
      if (flags.out !== undefined) {
        const { mkdirSync, writeFileSync } = await import('node:fs');
        const { dirname, resolve } = await import('node:path');
        const target = resolve(io.cwd, flags.out);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, text);
        io.stderr(`wrote ${rules.groups.reduce((n, g) => n + g.rules.length, 0)} alerting rules to ${flags.out}\n`);
      } else io.stdout(text);
      if (hasErrors(project.diagnostics)) {
        io.stderr(`the catalog has errors, so these rules may be incomplete: run "nova-events validate"\n`);
        setExit(EXIT.FINDINGS);
      } else setExit(EXIT.OK);
    });
}
