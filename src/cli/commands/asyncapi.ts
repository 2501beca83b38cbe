import { Option, type Command } from 'commander';
import { NovaError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { projectOption, type CliIO } from '../io.js';
import { loadValidProject } from '../valid-project.js';

/** Rule id of an AsyncAPI file that could not be written. */
export const ASYNCAPI_WRITE_FAILED = 'ASYNCAPI_WRITE_FAILED';

interface AsyncApiFlags {
  readonly out?: string;
  readonly format?: 'yaml' | 'json';
  readonly infoVersion: string;
  readonly project?: string;
}

/** Registers `nova-events asyncapi`. */
export function registerAsyncApi(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('asyncapi')
    .description('write the catalog as an AsyncAPI 3.0 document (default asyncapi.yaml)')
    .option('--out <file>', 'where to write it (default: asyncapi.yaml in the project; - for stdout)')
    .addOption(new Option('--format <format>', 'yaml or json (default: from the --out extension, else yaml)').choices(['yaml', 'json']))
    .option('--info-version <version>', 'info.version of the document (e.g. the release tag)', '1.0.0')
    .addOption(projectOption())
    .addHelpText(
      'after',
      `
One channel per topic (Kafka bindings: partitions, retention.ms), one message per event type
with its newest schema (Avro as ${'application/vnd.apache.avro+json;version=1.9.0'}, or JSON
Schema), the standard headers, Kafka message bindings (the key, schemaIdLocation: payload,
schemaLookupStrategy from the subject strategy), a send operation per event for its owner and
a receive operation per subscriber and topic.

Exit codes: 0 written, 1 invalid contracts, 2 usage error.

Examples:
  $ nova-events asyncapi
  $ nova-events asyncapi --out docs/asyncapi.json --info-version "$(git describe --tags)"
  $ nova-events asyncapi --out - --format json | jq '.channels | keys'`,
    )
    .action(async (flags: AsyncApiFlags) => {
      const project = await loadValidProject(io, { ...(flags.project !== undefined ? { project: flags.project } : {}), format: 'text' }, 'asyncapi', setExit);
      if (!project) return;
      const { basename, dirname, join, relative, resolve } = await import('node:path');
      const { existsSync, readFileSync } = await import('node:fs');
      const { buildAsyncApi } = await import('../../asyncapi/document.js');
      const target = flags.out === undefined ? join(project.root, 'asyncapi.yaml') : flags.out === '-' ? '-' : resolve(io.cwd, flags.out);
      const format = flags.format ?? (/\.json$/i.test(target) ? 'json' : 'yaml');
      const document = buildAsyncApi(project.catalog, { version: flags.infoVersion });
      let text: string;
      if (format === 'json') text = `${JSON.stringify(document, null, 2)}\n`;
      else text = (await import('../../asyncapi/yaml.js')).toYaml(document);
      if (target === '-') {
        io.stdout(text);
        setExit(EXIT.OK);
        return;
      }
      const { writeGenerated } = await import('../../codegen/write-files.js');
      const name = basename(target);
      const unchanged = existsSync(target) && readFileSync(target, 'utf8') === text;
      try {
        writeGenerated(dirname(target), [{ path: name, contents: text }], { changed: unchanged ? [] : [name], stale: [], unchanged: unchanged ? [name] : [] });
      } catch (cause) {
        throw new NovaError(ASYNCAPI_WRITE_FAILED, `could not write ${relative(io.cwd, target)}: ${(cause as Error).message}`, { cause });
      }
      io.stdout(`${relative(io.cwd, target)}: ${unchanged ? 'unchanged' : 'written'} (AsyncAPI 3.0, ${format}, ${Object.keys(document['channels'] as object).length} channels, ${project.catalog.events.length} messages)\n`);
      setExit(EXIT.OK);
    });
}
