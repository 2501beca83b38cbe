import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { addRegistryOptions, REGISTRY_HELP, registryConnection, type RegistryFlags } from '../registry-options.js';

interface StatusOptions extends RegistryFlags {
  readonly format: 'text' | 'json';
  readonly project?: string;
}

/** Registers `nova-events status`. */
export function registerStatus(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('status')
    .description('what differs between the contracts and the schema registry')
    .addOption(formatOption(['text', 'json']))
    .addOption(projectOption());
  addRegistryOptions(command)
    .addHelpText(
      'after',
      `
Reports contract versions the registry does not hold, subjects whose compatibility level
differs from the contract's, versions that cannot be registered in order, and subjects in the
registry that no contract names. Changes nothing.
${REGISTRY_HELP}

Exit codes: 0 in sync, 1 differences, 2 usage error, 3 registry failure.

Examples:
  $ nova-events status
  $ nova-events status --format json | jq '.unregistered'`,
    )
    .action(async (options: StatusOptions) => {
      const { loadProject } = await import('../../contracts/load.js');
      const { eventSubject } = await import('../../model/contract.js');
      const { connectRegistry } = await import('../../registry/rest-client.js');
      const { readRegistryState } = await import('../../sync/registry-state.js');
      const { planRegistration } = await import('../../sync/plan.js');
      const project = loadProject(io.cwd, options.project);
      const registry = connectRegistry(registryConnection(options, io.env, project.config));
      const [state, subjects] = await Promise.all([readRegistryState(project.catalog, registry), registry.subjects()]);
      const plan = planRegistration(project.catalog, state);
      const ours = new Set(project.catalog.events.map(eventSubject));
      const report = {
        registry: registry.displayUrl,
        inSync: plan.changes.length === 0 && plan.conflicts.length === 0,
        unregistered: plan.changes.flatMap((c) => (c.action === 'register-version' ? [{ subject: c.subject, type: c.type, version: c.version, file: c.file }] : [])),
        levelDrift: plan.changes.flatMap((c) => (c.action === 'set-compatibility' ? [{ subject: c.subject, type: c.type, registry: c.from, contract: c.to }] : [])),
        conflicts: plan.conflicts,
        unknownSubjects: subjects.filter((s) => !ours.has(s)).sort(),
        upToDate: plan.upToDate.length,
      };
      if (options.format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else {
        io.stdout(`${registry.displayUrl}: ${report.upToDate} of ${ours.size} subject(s) up to date\n`);
        for (const u of report.unregistered) io.stdout(`  unregistered   ${u.subject} v${u.version} (${u.file})\n`);
        for (const d of report.levelDrift) io.stdout(`  level drift    ${d.subject}: registry ${d.registry ?? '(global default)'}, contract ${d.contract}\n`);
        for (const c of report.conflicts) io.stdout(`  conflict       ${c.subject} v${c.version}: ${c.message}\n`);
        for (const s of report.unknownSubjects) io.stdout(`  not in contracts  ${s}\n`);
        if (report.inSync && report.unknownSubjects.length === 0) io.stdout('the registry matches the contracts\n');
      }
      setExit(report.inSync && report.unknownSubjects.length === 0 ? EXIT.OK : EXIT.FINDINGS);
    });
}
