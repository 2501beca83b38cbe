import type { Command } from 'commander';
import type { Catalog } from '../../model/contract.js';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { createReporter } from '../reporter.js';

/** One row of `nova-events list --format json`. */
export interface CatalogListEntry {
  readonly type: string;
  readonly aggregate: string;
  readonly topic: string;
  readonly subject: string;
  readonly key: string;
  readonly schemaType: string;
  readonly compatibility: string;
  readonly versions: number;
  readonly owner: string;
  readonly subscribers: readonly string[];
  readonly legacyTypes: readonly string[];
  readonly legacyTopics: readonly string[];
  readonly file: string;
}

/** The catalog as list rows, sorted by event type. */
export function catalogEntries(catalog: Catalog, subjectOf: (e: Catalog['events'][number]) => string): CatalogListEntry[] {
  return [...catalog.events]
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
    .map((e) => ({
      type: e.type,
      aggregate: e.aggregate,
      topic: e.topic,
      subject: subjectOf(e),
      key: e.key,
      schemaType: e.schemaType,
      compatibility: e.compatibility,
      versions: e.versions.length,
      owner: e.owner,
      subscribers: e.subscribers,
      legacyTypes: e.legacy.types,
      legacyTopics: e.legacy.topics,
      file: e.file,
    }));
}

function table(rows: readonly CatalogListEntry[]): string {
  const columns: Array<[string, (r: CatalogListEntry) => string]> = [
    ['TYPE', (r) => r.type],
    ['TOPIC', (r) => r.topic],
    ['SUBJECT', (r) => r.subject],
    ['KEY', (r) => r.key],
    ['FORMAT', (r) => r.schemaType],
    ['COMPATIBILITY', (r) => r.compatibility],
    ['VERSIONS', (r) => String(r.versions)],
    ['OWNER', (r) => r.owner],
  ];
  const widths = columns.map(([title, get]) => Math.max(title.length, ...rows.map((r) => get(r).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(columns.map(([t]) => t)), ...rows.map((r) => line(columns.map(([, get]) => get(r))))].join('\n') + '\n';
}

/** Registers `nova-events list`. */
export function registerList(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('list')
    .description('list the event catalog: type, topic, subject, key, format, level, versions, owner')
    .addOption(formatOption())
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
Examples:
  $ nova-events list
  $ nova-events list --format json | jq -r '.[] | select(.topic == "nova.content.events") | .type'`,
    )
    .action(async (options: { format: 'text' | 'json'; project?: string }) => {
      const { loadProject } = await import('../../contracts/load.js');
      const { hasErrors } = await import('../../diagnostics/diagnostic.js');
      const { eventSubject } = await import('../../model/contract.js');
      const project = loadProject(io.cwd, options.project);
      const rows = catalogEntries(project.catalog, eventSubject);
      createReporter(io, options.format).result(rows, () => table(rows));
      if (hasErrors(project.diagnostics)) {
        io.stderr(`the catalog has errors, so this list may be incomplete: run "nova-events validate"\n`);
        setExit(EXIT.FINDINGS);
      } else setExit(EXIT.OK);
    });
}
