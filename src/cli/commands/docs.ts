import type { Command } from 'commander';
import { NovaError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { formatOption, projectOption, type CliIO } from '../io.js';
import { loadValidProject } from '../valid-project.js';
import { parseAgainst } from './check-compat.js';

/** Rule id of a site folder that could not be written (nothing in it was changed). */
export const DOCS_WRITE_FAILED = 'DOCS_WRITE_FAILED';

interface DocsOptions {
  readonly out?: string;
  readonly against?: string;
  readonly format: 'text' | 'json';
  readonly project?: string;
}

/** Registers `nova-events docs`. */
export function registerDocs(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('docs')
    .description('build the event catalog as a static, offline site (default site/)')
    .option('--out <dir>', 'folder of the site (default: site/ in the project)')
    .option('--against <target>', 'add a changes page: what the working tree changes relative to git:<ref>')
    .addOption(formatOption(['text', 'json']))
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
Builds, from contracts/, plain HTML and CSS with a little JavaScript for search, with relative
links only: it opens from file:// and from any static server, and fetches nothing.
  index.html          every event (aggregate, topic, key, format, level, versions, owner),
                      search as you type, filters by aggregate, topic, owner and subscriber
  events/<type>.html  the newest version's fields, every version, what changed between
                      consecutive versions and the compatibility engine's verdict under the
                      event's level, producer and consumers, legacy names and topics, an
                      example payload, the subject and the registered schema text
  topics.html         partitions, retention, events per topic and an owner -> topic ->
                      subscriber graph (inline SVG)
  changes.html        with --against git:<ref>: new events, new versions with their diffs,
                      edited metadata, and what check-compat --against finds
Files are written all or none; pages of events that no longer exist are removed.

Exit codes: 0 written, 1 invalid contracts, 2 usage error (also: ref not found).

Examples:
  $ nova-events docs && open site/index.html
  $ nova-events docs --out public --against git:origin/main`,
    )
    .action(async (options: DocsOptions) => {
      const { ref, registry } = parseAgainst(options.against);
      if (registry) throw new NovaError('USAGE', 'docs --against takes a git ref only', { hint: 'use --against git:<ref>, e.g. git:origin/main' });
      const project = await loadValidProject(io, options, 'docs', setExit);
      if (!project) return;
      const { join, relative, resolve } = await import('node:path');
      const { buildSite, SITE_GENERATOR_TAG } = await import('../../docs/site.js');
      const { diffGenerated, writeGenerated } = await import('../../codegen/write-files.js');
      let against: { ref: string; catalog: typeof project.catalog } | undefined;
      if (ref !== undefined) {
        const { readFilesAtRef } = await import('../../git/read-ref.js');
        const { parseCatalog } = await import('../../contracts/parse.js');
        against = { ref, catalog: parseCatalog(readFilesAtRef(project.root, ref, project.config.contracts), project.config.contracts).catalog };
      }
      const dir = options.out !== undefined ? resolve(io.cwd, options.out) : join(project.root, 'site');
      const shown = relative(io.cwd, dir) || '.';
      const files = buildSite(project.catalog, against ? { against } : {});
      // Only pages the site wrote (they carry its generator tag) are removed as stale.
      const diff = diffGenerated(dir, files, (path, read) => path.endsWith('.html') && read().includes(SITE_GENERATOR_TAG));
      try {
        writeGenerated(dir, files, diff);
      } catch (cause) {
        throw new NovaError(DOCS_WRITE_FAILED, `could not write ${shown}/: ${(cause as Error).message}; nothing was changed`, { cause });
      }
      if (options.format === 'json') io.stdout(`${JSON.stringify({ out: dir, written: diff.changed, removed: diff.stale, unchanged: diff.unchanged.length }, null, 2)}\n`);
      else io.stdout(`${shown}/: ${diff.changed.length} written, ${diff.stale.length} removed, ${diff.unchanged.length} unchanged; open ${join(shown, 'index.html')}\n`);
      setExit(EXIT.OK);
    });
}
