import { expect, it } from 'vitest';
import { avroType, resolverOptions } from '../../../src/runtime/avro-type.js';
import { encode, toTestJson } from '../../support/avro-test-json.js';
import { describeOracle } from '../../support/oracles.js';

interface EncodingRow { id: string; schema: unknown; datum: unknown; hex: string; note?: string }
interface ResolutionRow { id: string; writer: unknown; reader: unknown; datum: unknown; expected?: unknown; ok: boolean; note?: string }

/**
 * Rows where the runtime knowingly differs from the row's source, with the reason. Everything
 * else must agree exactly.
 */
const RESOLUTION_DIFFERENCES: Record<string, string> = {
  'TestSchemaCompatibility/DECODING_COMPATIBILITY_TEST_CASES/04': 'an int read as float keeps its exact value; Java rounds to float32 (16777217 -> 16777216)',
  'TestSchemaCompatibility/DECODING_COMPATIBILITY_TEST_CASES/09': 'avsc resolves every branch of a writer union up front; Java fails only on a datum of the unreadable branch',
  'TestSchemaCompatibility/DECODING_COMPATIBILITY_TEST_CASES/10': 'same as /09: a writer union branch the reader cannot read fails at resolver creation',
  'fastavro/test_bytes_writer_string_reader/20': 'bytes that are not UTF-8 read as a string decode with U+FFFD replacement; Python raises',
  'fastavro/test_union_of_schemas_evolution/10': 'the datum is a union of two records given without a branch name; the runtime wraps ambiguous unions ({"ns.Name": value}), so the row cannot be written as given',
  'fastavro/test_alias_in_union/38': 'the expected value is unwrapped; the runtime gives an ambiguous union (two records) wrapped as {"the.new.namespace.MessageB": {...}}',
  'fastavro/test_record_name_alias/33': 'aliases given as a string: fastavro only; the Avro specification requires an array',
  'fastavro/test_fixed_name_alias/34': 'aliases given as a string: fastavro only',
  'fastavro/test_enum_name_alias/35': 'aliases given as a string: fastavro only',
};

describeOracle<EncodingRow>('avro-encoding.json', 'Avro binary encoding (avro-encoding.json)', (encoding) => {
  it.each(encoding.map((row) => [row.id, row] as const))('%s', (_id, row) => {
    expect(encode(row.schema, row.datum).toString('hex')).toBe(row.hex);
  });
});

describeOracle<ResolutionRow>('avro-resolution.json', 'Avro schema resolution (avro-resolution.json)', (rows) => {
  const resolution = rows.filter((row) => !JSON.stringify(row.datum ?? null).includes('<any generated'));
  const agreed = resolution.filter((row) => RESOLUTION_DIFFERENCES[row.id] === undefined);
  it.each(agreed.map((row) => [row.id, row] as const))('%s', (_id, row) => {
    const writer = avroType(row.writer);
    const reader = avroType(row.reader);
    const decode = () => reader.fromBuffer(encode(row.writer, row.datum), reader.createResolver(writer, resolverOptions()));
    if (row.ok) expect(toTestJson(decode())).toEqual(row.expected);
    else expect(decode).toThrow();
  });

  it('lists only real rows as known differences', () => {
    const ids = new Set(resolution.map((row) => row.id));
    expect(Object.keys(RESOLUTION_DIFFERENCES).filter((id) => !ids.has(id))).toEqual([]);
  });
});
