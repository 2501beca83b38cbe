import type { Type } from 'avsc';
import { joinPointer } from '../diagnostics/json-pointer.js';
import type { LegacyEncoding, LegacyFieldMapping } from '../model/contract.js';
import { NovaError } from '../util/errors.js';
import { TIMESTAMP_MILLIS_LIMIT } from './avro-type.js';
import type { EventSpec } from './event-spec.js';
import { eventIdProblem, type EventHeaders, type EventIdStatus } from './headers.js';

/**
 * The platform's JSON events before nova-events, as pure functions: recognising a legacy
 * message (000's payload with an `event_type` header, 004's envelope), mapping its JSON into
 * the contract's first version, and writing a payload back in the legacy form for dual publish.
 * No I/O; the consumer and producer call these (see legacy-codec.ts for the cached edges).
 */

/** Rule id of legacy JSON that cannot be read at all: not UTF-8, not JSON, too large, too deep, not an object. */
export const LEGACY_UNDECODABLE = 'LEGACY_UNDECODABLE';
/** Rule id of a legacy payload one of whose fields cannot be mapped into the contract (the message names the field). */
export const LEGACY_UNMAPPABLE = 'LEGACY_UNMAPPABLE';
/** Rule id of a legacy message of an event whose contract does not allow that legacy encoding. */
export const LEGACY_ENCODING_NOT_ALLOWED = 'LEGACY_ENCODING_NOT_ALLOWED';
/** Rule id (of `validate`) of a legacy mapping that names a field the first version lacks. */
export const LEGACY_MAPPING_FIELD_UNKNOWN = 'LEGACY_MAPPING_FIELD_UNKNOWN';
/** Rule id (of `validate`) of a legacy mapping whose default or symbols the field's type cannot take. */
export const LEGACY_MAPPING_TYPE_MISMATCH = 'LEGACY_MAPPING_TYPE_MISMATCH';
/** Rule id (of `validate`) of a legacy publish type or topic the event does not declare. */
export const LEGACY_PUBLISH_TARGET_INVALID = 'LEGACY_PUBLISH_TARGET_INVALID';

/**
 * The header that marks a dual-published legacy copy. Its event was published in the same
 * batch in the contract's own encoding, so a nova-events consumer skips the copy instead of
 * handling the event twice; old consumers ignore the header.
 */
export const LEGACY_COPY_HEADER = 'nova_legacy_copy';

/** Bounds on untrusted legacy JSON. */
export interface LegacyLimits {
  /** Largest message, in bytes; 1 MiB by default (Kafka's default largest message). */
  readonly maxBytes: number;
  /** Deepest nesting of arrays and objects; 64 by default. */
  readonly maxDepth: number;
}

/** The default bounds on legacy JSON. */
export const DEFAULT_LEGACY_LIMITS: LegacyLimits = { maxBytes: 1024 * 1024, maxDepth: 64 };

