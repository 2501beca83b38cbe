import type { Type } from 'avsc';
import type { ValidateFunction } from 'ajv';
import { joinPointer, splitPointer } from '../diagnostics/json-pointer.js';
import { avroCanonicalForm } from '../formats/avro/canonical.js';
import { ajvFor, jsonSchemaDraft } from '../formats/json-schema/parse.js';
import { NovaError } from '../util/errors.js';
import { compileAvroReader } from './avro-reader.js';
import { avroType, avroTypeName, resolverOptions } from './avro-type.js';
import type { EventSpec, EventVersionSpec } from './event-spec.js';
import { UNDECODABLE, WIRE_HEADER_SIZE, writeWireHeader } from './wire-format.js';
import type { RuleId } from '../diagnostics/rules.js';

/** Rule id of a payload that does not match its contract. */
export const PAYLOAD_INVALID = 'PAYLOAD_INVALID' satisfies RuleId;

/** Encodes payloads of one event version into Confluent-framed bytes. */
export interface Encoder {
  readonly schemaId: number;
  readonly version: number;
  encode(payload: unknown): Buffer;
}

/** Decodes Confluent-framed bytes written with one schema id into the reader's shape. */
export interface Decoder {
  /** The contract version the writer used, when the writer schema is one of the catalog's. */
  readonly writerVersion: number | undefined;
  decode(message: Buffer): unknown;
}

/** A writer schema fetched from the registry by id. */
export interface WriterSchema {
  readonly schemaType: 'AVRO' | 'JSON';
  readonly schema: string;
}

const SLAB_SIZE = 256 * 1024;
/**
 * Encoded messages are views into a shared slab, like Node's own Buffer pool: each message
 * owns its bytes (the offset only moves forward), so encoding costs no allocation and no copy.
 * A full slab is replaced, and lives until its last message is collected.
 */
let slab = Buffer.allocUnsafe(SLAB_SIZE);
let slabOffset = 0;

function takeSlab(minimum: number): void {
  slab = Buffer.allocUnsafe(Math.max(SLAB_SIZE, minimum));
  slabOffset = 0;
}

