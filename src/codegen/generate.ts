import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  StructureKind,
  type ExportDeclarationStructure,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type StatementStructures,
} from 'ts-morph';
import { avroCanonicalForm } from '../formats/avro/canonical.js';
import { GENERATED_BANNER } from './banner.js';
import { parsedAvroSchema } from '../formats/avro/schema.js';
import type { Catalog, EventContract } from '../model/contract.js';
import { eventSubject, latestVersion, registeredSchemaText } from '../model/contract.js';
import type { EventSpec } from '../runtime/event-spec.js';
import { AvroTypeMapper } from './avro-to-ts.js';
import { DeclarationSet, pascalName, stringLiteral, typeAlias } from './declarations.js';
import { JsonSchemaTypeMapper } from './json-schema-to-ts.js';

/** One file of generated code, relative to the generated folder. */
export interface GeneratedFile {
  readonly path: string;
  readonly contents: string;
}

/** Settings of code generation. */
export interface GenerateOptions {
  /** The module specifier generated code imports the runtime from (`nova-events/runtime` by default). */
  readonly runtimeImport: string;
}

/** The first line of every generated file (kept in banner.ts so that the writer loads without ts-morph). */
export { GENERATED_BANNER } from './banner.js';

/** A statement of a generated file: a ts-morph structure, or raw text where printing would re-indent it. */
type Statement = string | StatementStructures;

interface EventNames {
  readonly event: EventContract;
  /** The payload type of the newest version (what consumers receive). */
  readonly payload: string;
  /** The type producers pass (fields with a default are optional). */
  readonly input: string;
  /** One type per version, oldest first. */
  readonly versions: readonly string[];
  readonly module: string;
}

function typesOfAggregate(events: readonly EventContract[]): { statements: Statement[]; names: EventNames[] } {
  const declarations = new DeclarationSet();
  const names: EventNames[] = [];
  for (const event of events) {
    const base = pascalName(latestVersion(event).recordName);
    const versions = event.versions.map((version) => {
      const name = `${base}V${version.version}`;
      if (event.schemaType === 'JSON') return new JsonSchemaTypeMapper(declarations, name, version.schema as Record<string, unknown>).root(name);
      const root = parsedAvroSchema(version.schema).root;
      if (root.kind !== 'record') throw new Error(`${version.file}: the schema is not a record`);
      return new AvroTypeMapper(declarations, name).record(root, name, false);
    });
    const newest = versions[versions.length - 1]!;
    const doc = `${event.description.replace(/\.$/, '')}: \`${event.type}\`, newest version v${event.versions.length}.`;
    declarations.declare(base, () => typeAlias(base, doc, newest), base);
    let input = newest;
    const latestSchema = latestVersion(event);
    if (event.schemaType === 'AVRO') {
      const root = parsedAvroSchema(latestSchema.schema).root;
      if (root.kind === 'record' && root.fields.some((f) => f.hasDefault)) {
        input = new AvroTypeMapper(declarations, `${base}V${latestSchema.version}`).record(root, `${base}Input`, true);
      }
    }
    names.push({ event, payload: base, input, versions, module: `./types/${event.aggregate}.js` });
  }
  return { statements: declarations.sorted(), names };
}

function runtimeSpec(event: EventContract, topics: Catalog['topics']): EventSpec {
  const { legacy } = event;
  const envVars = topics.find((t) => t.name === event.topic)?.envVars ?? [];
  return {
    type: event.type,
    topic: event.topic,
    subject: eventSubject(event),
    recordName: latestVersion(event).recordName,
    key: event.key,
    schemaType: event.schemaType,
    compatibility: event.compatibility,
    legacyTypes: [...event.legacy.types].sort(),
    legacyTopics: [...event.legacy.topics].sort(),
    ...(legacy.encodings.length > 0
      ? {
          legacy: {
            encodings: [...legacy.encodings],
            // 000's header names are dotted (`content.post.created`); PascalCase ones are Rust enum tags no header carried.
            publishType: legacy.publishType ?? legacy.types.find((t) => t.includes('.')) ?? event.type,
            publishTopic: legacy.publishTopic ?? event.topic,
            fields: legacy.fields,
          },
        }
      : {}),
    ...(envVars.length > 0 ? { topicEnvVars: [...envVars] } : {}),
    versions: event.versions.map((v) => ({
      version: v.version,
      schema: registeredSchemaText(v.schema),
      ...(event.schemaType === 'AVRO' ? { canonical: avroCanonicalForm(v.schema) } : {}),
    })),
  };
}

function objectLiteral(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*)"([A-Za-z_$][A-Za-z0-9_$]*)":/gm, '$1$2:');
}

function typeImport(moduleSpecifier: string, names: readonly string[]): ImportDeclarationStructure {
  return { kind: StructureKind.ImportDeclaration, moduleSpecifier, isTypeOnly: true, namedImports: [...names].sort() };
}

function typeMap(name: string, doc: string, entries: readonly (readonly [string, string])[]): Statement {
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: [doc],
    properties: entries.map(([type, payload]) => ({ name: stringLiteral(type), type: payload })),
  };
}