/** A recognised legacy message: how it was encoded, the type it names, its payload. */
export interface LegacyMessage {
  readonly encoding: LegacyEncoding;
  /** The legacy (or catalog) event type: the envelope's `event_type`, else the header, else a payload `event_type` field. */
  readonly eventType: string | undefined;
  /** The event's fields (the envelope's `data`). */
  readonly data: Readonly<Record<string, unknown>>;
  /** The envelope's `id`, as sent (unchecked); undefined for a payload-only message. */
  readonly envelopeId?: unknown;
  /** True for a dual-published copy (LEGACY_COPY_HEADER). */
  readonly copy: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function undecodable(message: string, cause?: unknown): NovaError {
  return new NovaError(LEGACY_UNDECODABLE, message, { hint: 'legacy messages are UTF-8 JSON objects (000 payloads or 004 envelopes)', ...(cause !== undefined ? { cause } : {}) });
}

/** The deepest nesting of JSON text, counted without parsing (strings skipped); stops past `limit`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Parses untrusted JSON text within the limits; throws LEGACY_UNDECODABLE. */
function parseJsonText(text: string, limits: LegacyLimits, what: string): unknown {
  if (nestingDepth(text, limits.maxDepth) > limits.maxDepth) throw undecodable(`${what} is nested deeper than ${limits.maxDepth} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw undecodable(`${what} is not JSON: ${(cause as Error).message}`, cause);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/**
 * True when the bytes may be legacy JSON: a JSON object, so the first byte after JSON
 * whitespace is `{` (never the Confluent magic byte). Other bytes that are not a frame stay
 * UNDECODABLE_MESSAGE, as on any topic.
 */
export function mayBeLegacy(value: Buffer | null): value is Buffer {
  if (value === null) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c === 0x7b;
  }
  return false;
}

/**
 * Reads a message that is not a Confluent frame as legacy JSON. An object with a string
 * `event_type` and a `data` member is 004's envelope (`data` an object, or a JSON string as its
 * protobuf carries it); any other object is 000's payload, routed by its `event_type` header
 * (or, without one, by an `event_type` field inside it, as 002's tagged enums write). Throws
 * LEGACY_UNDECODABLE for bytes that are not a bounded UTF-8 JSON object; never anything else.
 */
export function readLegacyMessage(value: Buffer, headers: EventHeaders, limits: LegacyLimits = DEFAULT_LEGACY_LIMITS): LegacyMessage {
  if (value.length > limits.maxBytes) throw undecodable(`the legacy message has ${value.length} bytes, more than the ${limits.maxBytes} allowed`);
  let text: string;
  try {
    text = utf8.decode(value);
  } catch (cause) {
    throw undecodable('the legacy message is not UTF-8 text', cause);
  }
  const parsed = parseJsonText(text, limits, 'the legacy message');
  if (!isObject(parsed)) throw undecodable(`the legacy message is JSON but not an object (${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed})`);
  const copy = Object.hasOwn(headers.all, LEGACY_COPY_HEADER);
  const envelopeType = own(parsed, 'event_type');
  if (typeof envelopeType === 'string' && Object.hasOwn(parsed, 'data')) {
    let data = own(parsed, 'data');
    if (typeof data === 'string') data = parseJsonText(data, limits, "the envelope's data");
    if (!isObject(data)) throw undecodable(`the envelope's data is not an object`);
    return { encoding: 'json-envelope', eventType: envelopeType, data, envelopeId: own(parsed, 'id'), copy };
  }
  const tagged = typeof envelopeType === 'string' ? envelopeType : undefined;
  return { encoding: 'json-payload', eventType: headers.eventType ?? tagged, data: parsed, copy };
}

/** The framing of a message that is not a Confluent frame, read as legacy JSON: the message, or why it is not one. */
export function legacyFraming(value: Buffer, headers: EventHeaders, limits: LegacyLimits = DEFAULT_LEGACY_LIMITS): { readonly legacy: LegacyMessage } | { readonly error: unknown } {
  try {
    return { legacy: readLegacyMessage(value, headers, limits) };
  } catch (error) {
    return { error };
  }
}

/** The topics (catalog names) on which the catalog allows legacy JSON: each such event's topic and legacy topics. */
export function legacyTopicsOf(catalog: Readonly<Record<string, EventSpec>>): Set<string> {
  const topics = new Set<string>();
  for (const spec of Object.values(catalog)) {
    if (!spec.legacy || spec.legacy.encodings.length === 0) continue;
    topics.add(spec.topic);
    for (const topic of spec.legacyTopics) topics.add(topic);
  }
  return topics;
}

/** The event id of a legacy message: the envelope's `id` when it has one, else the headers' (`event_id`, `ce_id`). */
export function legacyEventId(message: LegacyMessage, headers: EventHeaders): { readonly eventId: string | undefined; readonly status: EventIdStatus; readonly problem: string | undefined } {
  if (message.envelopeId === undefined || message.envelopeId === null) return { eventId: headers.eventId, status: headers.eventIdStatus, problem: headers.eventIdProblem };
  const problem = eventIdProblem(message.envelopeId);
  return problem === undefined ? { eventId: message.envelopeId as string, status: 'valid', problem } : { eventId: undefined, status: 'invalid', problem: `the envelope's id: ${problem}` };
}

/** Why one value could not be mapped: where (a pointer into the legacy JSON) and what was expected. */
class MappingFailure extends Error {
  constructor(
    readonly pointer: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(expected);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)$/;

/** An ISO-8601 date-time with an offset (RFC 3339, as the seeds write) or epoch milliseconds, as a Date. */
function timestampOf(value: unknown, pointer: string): Date {
  let millis = Number.NaN;
  if (typeof value === 'string' && ISO_8601.test(value)) millis = Date.parse(value.replace(' ', 'T'));
  else if (typeof value === 'number' && Number.isSafeInteger(value)) millis = value;
  if (!(Math.abs(millis) <= TIMESTAMP_MILLIS_LIMIT)) throw new MappingFailure(pointer, 'an ISO-8601 date-time with an offset (e.g. "2025-01-15T10:30:00Z") or epoch milliseconds', value);
  return new Date(millis);
}

/** The enum symbol of a legacy value: the mapping's own table, else the value upper-cased (`"image"` -> `IMAGE`). */
function symbolOf(type: Type & { symbols: string[] }, value: unknown, pointer: string, symbols: Readonly<Record<string, string>> | undefined): string {
  if (typeof value === 'string') {
    const mapped = symbols !== undefined && Object.hasOwn(symbols, value) ? symbols[value]! : value.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    if (type.symbols.includes(mapped)) return mapped;
    // As an Avro reader does with a symbol it lacks: the enum's default, when it has one.
    const fallback = (type as unknown as { default?: string }).default;
    if (fallback !== undefined) return fallback;
  }
  throw new MappingFailure(pointer, `one of ${type.symbols.map((s) => JSON.stringify(s.toLowerCase())).join(', ')}`, value);
}

type AnyType = Type & Record<string, any>;

/**
 * Converts a legacy JSON value into the runtime's value of an Avro type (see AVRO_VALUE_MAPPING):
 * ISO-8601 strings to Dates for timestamp-millis, lower-case strings to enum symbols, JSON
 * numbers to longs, base64 to bytes. Recursion follows the schema, not the data, so its depth
 * is the schema's.
 */
function fromLegacy(type: AnyType, value: unknown, pointer: string, symbols?: Readonly<Record<string, string>>): unknown {
  const name: string = type.typeName;
  const fail = (expected: string): never => {
    throw new MappingFailure(pointer, expected, value);
  };
  switch (name) {
    case 'null':
      return value === null ? null : fail('null');
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('true or false');
    case 'int':
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31 ? value : fail('a 32-bit integer');
    case 'long':
    case 'abstract:long':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) {
        const big = BigInt(value);
        if (big >= -(2n ** 63n) && big < 2n ** 63n) return big;
      }
      return fail('a 64-bit integer');
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number');
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'bytes':
    case 'fixed':
      return typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64') : fail('base64 text');
    case 'enum':
      return symbolOf(type as AnyType & { symbols: string[] }, value, pointer, symbols);
    case 'array':
      if (!Array.isArray(value)) return fail('an array');
      return value.map((item, i) => fromLegacy(type.itemsType, item, joinPointer(pointer, i), symbols));
    case 'map':
      if (!isObject(value)) return fail('an object');
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromLegacy(type.valuesType, v, joinPointer(pointer, k), symbols)]));
    case 'record': {
      if (!isObject(value)) return fail('an object');
      const out: [string, unknown][] = [];
      for (const field of type.fields as FieldView[]) {
        const raw = own(value, field.name);
        if (raw === undefined || (raw === null && !acceptsNull(field.type))) {
          const fallback = field.defaultValue();
          if (fallback === undefined) throw new MappingFailure(joinPointer(pointer, field.name), 'a value (the field has no default)', raw);
          out.push([field.name, fallback]);
        } else out.push([field.name, fromLegacy(field.type, raw, joinPointer(pointer, field.name))]);
      }
      return Object.fromEntries(out);
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branches = type.types as AnyType[];
      if (value === null && branches.some((b) => b.typeName === 'null')) return null;
      let first: MappingFailure | undefined;
      for (const branch of branches) {
        if (branch.typeName === 'null') continue;
        try {
          const converted = fromLegacy(branch, value, pointer, symbols);
          return name === 'union:wrapped' ? { [branch.branchName as string]: converted } : converted;
        } catch (error) {
          if (!(error instanceof MappingFailure)) throw error;
          first ??= error;
        }
      }
      throw first ?? new MappingFailure(pointer, 'a value of the union', value);
    }
    case 'logical:timestamp-millis':
      return timestampOf(value, pointer);
    case 'logical:decimal':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : fail('a decimal number');
    default:
      if (name.startsWith('logical:')) return fromLegacy(type.underlyingType, value, pointer, symbols);
      return fail(`a value of type ${name}`);
  }
}

