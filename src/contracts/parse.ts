import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { joinPointer } from '../diagnostics/json-pointer.js';
import { lineColumnAt, parseJsonSource, type JsonSource } from '../diagnostics/json-source.js';
import { parsedAvroSchema, type AvroNode } from '../formats/avro/schema.js';
import { checkJsonSchema } from '../formats/json-schema/parse.js';
import { jsonValueProblem } from '../formats/json-value.js';
import type {
  Catalog,
  CompatibilityLevel,
  ContractVersion,
  EventContract,
  LegacyAliases,
  SchemaType,
  SubjectStrategy,
  TopicSpec,
} from '../model/contract.js';
import type { SourceFile } from './discover.js';
import { METADATA_VALIDATORS } from './metadata-schemas.js';
import type { RuleId } from '../diagnostics/rules.js';

/** The catalog parsed from its files, the diagnostics found, and each file's line lookup. */
export interface ParsedCatalog {
  readonly catalog: Catalog;
  readonly diagnostics: Diagnostic[];
  /** Parsed JSON of every file that parsed, by path (used to put lines on later findings). */
  readonly sources: ReadonlyMap<string, JsonSource>;
}

/** How much of a catalog to check besides what the registry and the compatibility engine judge. */
export interface ParseOptions {
  /**
   * Also load every Avro version with the runtime's Avro library (avsc), reporting what it
   * refuses (AVRO_INVALID_SCHEMA). Default true (validate, generate); check-compat passes false:
   * the engine judges schemas as Avro Java does, and avsc costs ~35 ms per run.
   */
  readonly runtimeChecks?: boolean;
}

/** A contract file holding bytes that are not UTF-8 (read as U+FFFD). */
export const FILE_NOT_UTF8 = 'FILE_NOT_UTF8' satisfies RuleId;

/** Suffix of an event's metadata file. */
export const EVENT_FILE_SUFFIX = '.event.json';
/** Path of the topics file, relative to the contracts folder. */
export const TOPICS_FILE = 'topics.json';

// precompiled at build time (metadata-schemas.ts): compiling them here cost 45 ms per CLI run
const validators = () => METADATA_VALIDATORS;

function isSchemaFile(path: string): boolean {
  return path.endsWith('.avsc') || path.endsWith('.schema.json');
}

function ajvDiagnostics(file: string, errors: readonly ErrorObject[] | null | undefined, source: JsonSource): Diagnostic[] {
  return (errors ?? []).map((e) => {
    let pointer = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      const missing = String(e.params['missingProperty']);
      message = `required property "${missing}" is missing`;
    } else if (e.keyword === 'additionalProperties') {
      const extra = String(e.params['additionalProperty']);
      pointer = joinPointer(pointer, extra);
      message = `property "${extra}" is not allowed`;
    } else if (e.keyword === 'enum') {
      message = `${message}: ${(e.params['allowedValues'] as unknown[]).join(', ')}`;
    }
    return error('METADATA_INVALID', file, pointer, message, { line: source.lineOf(pointer) });
  });
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

// avsc is loaded only when the runtime checks run (see ParseOptions)
const require = createRequire(import.meta.url);

