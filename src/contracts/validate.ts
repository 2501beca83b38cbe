import { error, type Diagnostic, type DiagnosticDetails } from '../diagnostics/diagnostic.js';
import type { ErrorRuleId } from '../diagnostics/rules.js';
import { joinPointer } from '../diagnostics/json-pointer.js';
import type { JsonSource } from '../diagnostics/json-source.js';
import { parsedAvroSchema, type AvroNode, type AvroRecord } from '../formats/avro/schema.js';
import { subjectName, type Catalog, type ContractVersion, type EventContract } from '../model/contract.js';
import type { LegacyMappingProblem } from '../runtime/legacy.js';

const EVENT_TYPE = /^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$/;
const TOPIC_NAME = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_-]*)+$/;
const RECORD_NAME = /^[A-Z][A-Za-z0-9]*$/;
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const ENUM_SYMBOL = /^[A-Z][A-Z0-9_]*$/;

/**
 * Cross-contract rules over a parsed catalog: unique event types and subjects, defined topics,
 * a non-null string key field in every version, naming conventions, documented fields, and a
 * record name that stays the same across versions (the subject depends on it). Pure.
 */
export function validateCatalog(catalog: Catalog, sources: ReadonlyMap<string, JsonSource> = new Map(), options: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report: Report = (rule, file, pointer, message, hint, version, details) => {
    const line = sources.get(file)?.lineOf(pointer);
    out.push(
      error(rule, file, pointer, message, {
        ...(line !== undefined ? { line } : {}),
        ...(hint !== undefined ? { hint } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(details !== undefined ? { details } : {}),
      }),
    );
  };

  const topicNames = new Map<string, string>();
  for (const topic of catalog.topics) {
    if (topicNames.has(topic.name)) {
      report('DUPLICATE_TOPIC', topic.file, joinPointer(topic.pointer, 'name'), `topic "${topic.name}" is declared twice`, undefined, undefined, { topic: topic.name });
    }
    topicNames.set(topic.name, topic.pointer);
    if (!TOPIC_NAME.test(topic.name)) {
      report('TOPIC_NAME_CONVENTION', topic.file, joinPointer(topic.pointer, 'name'), `topic name "${topic.name}" does not follow "<prefix>.<aggregate>.events"`, 'use lower-case dot-separated words, e.g. "nova.post.events"', undefined, { topic: topic.name });
    }
  }

  const typeOwners = new Map<string, string>();
  const claimType = (type: string, event: EventContract, pointer: string): void => {
    const owner = typeOwners.get(type);
    if (owner !== undefined && owner !== event.file) {
      report('DUPLICATE_EVENT_TYPE', event.file, pointer, `event type "${type}" is already declared by "${owner}"`, 'each event type (and legacy alias) must belong to one contract', undefined, { eventType: type, declaredBy: owner });
    } else typeOwners.set(type, event.file);
  };
  const subjects = new Map<string, string>();

  for (const event of catalog.events) {
    claimType(event.type, event, '/type');
    event.legacy.types.forEach((t, i) => claimType(t, event, joinPointer('/legacy/types', i)));

    if (!EVENT_TYPE.test(event.type) || !event.type.startsWith(`${event.aggregate}.`)) {
      report('EVENT_NAME_CONVENTION', event.file, '/type', `event type "${event.type}" is not "<aggregate>.<event>" with aggregate "${event.aggregate}"`, `name it "${event.aggregate}.${event.type.split('.').pop() ?? 'event'}"`, undefined, { eventType: event.type, aggregate: event.aggregate });
    }
    const expectedFile = `/${event.aggregate}/${event.type}.event.json`;
    if (!event.file.endsWith(expectedFile)) {
      report('FILE_NAME_CONVENTION', event.file, '', `metadata of "${event.type}" should be at "…${expectedFile}"`, 'rename or move the file', undefined, { eventType: event.type, expected: expectedFile });
    }
    if (!topicNames.has(event.topic)) {
      report('TOPIC_UNDEFINED', event.file, '/topic', `topic "${event.topic}" is not declared in contracts/topics.json`, 'declare the topic, or fix the name', undefined, { eventType: event.type, topic: event.topic });
    }

    const subject = subjectName(event, event.versions[event.versions.length - 1]?.recordName ?? '');
    const otherSubject = subjects.get(subject);
    if (otherSubject !== undefined) {
      report('DUPLICATE_SUBJECT', event.file, '/subjectStrategy', `subject "${subject}" is already used by "${otherSubject}"`, 'give the record another name, or use TopicRecordNameStrategy', undefined, { subject, usedBy: otherSubject });
    } else subjects.set(subject, event.file);

    const firstName = event.versions[0]?.recordName;
    event.versions.forEach((version, index) => {
      const extension = event.schemaType === 'AVRO' ? '.avsc' : '.schema.json';
      const expected = `${event.type}.v${index + 1}${extension}`;
      if (!version.file.endsWith(`/${expected}`)) {
        report('FILE_NAME_CONVENTION', event.file, joinPointer('/versions', index), `version ${index + 1} of "${event.type}" should be named "${expected}"`, undefined, index + 1, { eventType: event.type, expected });
      }
      if (version.recordName === '') {
        report('RECORD_NAME_MISSING', version.file, event.schemaType === 'AVRO' ? '/name' : '/title', event.schemaType === 'AVRO' ? 'the schema has no record name' : 'the JSON Schema has no "title" (its record name for the subject)', 'name the record', version.version);
      } else if (version.recordName !== firstName) {
        report('RECORD_NAME_CHANGED', version.file, event.schemaType === 'AVRO' ? '/name' : '/title', `record name "${version.recordName}" differs from "${firstName}" of version 1, which changes the subject`, 'keep the record name (use aliases to rename)', version.version, { recordName: version.recordName, firstRecordName: firstName ?? '' });
      }
      if (event.schemaType === 'AVRO') checkAvroVersion(event, version, report);
      else checkJsonVersion(event, version, report);
    });
    checkLegacyMapping(event, report, options.legacyMappingCheck);
  }
  return out;
}

/** What `validateCatalog` may also check. */
export interface ValidateOptions {
  /** Checks an event's legacy mapping against its first version (src/contracts/legacy-mapping-check.ts); skipped without it. */
  readonly legacyMappingCheck?: (event: EventContract) => readonly LegacyMappingProblem[];
}

/**
 * The legacy mapping targets the first version: its fields must exist there and its defaults
 * and symbols must convert to their types; dual publish writes a declared legacy type to the
 * event's topic or one of its legacy topics.
 */
function checkLegacyMapping(event: EventContract, report: Report, check: ValidateOptions['legacyMappingCheck']): void {
  const { legacy } = event;
  if (legacy.publishType !== undefined && legacy.publishType !== event.type && !legacy.types.includes(legacy.publishType)) {
    report('LEGACY_PUBLISH_TARGET_INVALID', event.file, '/legacy/publishType', `publish type "${legacy.publishType}" is neither the event type nor one of its legacy types`, 'list it under legacy.types');
  }
  if (legacy.publishTopic !== undefined && legacy.publishTopic !== event.topic && !legacy.topics.includes(legacy.publishTopic)) {
    report('LEGACY_PUBLISH_TARGET_INVALID', event.file, '/legacy/publishTopic', `publish topic "${legacy.publishTopic}" is neither the event's topic nor one of its legacy topics`, 'list it under legacy.topics, so consumers read it too');
  }
  for (const problem of check?.(event) ?? []) report(problem.rule, event.file, problem.pointer, problem.message, 'the mapping reads legacy JSON into version 1 of the contract', 1);
}

type Report = (rule: ErrorRuleId, file: string, pointer: string, message: string, hint?: string, version?: number, details?: DiagnosticDetails) => void;

function checkAvroVersion(event: EventContract, version: ContractVersion, report: Report): void {
  const { root, problems } = parsedAvroSchema(version.schema);
  if (problems.length > 0 || root.kind !== 'record') return;
  const keyField = root.fields.find((f) => f.name === event.key);
  if (!keyField) {
    report('KEY_FIELD_MISSING', version.file, '/fields', `key field "${event.key}" is not a field of "${root.fullName}"`, `add a "${event.key}" string field, or fix "key" in ${event.file}`, version.version, { field: event.key });
  } else if (keyField.type.kind !== 'string') {
    report('KEY_FIELD_NOT_STRING', version.file, joinPointer(keyField.pointer, 'type'), `key field "${event.key}" is ${keyField.type.kind}, not a non-null string`, 'the Kafka key is the aggregate id as a string: make the field "string" (logicalType uuid is fine)', version.version, { field: event.key, type: keyField.type.kind });
  }
  const visited = new Set<AvroRecord>();
  const walk = (node: AvroNode): void => {
    if (node.kind === 'record') {
      if (visited.has(node)) return;
      visited.add(node);
      if (!RECORD_NAME.test(node.name)) {
        report('RECORD_NAME_CONVENTION', version.file, joinPointer(node.pointer, 'name'), `record name "${node.name}" is not PascalCase`, undefined, version.version, { recordName: node.name });
      }
      if (!node.doc) report('FIELD_UNDOCUMENTED', version.file, node.pointer, `record "${node.fullName}" has no "doc"`, 'describe the record in "doc"', version.version, { recordName: node.fullName });
      for (const field of node.fields) {
        if (!FIELD_NAME.test(field.name)) {
          report('FIELD_NAME_CONVENTION', version.file, joinPointer(field.pointer, 'name'), `field name "${field.name}" is not snake_case`, undefined, version.version, { field: field.name });
        }
        if (!field.doc) report('FIELD_UNDOCUMENTED', version.file, field.pointer, `field "${field.name}" has no "doc"`, 'describe the field in "doc"', version.version, { field: field.name });
        walk(field.type);
      }
    } else if (node.kind === 'enum') {
      node.symbols.forEach((s, i) => {
        if (!ENUM_SYMBOL.test(s)) {
          report('ENUM_SYMBOL_CONVENTION', version.file, joinPointer(node.pointer, 'symbols', i), `enum symbol "${s}" is not UPPER_SNAKE_CASE`, undefined, version.version, { symbol: s });
        }
      });
    } else if (node.kind === 'array') walk(node.items);
    else if (node.kind === 'map') walk(node.values);
    else if (node.kind === 'union') node.branches.forEach(walk);
  };
  walk(root);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The conventions of a JSON Schema version; a malformed node is skipped (parsing reported it). */
function checkJsonVersion(event: EventContract, version: ContractVersion, report: Report): void {
  const schema = version.schema;
  if (!isObject(schema)) return;
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  const key = properties[event.key];
  if (key === undefined) {
    report('KEY_FIELD_MISSING', version.file, '/properties', `key property "${event.key}" is not a property of the schema`, `add a "${event.key}" string property, or fix "key" in ${event.file}`, version.version, { field: event.key });
  } else if (!isObject(key) || key['type'] !== 'string' || !required.includes(event.key)) {
    report('KEY_FIELD_NOT_STRING', version.file, joinPointer('/properties', event.key), `key property "${event.key}" is not a required string`, 'give it "type": "string" and list it in "required"', version.version, { field: event.key });
  }
  if (typeof schema['description'] !== 'string') {
    report('FIELD_UNDOCUMENTED', version.file, '', 'the schema has no "description"', 'describe the event in "description"', version.version);
  }
  // Iterative: parsing bounded the depth, but the walk need not rely on it.
  const stack: Array<{ props: Record<string, unknown>; pointer: string }> = [{ props: properties, pointer: '/properties' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    for (const [name, prop] of Object.entries(item.props)) {
      const p = joinPointer(item.pointer, name);
      if (!FIELD_NAME.test(name)) report('FIELD_NAME_CONVENTION', version.file, p, `property name "${name}" is not snake_case`, undefined, version.version, { field: name });
      if (!isObject(prop)) continue;
      if (typeof prop['description'] !== 'string') {
        report('FIELD_UNDOCUMENTED', version.file, p, `property "${name}" has no "description"`, 'describe the property in "description"', version.version, { field: name });
      }
      if (isObject(prop['properties'])) stack.push({ props: prop['properties'], pointer: joinPointer(p, 'properties') });
    }
  }
}
