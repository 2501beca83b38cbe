import type { Command } from 'commander';
import { NovaError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { createReporter } from '../reporter.js';
import { loadValidProject } from '../valid-project.js';
import type { RuleId } from '../../diagnostics/rules.js';

/** Rule (exit 2): the generated folder cannot be read (it is a file, or its permissions or links are broken). */
export const GENERATED_FOLDER_INVALID = 'GENERATED_FOLDER_INVALID' satisfies RuleId;

/** Registers `nova-events generate`. */
export function registerGenerate(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('generate')
    .description('generate typed payloads, the catalog and typed producers/consumers into generated/')
    .option('--check', 'write nothing; exit 1 and list the files when generated/ is stale')
    .addOption(formatOption(['text', 'json']))
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
Generates, from contracts/, into the configured folder (generated/ by default):
  types/<aggregate>.ts  payload types of every version (the newest under the plain name, and
                        <Name>Input where fields with defaults may be left out)
  events.ts             EventType, EventPayloads, EventInputs, EVENT_TYPES
  catalog.ts            type -> topic, subject, key, schema type, compatibility, schemas
  client.ts             createProducer / createConsumer bound to the catalog
  index.ts              named re-exports
Only files whose contents change are written, and either all of them or none. Invalid
contracts stop generation with the validate findings.

Exit codes: 0 written or up to date, 1 stale (--check) or invalid contracts, 2 usage error.

Examples:
  $ nova-events generate
  $ nova-events generate --check          # in CI: fails when generated/ is stale
  $ nova-events generate --check --format json`,
    )
    .action(async (options: { check?: boolean; format: 'text' | 'json'; project?: string }) => {
      const project = await loadValidProject(io, options, 'generate', setExit);
      if (!project) return;
      const { generateFiles } = await import('../../codegen/generate.js');
      const { diffGenerated, writeGenerated } = await import('../../codegen/write-files.js');
      const { join } = await import('node:path');
      const dir = join(project.root, project.config.generated);
      const files = generateFiles(project.catalog, { runtimeImport: project.config.runtimeImport });
      let diff: ReturnType<typeof diffGenerated>;
      try {
        diff = diffGenerated(dir, files);
      } catch (cause) {
        throw new NovaError(GENERATED_FOLDER_INVALID, `could not read ${project.config.generated}/: ${(cause as Error).message}`, {
          cause,
          file: project.config.generated,
          hint: `"generated" in nova-events.config.json must name a folder (or a path where one can be created)`,
        });
      }
      const outdated = [...diff.changed, ...diff.stale].sort();
      if (options.check) {
        if (options.format === 'json') io.stdout(`${JSON.stringify({ upToDate: outdated.length === 0, changed: diff.changed, stale: diff.stale }, null, 2)}\n`);
        else if (outdated.length === 0) io.stdout(`${project.config.generated}/ is up to date (${files.length} files)\n`);
        else {
          io.stdout(`${project.config.generated}/ is stale: ${outdated.length} file(s) differ from what the contracts give\n`);
          for (const path of diff.changed) io.stdout(`  changed  ${project.config.generated}/${path}\n`);
          for (const path of diff.stale) io.stdout(`  removed  ${project.config.generated}/${path}\n`);
          io.stdout('run `nova-events generate` and commit the result\n');
        }
        setExit(outdated.length === 0 ? EXIT.OK : EXIT.FINDINGS);
        return;
      }
      try {
        writeGenerated(dir, files, diff);
      } catch (cause) {
        throw new NovaError('GENERATE_WRITE_FAILED', `could not write ${project.config.generated}/: ${(cause as Error).message}; nothing was changed`, { cause, file: project.config.generated });
      }
      createReporter(io, options.format).result({ written: diff.changed, removed: diff.stale, unchanged: diff.unchanged.length }, () => `${project.config.generated}/: ${diff.changed.length} written, ${diff.stale.length} removed, ${diff.unchanged.length} unchanged\n`);
      setExit(EXIT.OK);
    });
}
