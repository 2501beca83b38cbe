import { describe, expect, it } from 'vitest';
import { AvroTypeMapper } from '../../../src/codegen/avro-to-ts.js';
import { DeclarationSet } from '../../../src/codegen/declarations.js';
import { parseAvroSchema } from '../../../src/formats/avro/schema.js';
import { avroType } from '../../../src/runtime/avro-type.js';

/** What the runtime hands a handler, named as the generated type names it. */
function runtimeShape(value: unknown): string {
  if (value instanceof Date) return 'Date';
  if (Buffer.isBuffer(value)) return 'Buffer';
  return typeof value === 'bigint' ? 'bigint' : typeof value;
}

// Each field type with a value the writer may send (in the runtime's representation of the
// schema with its logical type valid or ignored, whichever applies) and the expected mapping.
const cases: Array<[string, Record<string, unknown>, unknown, string, boolean]> = [
  ['decimal', { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }, '12.30', 'string', true],
  ['decimal with scale > precision', { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 4 }, Buffer.from([1]), 'Buffer', false],
  ['decimal without precision', { type: 'bytes', logicalType: 'decimal', scale: 1 }, Buffer.from([1]), 'Buffer', false],
  ['decimal with a fractional scale', { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 1.5 }, Buffer.from([1]), 'Buffer', false],
  ['decimal on a fixed', { type: 'fixed', name: 'Money', size: 4, logicalType: 'decimal', precision: 9, scale: 2 }, '1.25', 'string', true],
  ['decimal too wide for its fixed', { type: 'fixed', name: 'Tiny', size: 2, logicalType: 'decimal', precision: 9 }, Buffer.from([0, 1]), 'Buffer', false],
  ['decimal on a string', { type: 'string', logicalType: 'decimal', precision: 4 }, '12', 'string', false],
  ['timestamp-millis', { type: 'long', logicalType: 'timestamp-millis' }, new Date(5), 'Date', true],
  ['timestamp-millis on a string', { type: 'string', logicalType: 'timestamp-millis' }, '2026-01-01', 'string', false],
  ['timestamp-millis on an int', { type: 'int', logicalType: 'timestamp-millis' }, 7, 'number', false],
  ['uuid', { type: 'string', logicalType: 'uuid' }, 'x', 'string', true],
];

describe('invalid logical types: codegen, runtime and validation agree with Avro Java (ignored, read as the underlying type)', () => {
  it.each(cases)('%s', (_name, type, value, expected, valid) => {
    const schema = { type: 'record', name: 'R', fields: [{ name: 'v', type }] };
    const parsed = parseAvroSchema(schema);
    expect(parsed.problems).toEqual([]);
    expect(parsed.warnings.map((w) => w.rule)).toEqual(valid ? [] : ['AVRO_LOGICAL_TYPE_INVALID']);
    if (parsed.root.kind !== 'record') throw new Error('expected a record');
    const generated = new AvroTypeMapper(new DeclarationSet(), 'R').typeOf(parsed.root.fields[0]!.type);
    expect(generated).toBe(expected);
    const runtime = avroType(schema);
    const decoded = (runtime.fromBuffer(runtime.toBuffer({ v: value })) as { v: unknown }).v;
    expect(runtimeShape(decoded)).toBe(expected);
  });
});