function eventsFile(names: readonly EventNames[]): Statement[] {
  const byModule = new Map<string, string[]>();
  for (const n of names) byModule.set(n.module, [...(byModule.get(n.module) ?? []), n.payload, ...(n.input !== n.payload ? [n.input] : [])]);
  return [
    ...[...byModule].sort(([a], [b]) => a.localeCompare(b)).map(([module, imported]) => typeImport(module, [...new Set(imported)])),
    typeAlias('EventType', 'Every event type of the catalog.', names.map((n) => stringLiteral(n.event.type)).join(' | ')),
    typeMap('EventPayloads', 'Event type -> the payload consumers receive (the newest version; older writers are read into it).', names.map((n) => [n.event.type, n.payload])),
    typeMap('EventInputs', 'Event type -> the payload producers pass (fields with a default may be left out).', names.map((n) => [n.event.type, n.input])),
    `/** Every event type of the catalog, sorted. */\nexport const EVENT_TYPES: readonly EventType[] = ${objectLiteral(names.map((n) => n.event.type))};`,
  ];
}

function catalogFile(events: readonly EventContract[], topics: Catalog['topics'], runtimeImport: string): Statement[] {
  const specs = Object.fromEntries(events.map((e) => [e.type, runtimeSpec(e, topics)]));
  return [
    typeImport(runtimeImport, ['EventCatalog']),
    // A raw statement: ts-morph would re-indent a multi-line initializer.
    `/** Event type -> topic, subject, key field, schema type, compatibility, legacy aliases, and every version's schema (as registered) and Avro canonical form. */\nexport const catalog = ${objectLiteral(specs)} as const satisfies EventCatalog;`,
  ];
}

function clientFile(runtimeImport: string): Statement[] {
  const fn = (name: string, doc: string, params: string, returns: string, body: string): FunctionDeclarationStructure => ({
    kind: StructureKind.Function,
    name,
    isExported: true,
    docs: [doc],
    parameters: [{ name: 'options', type: params }],
    returnType: returns,
    statements: [body],
  });
  return [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: runtimeImport,
      namedImports: ['createCatalogConsumer', 'createCatalogOutbox', 'createCatalogProducer', 'type ConsumerOptions', 'type NovaConsumer', 'type NovaOutbox', 'type NovaProducer', 'type OutboxOptions', 'type ProducerOptions'],
    },
    { kind: StructureKind.ImportDeclaration, moduleSpecifier: './catalog.js', namedImports: ['catalog'] },
    typeImport('./events.js', ['EventInputs', 'EventPayloads']),
    fn(
      'createProducer',
      'A producer of the catalog\'s events: `publish(type, payload)` accepts only a known type with its exact payload, and sets the key, headers and schema id from the contract.',
      'ProducerOptions',
      'NovaProducer<EventInputs>',
      'return createCatalogProducer<EventInputs>(catalog, options);',
    ),
    fn(
      'createConsumer',
      'A consumer of the catalog\'s events: `on(type, handler)` hands the handler the typed payload of that type, read from any older version.',
      'ConsumerOptions',
      'NovaConsumer<EventPayloads>',
      'return createCatalogConsumer<EventPayloads>(catalog, options);',
    ),
    fn(
      'createOutbox',
      'A transactional outbox of the catalog\'s events: `enqueue(db, type, payload)` validates and encodes the event in the caller\'s transaction; the relay publishes it after commit.',
      'OutboxOptions',
      'NovaOutbox<EventInputs>',
      'return createCatalogOutbox<EventInputs>(catalog, options);',
    ),
  ];
}

function indexFile(names: readonly EventNames[]): Statement[] {
  const exportFrom = (moduleSpecifier: string, named: readonly string[], isTypeOnly: boolean): ExportDeclarationStructure => ({
    kind: StructureKind.ExportDeclaration,
    moduleSpecifier,
    isTypeOnly,
    namedExports: [...new Set(named)].sort(),
  });
  const byModule = new Map<string, string[]>();
  for (const n of names) byModule.set(n.module, [...(byModule.get(n.module) ?? []), n.payload, n.input, ...n.versions]);
  return [
    exportFrom('./client.js', ['createConsumer', 'createOutbox', 'createProducer'], false),
    exportFrom('./catalog.js', ['catalog'], false),
    exportFrom('./events.js', ['EVENT_TYPES'], false),
    exportFrom('./events.js', ['EventInputs', 'EventPayloads', 'EventType'], true),
    ...[...byModule].sort(([a], [b]) => a.localeCompare(b)).map(([module, named]) => exportFrom(module, named, true)),
  ];
}

/**
 * Generates the typed code of a catalog: per aggregate the payload types of every version, the
 * event-type union and type maps, the runtime catalog, and the typed producer and consumer.
 * Pure: contracts in, files out. Every file is built from ts-morph structures and printed in
 * bulk from one in-memory project, so the output depends on the contracts only.
 */
export function generateFiles(catalog: Catalog, options: GenerateOptions): GeneratedFile[] {
  const events = [...catalog.events].sort((a, b) => a.type.localeCompare(b.type));
  const aggregates = [...new Set(events.map((e) => e.aggregate))].sort();
  const sources: { path: string; statements: Statement[] }[] = [];
  const names: EventNames[] = [];
  for (const aggregate of aggregates) {
    const result = typesOfAggregate(events.filter((e) => e.aggregate === aggregate));
    names.push(...result.names);
    sources.push({ path: `types/${aggregate}.ts`, statements: result.statements });
  }
  sources.push(
    { path: 'events.ts', statements: eventsFile(names) },
    { path: 'catalog.ts', statements: catalogFile(events, catalog.topics, options.runtimeImport) },
    { path: 'client.ts', statements: clientFile(options.runtimeImport) },
    { path: 'index.ts', statements: indexFile(names) },
  );
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: true,
    },
  });
  return sources
    .map(({ path, statements }) => {
      const file = project.createSourceFile(`/generated/${path}`, { statements: [GENERATED_BANNER, ...statements] }, { overwrite: true });
      return { path, contents: file.getFullText() };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
