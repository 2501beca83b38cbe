import type { Command } from 'commander';
import type { ReportFormat } from '../../diagnostics/render.js';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { createReporter } from '../reporter.js';

/** Registers `nova-events validate`. */
export function registerValidate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check that every contract parses and that the catalog is consistent')
    .addOption(formatOption(['text', 'json', 'github-actions']))
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
Checks: every schema parses (avsc for Avro, the draft's meta-schema for JSON Schema); event types
and subjects are unique; topics are declared; the key field is a non-null string in every
version; names follow the conventions; every field is documented.

Exit codes: 0 valid, 1 findings, 2 usage or configuration error.

Examples:
  $ nova-events validate
  $ nova-events validate --format json | jq '.[].rule'
  $ nova-events validate --format github-actions`,
    )
    .action(async (options: { format: ReportFormat; project?: string }) => {
      const [{ loadProject }, { hasErrors }] = await Promise.all([import('../../contracts/load.js'), import('../../diagnostics/diagnostic.js')]);
      const { legacyMappingCheck } = await import('../../contracts/legacy-mapping-check.js');
      const project = loadProject(io.cwd, options.project, { legacyMappingCheck });
      await createReporter(io, options.format).findings(project.root, project.diagnostics, `${project.catalog.events.length} events on ${project.catalog.topics.length} topics: valid`);
      setExit(hasErrors(project.diagnostics) ? EXIT.FINDINGS : EXIT.OK);
    });
}
