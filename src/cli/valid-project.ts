import type { LoadedProject } from '../contracts/load.js';
import type { ReportFormat } from '../diagnostics/render.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { createReporter } from './reporter.js';

/**
 * Loads the project for a command that needs valid contracts. On invalid contracts it prints
 * the validate findings, says that `command` changed nothing, sets exit 1 and returns undefined.
 */
export async function loadValidProject(
  io: CliIO,
  options: { readonly project?: string; readonly format: ReportFormat },
  command: string,
  setExit: (code: number) => void,
): Promise<LoadedProject | undefined> {
  const { loadProject } = await import('../contracts/load.js');
  const { hasErrors } = await import('../diagnostics/diagnostic.js');
  const { legacyMappingCheck } = await import('../contracts/legacy-mapping-check.js');
  const project = loadProject(io.cwd, options.project, { legacyMappingCheck });
  if (!hasErrors(project.diagnostics)) return project;
  await createReporter(io, options.format).findings(project.root, project.diagnostics);
  if (options.format === 'text') io.stderr(`nova-events: ${command}: the contracts are invalid; nothing was changed\n`);
  setExit(EXIT.FINDINGS);
  return undefined;
}