function avscProblem(schema: unknown): string | undefined {
  const avro = require('avsc') as typeof import('avsc');
  try {
    avro.Type.forSchema(schema as import('avsc').Schema, { wrapUnions: 'auto' });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function recordNameOf(schemaType: SchemaType, schema: unknown, root: AvroNode | undefined): string {
  if (schemaType === 'AVRO') return root && root.kind === 'record' ? root.fullName : '';
  const title = schema !== null && typeof schema === 'object' ? (schema as Record<string, unknown>)['title'] : undefined;
  return typeof title === 'string' ? title : '';
}

/**
 * Parses the catalog files (pure: the files come in as text). Every problem becomes a
 * diagnostic naming the file and the JSON pointer; parsing goes on past each one so that all are
 * reported. Cross-contract rules are checked separately by `validateCatalog`.
 */
export function parseCatalog(files: readonly SourceFile[], contractsDir = 'contracts', options: ParseOptions = {}): ParsedCatalog {
  const runtimeChecks = options.runtimeChecks ?? true;
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, JsonSource>();
  const byPath = new Map(files.map((f) => [f.path, f]));
  const prefix = contractsDir.replace(/\/$/, '') + '/';

  const load = (file: SourceFile): JsonSource | undefined => {
    // Files are decoded as UTF-8 with U+FFFD for each invalid sequence; a contract has no reason
    // to hold U+FFFD itself (JSON can write it as \ufffd), so its presence means bad bytes.
    const replaced = file.text.indexOf('\uFFFD');
    if (replaced >= 0) {
      const { line, column } = lineColumnAt(file.text, replaced);
      diagnostics.push(
        error(FILE_NOT_UTF8, file.path, '', `file is not valid UTF-8: the bytes at line ${line}, column ${column} are not a UTF-8 character`, {
          line,
          hint: 'save the file as UTF-8 (a literal U+FFFD must be written as \\ufffd)',
        }),
      );
      return undefined;
    }
    const parsed = parseJsonSource(file.text);
    if (!parsed.ok) {
      diagnostics.push(
        error('INVALID_JSON', file.path, '', `file is not valid JSON: ${parsed.error.message} (line ${parsed.error.line}, column ${parsed.error.column})`, {
          line: parsed.error.line,
          hint: 'fix the JSON syntax',
        }),
      );
      return undefined;
    }
    sources.set(file.path, parsed.source);
    return parsed.source;
  };

  const topics: TopicSpec[] = [];
  const topicsPath = prefix + TOPICS_FILE;
  const topicsFile = byPath.get(topicsPath);
  if (!topicsFile) {
    diagnostics.push(error('TOPICS_FILE_MISSING', topicsPath, '', `"${topicsPath}" was not found`, { hint: 'declare the topics in contracts/topics.json' }));
  } else {
    const source = load(topicsFile);
    if (source) {
      if (!validators().topics(source.value)) {
        diagnostics.push(...ajvDiagnostics(topicsPath, validators().topics.errors, source));
      } else {
        const list = (source.value as { topics: Array<Omit<TopicSpec, 'file' | 'pointer' | 'envVars'> & { envVars?: string[] }> }).topics;
        list.forEach((t, i) => topics.push({ ...t, envVars: t.envVars ?? [], file: topicsPath, pointer: joinPointer('/topics', i) }));
      }
    }
  }

  const events: EventContract[] = [];
  const referenced = new Set<string>();
  for (const file of files) {
    if (!file.path.endsWith(EVENT_FILE_SUFFIX)) continue;
    const source = load(file);
    if (!source) continue;
    if (!validators().event(source.value)) {
      diagnostics.push(...ajvDiagnostics(file.path, validators().event.errors, source));
      continue;
    }
    const meta = source.value as {
      type: string;
      aggregate: string;
      description: string;
      topic: string;
      schemaType: SchemaType;
      subjectStrategy: SubjectStrategy;
      key: string;
      compatibility: CompatibilityLevel;
      owner: string;
      subscribers: string[];
      legacy?: Partial<Omit<LegacyAliases, 'types' | 'topics'>> & { types?: string[]; topics?: string[] };
      seedSource?: string;
      versions: string[];
    };
    const versions: ContractVersion[] = [];
    meta.versions.forEach((name, index) => {
      const pointer = joinPointer('/versions', index);
      const path = dirOf(file.path) + name;
      referenced.add(path);
      const schemaFile = byPath.get(path);
      if (!schemaFile) {
        diagnostics.push(
          error('VERSION_FILE_MISSING', file.path, pointer, `version file "${name}" was not found next to "${file.path}"`, {
            line: source.lineOf(pointer),
            version: index + 1,
            hint: `create ${path} or fix the name`,
          }),
        );
        return;
      }
      const schemaSource = load(schemaFile);
      if (!schemaSource) return;
      let root: AvroNode | undefined;
      const at = (p: string) => ({ line: schemaSource.lineOf(p), version: index + 1 });
      const tooDeep = jsonValueProblem(schemaSource.value);
      if (tooDeep) {
        // Every later step walks the schema recursively: stop here, as for a file that is not JSON.
        diagnostics.push(error(tooDeep.rule, path, tooDeep.pointer, tooDeep.message, { ...at(tooDeep.pointer), hint: tooDeep.hint }));
        return;
      }
      if (meta.schemaType === 'AVRO') {
        const parsed = parsedAvroSchema(schemaSource.value);
        root = parsed.root;
        for (const p of [...parsed.problems, ...parsed.runtimeProblems]) {
          diagnostics.push(error(p.rule, path, p.pointer, p.message, { ...at(p.pointer), ...(p.hint ? { hint: p.hint } : {}) }));
        }
        for (const p of parsed.warnings) {
          diagnostics.push(warning(p.rule, path, p.pointer, p.message, { ...at(p.pointer), ...(p.hint ? { hint: p.hint } : {}) }));
        }
        if (runtimeChecks && parsed.problems.length === 0 && parsed.runtimeProblems.length === 0) {
          const avscMessage = avscProblem(schemaSource.value);
          if (avscMessage) diagnostics.push(error('AVRO_INVALID_SCHEMA', path, '', `avsc rejected the schema: ${avscMessage}`, at('')));
        }
        if (root.kind !== 'record') {
          diagnostics.push(error('SCHEMA_NOT_RECORD', path, '', 'an event schema must be a record', { ...at(''), hint: 'wrap the payload in {"type": "record", ...}' }));
        }
      } else {
        for (const p of checkJsonSchema(schemaSource.value)) {
          diagnostics.push(error(p.rule, path, p.pointer, p.message, { ...at(p.pointer), ...(p.hint ? { hint: p.hint } : {}) }));
        }
      }
      versions.push({
        version: index + 1,
        file: path,
        text: schemaFile.text,
        schema: schemaSource.value,
        recordName: recordNameOf(meta.schemaType, schemaSource.value, root),
      });
    });
    if (versions.length !== meta.versions.length) continue;
    events.push({
      type: meta.type,
      aggregate: meta.aggregate,
      description: meta.description,
      topic: meta.topic,
      schemaType: meta.schemaType,
      subjectStrategy: meta.subjectStrategy,
      key: meta.key,
      compatibility: meta.compatibility,
      owner: meta.owner,
      subscribers: meta.subscribers,
      legacy: {
        types: meta.legacy?.types ?? [],
        topics: meta.legacy?.topics ?? [],
        encodings: meta.legacy?.encodings ?? [],
        fields: meta.legacy?.fields ?? {},
        ...(meta.legacy?.publishType !== undefined ? { publishType: meta.legacy.publishType } : {}),
        ...(meta.legacy?.publishTopic !== undefined ? { publishTopic: meta.legacy.publishTopic } : {}),
      },
      ...(meta.seedSource !== undefined ? { seedSource: meta.seedSource } : {}),
      versions,
      file: file.path,
    });
  }

  for (const file of files) {
    if (isSchemaFile(file.path) && !referenced.has(file.path)) {
      diagnostics.push(
        warning('SCHEMA_FILE_UNREFERENCED', file.path, '', `"${file.path}" is not listed in any event's versions`, {
          hint: 'add it to the versions of its event, or delete it',
        }),
      );
    } else if (!isSchemaFile(file.path) && !file.path.endsWith(EVENT_FILE_SUFFIX) && file.path !== topicsPath && file.path.endsWith('.json')) {
      diagnostics.push(warning('UNKNOWN_FILE', file.path, '', `"${file.path}" is neither an event, a schema nor the topics file`));
    }
  }

  return { catalog: { topics, events }, diagnostics, sources };
}