function avroInvalid(spec: EventSpec, version: number, type: Type, payload: unknown, cause: unknown): NovaError {
  const problems: { pointer: string; text: string }[] = [];
  try {
    type.isValid(payload, {
      errorHook: (path, value, at) => {
        const pointer = joinPointer('', ...path);
        problems.push({ pointer, text: `${pointer || '(the payload)'}: ${value === undefined ? 'missing' : `got ${describe(value)}`}, expected ${avroTypeName(at)}` });
      },
    });
  } catch {
    // The explanation is best effort; the encoder's refusal stands.
  }
  const detail = problems.slice(0, 5).map((p) => p.text).join('; ') || `rejected by the encoder: ${(cause as Error).message}`;
  return new NovaError(PAYLOAD_INVALID, `${spec.type} v${version}: the payload does not match the contract (${detail})`, {
    pointer: problems[0]?.pointer ?? '',
    hint: `see the generated type of ${spec.type}`,
    cause,
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an Invalid Date' : 'a Date';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : value instanceof Map ? 'a Map' : 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Caches every parsed schema, encoder, decoder and JSON validator, so that no message pays for
 * a parse: reader types by (event type, version), writer types by schema id, resolvers by
 * (writer id, event type, reader version).
 */
export class CodecCache {
  private readonly readerTypes = new Map<string, Type>();
  private readonly writerTypes = new Map<number, Type>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly decoders = new Map<string, Decoder>();

  /** The encoder of one version of an event, under the schema id the registry gave it. */
  encoder(spec: EventSpec, version: EventVersionSpec, schemaId: number): Encoder {
    return spec.schemaType === 'AVRO' ? this.avroEncoder(spec, version, schemaId) : this.jsonEncoder(spec, version, schemaId);
  }

  /** The decoder of messages written with `writerId` into `reader` (a version of `spec`). */
  decoder(spec: EventSpec, reader: EventVersionSpec, writerId: number, writer: WriterSchema): Decoder {
    const key = `${writerId}|${spec.type}@${reader.version}`;
    let decoder = this.decoders.get(key);
    if (!decoder) {
      decoder = spec.schemaType === 'AVRO' ? this.avroDecoder(spec, reader, writerId, writer) : this.jsonDecoder(spec, reader, writer);
      this.decoders.set(key, decoder);
    }
    return decoder;
  }

  /** The avsc type of one catalog version, parsed once. */
  readerType(spec: EventSpec, version: EventVersionSpec): Type {
    const key = `${spec.type}@${version.version}`;
    let type = this.readerTypes.get(key);
    if (!type) {
      type = avroType(JSON.parse(version.schema));
      this.readerTypes.set(key, type);
    }
    return type;
  }

  private validator(spec: EventSpec, version: EventVersionSpec): ValidateFunction {
    const key = `${spec.type}@${version.version}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const schema = JSON.parse(version.schema) as object;
      validate = ajvFor(jsonSchemaDraft(schema)).compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private avroEncoder(spec: EventSpec, version: EventVersionSpec, schemaId: number): Encoder {
    const type = this.readerType(spec, version);
    return {
      schemaId,
      version: version.version,
      encode(payload: unknown): Buffer {
        if (SLAB_SIZE - slabOffset < 1024) takeSlab(SLAB_SIZE);
        let end: number;
        try {
          end = type.encode(payload, slab, slabOffset + WIRE_HEADER_SIZE);
        } catch (cause) {
          throw avroInvalid(spec, version.version, type, payload, cause);
        }
        if (end < 0) {
          // Did not fit: `-end` more bytes were needed.
          takeSlab(slab.length - slabOffset - end + WIRE_HEADER_SIZE);
          end = type.encode(payload, slab, WIRE_HEADER_SIZE);
        }
        const out = slab.subarray(slabOffset, end);
        writeWireHeader(out, schemaId);
        slabOffset = (end + 7) & ~7;
        return out;
      },
    };
  }

  private jsonEncoder(spec: EventSpec, version: EventVersionSpec, schemaId: number): Encoder {
    const validate = this.validator(spec, version);
    return {
      schemaId,
      version: version.version,
      encode(payload: unknown): Buffer {
        const json = jsonText(spec, version.version, payload);
        // What is validated is what is written: toJSON() results, and Infinity/NaN as null.
        if (!validate(JSON.parse(json))) throw jsonInvalid(spec, version.version, validate, payload);
        const out = Buffer.allocUnsafe(WIRE_HEADER_SIZE + Buffer.byteLength(json));
        writeWireHeader(out, schemaId);
        out.write(json, WIRE_HEADER_SIZE, 'utf8');
        return out;
      },
    };
  }

  private avroDecoder(spec: EventSpec, reader: EventVersionSpec, writerId: number, writer: WriterSchema): Decoder {
    if (writer.schemaType !== 'AVRO') throw new NovaError(UNDECODABLE, `schema id ${writerId} is ${writer.schemaType}, but ${spec.type} is an Avro event`);
    const readerType = this.readerType(spec, reader);
    const writerVersion = writerVersionOf(spec, writer);
    let writerType = readerType;
    if (writerVersion !== reader.version) {
      writerType = this.writerType(writerId, writer);
      try {
        // avsc decides what resolves (the reader below follows its resolution).
        readerType.createResolver(writerType, resolverOptions());
      } catch (cause) {
        throw new NovaError(UNDECODABLE, `schema id ${writerId} cannot be read as ${spec.type} v${reader.version}: ${(cause as Error).message}`, { cause });
      }
    }
    const avroReader = compileAvroReader(readerType, writerType, `the Avro payload of ${spec.type} (schema id ${writerId})`);
    return {
      writerVersion,
      decode: (message: Buffer): unknown => avroReader.read(message, WIRE_HEADER_SIZE),
    };
  }

  private jsonDecoder(spec: EventSpec, reader: EventVersionSpec, writer: WriterSchema): Decoder {
    const validate = this.validator(spec, reader);
    const writerVersion = spec.versions.find((v) => v.schema === writer.schema)?.version;
    return {
      writerVersion,
      decode(message: Buffer): unknown {
        let value: unknown;
        try {
          value = JSON.parse(message.toString('utf8', WIRE_HEADER_SIZE));
        } catch (cause) {
          throw new NovaError(UNDECODABLE, `the JSON payload of ${spec.type} is not JSON: ${(cause as Error).message}`, { cause });
        }
        // JSON.parse reads 1e400 as Infinity, which every JSON Schema number check accepts.
        const infinite = firstPointer(value, isNonFinite);
        if (infinite !== undefined) {
          throw new NovaError(UNDECODABLE, `the JSON payload of ${spec.type} holds a number beyond the double range at ${infinite || '(the payload)'}`, { pointer: infinite });
        }
        if (!validate(value)) {
          const invalid = jsonInvalid(spec, reader.version, validate);
          throw new NovaError(UNDECODABLE, invalid.message, { pointer: invalid.pointer ?? '', hint: invalid.hint ?? '' });
        }
        return value;
      },
    };
  }

  private writerType(id: number, writer: WriterSchema): Type {
    let type = this.writerTypes.get(id);
    if (!type) {
      type = avroType(JSON.parse(writer.schema));
      this.writerTypes.set(id, type);
    }
    return type;
  }
}

/** Why the written value differs from the given one at `pointer`, when it does. */
function written(payload: unknown, pointer: string): string {
  if (payload === undefined) return '';
  let value: unknown = payload;
  for (const token of splitPointer(pointer)) {
    if (typeof value !== 'object' || value === null) return '';
    value = (value as Record<string, unknown>)[token];
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return ` (${value} is written as null: JSON has no such number)`;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') return ' (validated as its toJSON() result, which is what is written)';
  return '';
}

function writerVersionOf(spec: EventSpec, writer: WriterSchema): number | undefined {
  const exact = spec.versions.find((v) => v.schema === writer.schema);
  if (exact) return exact.version;
  const canonical = avroCanonicalForm(JSON.parse(writer.schema));
  return spec.versions.find((v) => v.canonical === canonical)?.version;
}

/** The JSON text of a payload; PAYLOAD_INVALID for what JSON cannot hold (bigint, cycles, nothing). */
function jsonText(spec: EventSpec, version: number, payload: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload) as string | undefined;
  } catch (cause) {
    const pointer = firstPointer(payload, (v) => typeof v === 'bigint') ?? '';
    throw new NovaError(PAYLOAD_INVALID, `${spec.type} v${version}: the payload has no JSON form (${(cause as Error).message})`, { pointer, hint: 'use numbers, strings, booleans, null, arrays and plain objects', cause });
  }
  if (json === undefined) throw new NovaError(PAYLOAD_INVALID, `${spec.type} v${version}: the payload has no JSON form`, { pointer: '' });
  return json;
}

/**
 * The pointer of the first value inside `value` that passes `test`, or undefined. Iterative (a
 * deeply nested payload must not overflow the stack) and safe on cycles.
 */
function firstPointer(value: unknown, test: (value: unknown) => boolean): string | undefined {
  const stack: { value: unknown; pointer: string }[] = [{ value, pointer: '' }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value: v, pointer } = stack.pop()!;
    if (test(v)) return pointer;
    if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      for (const [key, child] of Object.entries(v).reverse()) stack.push({ value: child, pointer: joinPointer(pointer, key) });
    }
  }
  return undefined;
}

const isNonFinite = (v: unknown): boolean => typeof v === 'number' && !Number.isFinite(v);

function jsonInvalid(spec: EventSpec, version: number, validate: ValidateFunction, payload?: unknown): NovaError {
  const errors = validate.errors ?? [];
  const detail = errors.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${written(payload, e.instancePath)}`);
  return new NovaError(PAYLOAD_INVALID, `${spec.type} v${version}: the payload does not match the contract (${detail.join('; ')})`, {
    pointer: errors[0]?.instancePath ?? '',
    hint: `see the JSON Schema of ${spec.type} v${version}`,
  });
}
