import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { loadValidProject } from '../valid-project.js';
import { addRegistryOptions, REGISTRY_HELP, registryConnection, type RegistryFlags } from '../registry-options.js';

interface RegisterOptions extends RegistryFlags {
  readonly dryRun?: boolean;
  readonly format: 'text' | 'json';
  readonly project?: string;
}

/** Registers `nova-events register`. */
export function registerRegister(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command('register')
    .description('register the contracts in the schema registry: plan first, then apply')
    .option('--dry-run', 'print the plan and change nothing')
    .addOption(formatOption(['text', 'json']))
    .addOption(projectOption());
  addRegistryOptions(command)
    .addHelpText(
      'after',
      `
Plans per subject (the contract's subject name strategy): versions already registered, new
versions to register (the first one creates the subject), and the subject's compatibility
level set to the contract's. The plan is printed before anything changes, level changes
included. Versions are registered oldest first, each as the contract file's JSON without
whitespace, so a second run plans nothing, and a run killed halfway finishes when run again.
${REGISTRY_HELP}

Exit codes: 0 done or nothing to do, 1 the plan has conflicts or the contracts are invalid,
2 usage error, 3 registry failure (incompatible versions the registry refuses included).

Examples:
  $ nova-events register --dry-run
  $ NOVA_SCHEMA_REGISTRY_URL=https://registry:8081 nova-events register
  $ nova-events register --format json | jq '.changes'`,
    )
    .action(async (options: RegisterOptions) => {
      const project = await loadValidProject(io, options, 'register', setExit);
      if (!project) return;
      const { connectRegistry } = await import('../../registry/rest-client.js');
      const { readRegistryState } = await import('../../sync/registry-state.js');
      const { planRegistration } = await import('../../sync/plan.js');
      const { applyPlan } = await import('../../sync/apply.js');
      const { describeChange } = await import('../../sync/describe.js');
      const registry = connectRegistry(registryConnection(options, io.env, project.config));
      const plan = planRegistration(project.catalog, await readRegistryState(project.catalog, registry));
      const text = options.format === 'text';
      const report = (applied: boolean, changes: readonly object[]) => {
        if (!text) io.stdout(`${JSON.stringify({ registry: registry.displayUrl, dryRun: Boolean(options.dryRun), applied, changes, conflicts: plan.conflicts }, null, 2)}\n`);
      };
      if (text) {
        io.stdout(`plan for ${registry.displayUrl}: ${plan.changes.length} change(s), ${plan.upToDate.length} subject(s) up to date\n`);
        for (const change of plan.changes) io.stdout(`  ${describeChange(change)}\n`);
        for (const conflict of plan.conflicts) io.stdout(`  CONFLICT ${conflict.subject} v${conflict.version}: ${conflict.message}\n`);
      }
      if (plan.conflicts.length > 0) {
        report(false, plan.changes);
        if (text) io.stderr('nova-events: register: the plan has conflicts; nothing was changed\n');
        setExit(EXIT.FINDINGS);
        return;
      }
      if (options.dryRun || plan.changes.length === 0) {
        report(false, plan.changes);
        if (text) io.stdout(plan.changes.length === 0 ? 'the registry matches the contracts\n' : 'dry run: nothing was changed\n');
        setExit(EXIT.OK);
        return;
      }
      let lastSubject = '';
      const applied = await applyPlan(plan, project.catalog, registry, (change) => {
        if (text && change.subject !== lastSubject) io.stderr(`applying ${change.subject}\n`);
        lastSubject = change.subject;
      });
      report(true, applied);
      if (text) {
        const versions = applied.filter((c) => c.action === 'register-version').length;
        const levels = applied.length - versions;
        io.stdout(`done: ${versions} version(s) registered, ${levels} level(s) set, on ${new Set(applied.map((c) => c.subject)).size} subject(s)\n`);
      }
      setExit(EXIT.OK);
    });
}
