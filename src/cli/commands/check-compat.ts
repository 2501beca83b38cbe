import { Option, type Command } from 'commander';
import type { ReportFormat } from '../../diagnostics/render.js';
import { EXIT, NovaError } from '../../util/errors.js';
import { formatOption, projectOption, type CliIO } from '../io.js';

interface CheckCompatOptions {
  readonly format: ReportFormat;
  readonly against?: string;
  readonly policy: 'STRICT' | 'LENIENT';
  readonly project?: string;
}

/** The git ref of `--against git:<ref>`. */
export function parseAgainst(value: string | undefined): { ref?: string } {
  if (value === undefined) return {};
  if (value.startsWith('git:') && value.length > 4) return { ref: value.slice(4) };
  throw new NovaError('USAGE', `--against "${value}" is not understood`, { hint: 'use --against git:<ref>, e.g. git:origin/main or git:HEAD~1' });
}

/** Registers `nova-events check-compat`. */
export function registerCheckCompat(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('check-compat')
    .description('the PR gate: check every event version against the older ones, as the schema registry would')
    .addOption(formatOption(['text', 'json', 'github-actions']))
    .option('--against <target>', 'also compare with the catalog at a git ref (git:<ref>): published versions must not change')
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
git (no checkout), so a shallow clone must fetch it first.

Exit codes: 0 compatible, 1 findings, 2 usage or configuration error (also: ref not found).

Examples:
  $ nova-events check-compat
  $ nova-events check-compat --against git:origin/main --format github-actions
  $ nova-events check-compat --against git:HEAD~1 --format json | jq '.[] | .rule'`,
    )
    .action(async (options: CheckCompatOptions) => {
      const { ref } = parseAgainst(options.against);
      const { loadProject } = await import('../../contracts/load.js');
      const { checkCatalogCompatibility, checkPublishedVersions } = await import('../../gate/check-catalog.js');
      const { hasErrors } = await import('../../diagnostics/diagnostic.js');
      const { renderDiagnostics } = await import('../../diagnostics/render.js');
      const project = loadProject(io.cwd, options.project);
      const diagnostics = [...project.diagnostics, ...checkCatalogCompatibility(project.catalog, project.sources, options.policy)];
      if (ref !== undefined) {
        const { readFilesAtRef } = await import('../../git/read-ref.js');
        const { parseCatalog } = await import('../../contracts/parse.js');
        const published = parseCatalog(readFilesAtRef(project.root, ref, project.config.contracts), project.config.contracts).catalog;
        diagnostics.push(...checkPublishedVersions(published, project.catalog, ref, project.sources));
      }
      let shown = diagnostics;
      if (options.format === 'github-actions') {
        const { repoPrefix } = await import('../../contracts/discover.js');
        const prefix = repoPrefix(project.root);
        shown = diagnostics.map((d) => ({ ...d, file: prefix + d.file }));
      }
      if (options.format === 'text' && diagnostics.length === 0) {
        const versions = project.catalog.events.reduce((n, e) => n + e.versions.length, 0);
        io.stdout(`${project.catalog.events.length} events, ${versions} versions: compatible${ref ? `, and every version published at ${ref} is unchanged` : ''}\n`);
      } else io.stdout(renderDiagnostics(shown, options.format));
      setExit(hasErrors(diagnostics) ? EXIT.FINDINGS : EXIT.OK);
    });
}
