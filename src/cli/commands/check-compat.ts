import { Option, type Command } from 'commander';
import type { ReportFormat } from '../../diagnostics/render.js';
import { NovaError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { createReporter } from '../reporter.js';
import { addRegistryOptions, REGISTRY_HELP, registryConnection, type RegistryFlags } from '../registry-options.js';

interface CheckCompatOptions extends RegistryFlags {
  readonly format: ReportFormat;
  readonly against?: string;
  readonly policy: 'STRICT' | 'LENIENT';
  readonly project?: string;
}

/** What `--against` names: a git ref (`git:<ref>`) or the live registry (`registry`). */
export function parseAgainst(value: string | undefined): { ref?: string; registry?: true } {
  if (value === undefined) return {};
  if (value === 'registry') return { registry: true };
  if (value.startsWith('git:') && value.length > 4) return { ref: value.slice(4) };
  throw new NovaError('USAGE', `--against "${value}" is not understood`, { hint: 'use --against git:<ref> (e.g. git:origin/main) or --against registry' });
}

/** Registers `nova-events check-compat`. */
export function registerCheckCompat(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program.command('check-compat');
  addRegistryOptions(command);
  command
    .description('the PR gate: check every event version against the older ones, as the schema registry would')
    .addOption(formatOption(['text', 'json', 'github-actions']))
    .option('--against <target>', 'also compare with the catalog at a git ref (git:<ref>: published versions must not change) or ask the live registry (registry)')
    .addOption(new Option('--policy <policy>', 'JSON Schema policy').choices(['STRICT', 'LENIENT']).default('STRICT'))
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
Each event's versions are checked in order under its compatibility level (BACKWARD: the new
version reads the old data; FORWARD: old versions read the new data; FULL: both; _TRANSITIVE:
against every older version, else the latest). Avro is judged as Avro Java's
SchemaCompatibility judges it, JSON Schema by Confluent's diff rules. With --against, a version
that exists at the ref must be unchanged, and no event may disappear. The ref is read with
git (no checkout), so a shallow clone must fetch it first. With --against registry, every
version the registry does not hold yet is also tested by the registry
(POST /compatibility/subjects/{subject}/versions?verbose=true): its refusals are findings
(REGISTRY_INCOMPATIBLE), and a verdict that differs from the engine's on the same question (the
versions the registry holds, under the subject's level) is a warning with both (VERDICT_MISMATCH).
${REGISTRY_HELP}

Exit codes: 0 compatible, 1 findings, 2 usage or configuration error (also: ref not found),
3 registry failure.

Examples:
  $ nova-events check-compat
  $ nova-events check-compat --against git:origin/main --format github-actions
  $ nova-events check-compat --against git:HEAD~1 --format json | jq '.[] | .rule'
  $ NOVA_SCHEMA_REGISTRY_URL=https://registry:8081 nova-events check-compat --against registry`,
    )
    .action(async (options: CheckCompatOptions) => {
      const { ref, registry: againstRegistry } = parseAgainst(options.against);
      // loaded together: the module loader reads their files concurrently
      const [{ loadProject }, { checkCatalogCompatibility, checkPublishedVersions }, { hasErrors }] = await Promise.all([
        import('../../contracts/load.js'),
        import('../../gate/check-catalog.js'),
        import('../../diagnostics/diagnostic.js'),
      ]);
      // avsc's view of the schemas is validate's (AVRO_INVALID_SCHEMA); the gate judges as Avro Java
      const project = loadProject(io.cwd, options.project, { runtimeChecks: false });
      const diagnostics = [...project.diagnostics, ...checkCatalogCompatibility(project.catalog, project.sources, options.policy)];
      if (ref !== undefined) {
        const { readFilesAtRef } = await import('../../git/read-ref.js');
        const { parseCatalog } = await import('../../contracts/parse.js');
        const published = parseCatalog(readFilesAtRef(project.root, ref, project.config.contracts), project.config.contracts, { runtimeChecks: false }).catalog;
        diagnostics.push(...checkPublishedVersions(published, project.catalog, ref, project.sources));
      }
      if (againstRegistry) {
        const { connectRegistry } = await import('../../registry/rest-client.js');
        const { readRegistryState } = await import('../../sync/registry-state.js');
        const { checkAgainstRegistry } = await import('../../gate/check-registry.js');
        const registry = connectRegistry(registryConnection(options, io.env, project.config));
        const state = await readRegistryState(project.catalog, registry);
        diagnostics.push(...(await checkAgainstRegistry(project.catalog, state, registry, options.policy)));
      }
      const versions = project.catalog.events.reduce((n, e) => n + e.versions.length, 0);
      const summary = `${project.catalog.events.length} events, ${versions} versions: compatible${ref ? `, and every version published at ${ref} is unchanged` : ''}${againstRegistry ? ', and the registry agrees' : ''}`;
      await createReporter(io, options.format).findings(project.root, diagnostics, summary);
      setExit(hasErrors(diagnostics) ? EXIT.FINDINGS : EXIT.OK);
    });
}
