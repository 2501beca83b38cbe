import avro, { type Schema } from 'avsc';
import { avroType } from '../../src/runtime/avro-type.js';

/** Test data writes some values in Avro's JSON encoding: `{"branch": value}` for unions, `{"$bytes_hex": ...}` for bytes. */
export function fromTestJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromTestJson);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === '$bytes_hex') return Buffer.from(entries[0]![1] as string, 'hex');
  const { $branch, $value } = value as { $branch?: string; $value?: unknown };
  if ($branch !== undefined) return { [$branch]: fromTestJson($value) };
  return Object.fromEntries(entries.map(([k, v]) => [k, fromTestJson(v)]));
}

/** The bytes of a row's datum written with its schema (the runtime's mapping, else wrapped unions). */
export function encode(schema: unknown, datum: unknown): Buffer {
  const type = avroType(schema);
  const value = fromTestJson(datum);
  if (type.isValid(value)) return type.toBuffer(value);
  // Same bytes, from the Avro JSON encoding's wrapped union values.
  return avro.Type.forSchema(schema as Schema, { wrapUnions: true }).toBuffer(value);
}

/** Decoded values in the rows' JSON terms: longs as numbers, bytes as `$bytes_hex`. */
export function toTestJson(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return { $bytes_hex: value.toString('hex') };
  if (Array.isArray(value)) return value.map(toTestJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTestJson(v)]));
  return value;
}