function acceptsNull(type: AnyType): boolean {
  return type.typeName === 'null' || ((type.typeName as string).startsWith('union:') && (type.types as AnyType[]).some((b) => b.typeName === 'null'));
}

/** The legacy JSON of a runtime value of an Avro type: the inverse of `fromLegacy`. */
function toLegacy(type: AnyType, value: unknown, symbols?: Readonly<Record<string, string>>): unknown {
  const name: string = type.typeName;
  switch (name) {
    case 'long':
    case 'abstract:long':
      return typeof value === 'bigint' ? (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value)) : value;
    case 'bytes':
    case 'fixed':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    case 'enum': {
      const legacy = symbols !== undefined ? Object.keys(symbols).find((k) => symbols[k] === value) : undefined;
      return legacy ?? (typeof value === 'string' ? value.toLowerCase() : value);
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => toLegacy(type.itemsType, item, symbols)) : value;
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toLegacy(type.valuesType, v, symbols)])) : value;
    case 'record':
      return isObject(value) ? Object.fromEntries((type.fields as FieldView[]).map((f) => [f.name, toLegacy(f.type, own(value, f.name))])) : value;
    case 'union:unwrapped': {
      if (value === null || value === undefined) return null;
      const branch = (type.types as AnyType[]).find((b) => b.typeName !== 'null' && b.isValid(value));
      return branch ? toLegacy(branch, value, symbols) : value;
    }
    case 'union:wrapped': {
      if (value === null || !isObject(value)) return null;
      const [branchName, inner] = Object.entries(value)[0] ?? [];
      const branch = (type.types as AnyType[]).find((b) => b.branchName === branchName);
      return branch ? toLegacy(branch, inner, symbols) : inner;
    }
    case 'logical:timestamp-millis':
      return value instanceof Date ? isoTimestamp(value) : value;
    default:
      return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
}

/** RFC 3339 in UTC as the seeds write it: `2025-01-15T10:30:00Z`, milliseconds only when there are some. */
export function isoTimestamp(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The fields of a record type (avsc), as the mapping sees them. */
interface FieldView {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly type: AnyType;
  defaultValue(): unknown;
}

function fieldsOf(type: Type): readonly FieldView[] {
  return ((type as AnyType).fields ?? []) as FieldView[];
}

/** The legacy names a first-version field is read from: the mapping's `from`, else its own name and aliases. */
export function legacyNames(field: { readonly name: string; readonly aliases?: readonly string[] }, mapping: LegacyFieldMapping | undefined): readonly string[] {
  return mapping?.from ?? [field.name, ...(field.aliases ?? [])];
}

function unmappable(spec: Pick<EventSpec, 'type'>, failure: MappingFailure, field: string, legacyName: string | undefined): NovaError {
  const source = legacyName !== undefined && legacyName !== field ? ` (from "${legacyName}")` : '';
  return new NovaError(LEGACY_UNMAPPABLE, `${spec.type}: field "${field}"${source} cannot be mapped: ${failure.pointer || '(the payload)'} is ${describe(failure.got)}, expected ${failure.expected}`, {
    pointer: failure.pointer,
    hint: `fix the legacy producer, or give "${field}" a default in legacy.fields of the contract`,
  });
}

/**
 * Maps a legacy Avro payload into the runtime value of the contract's first version (`first`):
 * each field from its first present legacy name, converted to its type; a field the JSON lacks
 * (or holds null for a non-null type) takes the mapping's default, else the schema's. Fields
 * the JSON has beyond the contract are ignored (legacy JSON is open). Throws LEGACY_UNMAPPABLE
 * naming the field.
 */
export function mapLegacyAvro(spec: Pick<EventSpec, 'type' | 'legacy'>, first: Type, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields = spec.legacy?.fields ?? {};
  const out: [string, unknown][] = [];
  for (const field of fieldsOf(first)) {
    const mapping = Object.hasOwn(fields, field.name) ? fields[field.name] : undefined;
    const legacyName = legacyNames(field, mapping).find((n) => own(data, n) !== undefined);
    const raw = legacyName !== undefined ? own(data, legacyName) : undefined;
    try {
      if (raw !== undefined && !(raw === null && !acceptsNull(field.type))) {
        out.push([field.name, fromLegacy(field.type, raw, joinPointer('', legacyName!), mapping?.symbols)]);
      } else if (mapping !== undefined && Object.hasOwn(mapping, 'default')) {
        out.push([field.name, fromLegacy(field.type, mapping.default, joinPointer('', field.name), mapping.symbols)]);
      } else {
        const fallback = field.defaultValue();
        if (fallback === undefined) throw new MappingFailure(joinPointer('', legacyNames(field, mapping)[0]!), 'a value (the field has no default)', raw);
        out.push([field.name, fallback]);
      }
    } catch (error) {
      if (error instanceof MappingFailure) throw unmappable(spec, error, field.name, legacyName);
      throw error;
    }
  }
  return Object.fromEntries(out);
}

/**
 * Writes a runtime value of the newest version (`newest`) in the legacy form of the first
 * version (`first`): each first-version field under its legacy name (the mapping's first
 * `from`), taken from the newest field of that name or the one that aliases it (a rename),
 * with ISO-8601 timestamps and lower-case enum values. Throws LEGACY_UNMAPPABLE when a
 * first-version field has neither a value nor a default.
 */
export function legacyAvroForm(spec: Pick<EventSpec, 'type' | 'legacy'>, first: Type, newest: Type, value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields = spec.legacy?.fields ?? {};
  const newestFields = fieldsOf(newest);
  const out: [string, unknown][] = [];
  for (const field of fieldsOf(first)) {
    const mapping = Object.hasOwn(fields, field.name) ? fields[field.name] : undefined;
    const source = newestFields.find((f) => f.name === field.name) ?? newestFields.find((f) => f.aliases.includes(field.name));
    let type = field.type;
    let fieldValue: unknown;
    if (source !== undefined) {
      type = source.type;
      fieldValue = own(value, source.name);
    } else fieldValue = field.defaultValue();
    if (fieldValue === undefined) {
      throw new NovaError(LEGACY_UNMAPPABLE, `${spec.type}: field "${field.name}" of version 1 has no value in the newest version and no default, so the legacy form cannot be written`, { pointer: joinPointer('', field.name) });
    }
    out.push([legacyNames(field, mapping)[0]!, toLegacy(type, fieldValue, mapping?.symbols)]);
  }
  return Object.fromEntries(out);
}

/** The property names of a JSON Schema's top level. */
function jsonProperties(schema: unknown): string[] {
  const properties = isObject(schema) ? schema['properties'] : undefined;
  return isObject(properties) ? Object.keys(properties) : [];
}

/** Maps a legacy payload of a JSON Schema event into its first version: renames and defaults (values stay JSON). */
export function mapLegacyJson(spec: Pick<EventSpec, 'legacy'>, firstSchema: unknown, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields = spec.legacy?.fields ?? {};
  const out: [string, unknown][] = [];
  for (const name of jsonProperties(firstSchema)) {
    const mapping = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const legacyName = legacyNames({ name }, mapping).find((n) => own(data, n) !== undefined);
    if (legacyName !== undefined) out.push([name, own(data, legacyName)]);
    else if (mapping !== undefined && Object.hasOwn(mapping, 'default')) out.push([name, mapping.default]);
  }
  return Object.fromEntries(out);
}

/** Writes a JSON Schema event's payload in its legacy form: the first version's properties under their legacy names. */
export function legacyJsonForm(spec: Pick<EventSpec, 'legacy'>, firstSchema: unknown, value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const fields = spec.legacy?.fields ?? {};
  const out: [string, unknown][] = [];
  for (const name of jsonProperties(firstSchema)) {
    const mapping = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const fieldValue = own(value, name);
    if (fieldValue !== undefined) out.push([legacyNames({ name }, mapping)[0]!, fieldValue]);
  }
  return Object.fromEntries(out);
}

/** A problem of a legacy mapping, found by `legacyMappingProblems`. */
export interface LegacyMappingProblem {
  readonly rule: typeof LEGACY_MAPPING_FIELD_UNKNOWN | typeof LEGACY_MAPPING_TYPE_MISMATCH;
  /** JSON pointer into the event's metadata file. */
  readonly pointer: string;
  readonly message: string;
}

/**
 * Checks an event's legacy mapping against its first version (avsc type for Avro, the schema
 * for JSON Schema): every mapped field exists, every default converts to the field's type,
 * symbol tables sit on enum fields and name the enum's symbols. Pure.
 */
export function legacyMappingProblems(fields: Readonly<Record<string, LegacyFieldMapping>>, first: { readonly avro: Type } | { readonly json: unknown }): LegacyMappingProblem[] {
  const problems: LegacyMappingProblem[] = [];
  const names = 'avro' in first ? fieldsOf(first.avro).map((f) => f.name) : jsonProperties(first.json);
  for (const [name, mapping] of Object.entries(fields)) {
    const pointer = joinPointer('/legacy/fields', name);
    if (!names.includes(name)) {
      problems.push({ rule: LEGACY_MAPPING_FIELD_UNKNOWN, pointer, message: `"${name}" is not a field of version 1 (the mapping's target); its fields are ${names.map((n) => `"${n}"`).join(', ')}` });
      continue;
    }
    if (!('avro' in first)) continue;
    const field = fieldsOf(first.avro).find((f) => f.name === name)!;
    if (Object.hasOwn(mapping, 'default')) {
      try {
        fromLegacy(field.type, mapping.default, '', mapping.symbols);
      } catch (error) {
        if (!(error instanceof MappingFailure)) throw error;
        problems.push({ rule: LEGACY_MAPPING_TYPE_MISMATCH, pointer: joinPointer(pointer, 'default'), message: `the default of "${name}" is ${describe(mapping.default)}, but the field takes ${error.expected}` });
      }
    }
    if (mapping.symbols !== undefined) {
      const enums = enumsOf(field.type);
      if (enums.length === 0) {
        problems.push({ rule: LEGACY_MAPPING_TYPE_MISMATCH, pointer: joinPointer(pointer, 'symbols'), message: `"${name}" is not an enum, so it has no symbols to map to` });
      } else {
        for (const [legacy, symbol] of Object.entries(mapping.symbols)) {
          if (!enums.some((e) => e.includes(symbol))) {
            problems.push({ rule: LEGACY_MAPPING_TYPE_MISMATCH, pointer: joinPointer(pointer, 'symbols', legacy), message: `"${symbol}" is not a symbol of "${name}" (${enums.flat().join(', ')})` });
          }
        }
      }
    }
  }
  return problems;
}

function enumsOf(type: AnyType): string[][] {
  const name: string = type.typeName;
  if (name === 'enum') return [type.symbols as string[]];
  if (name === 'array') return enumsOf(type.itemsType);
  if (name === 'map') return enumsOf(type.valuesType);
  if (name.startsWith('union:')) return (type.types as AnyType[]).flatMap(enumsOf);
  return [];
}
