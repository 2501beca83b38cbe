import { expect, it } from 'vitest';
import { compileAvroReader } from '../../../src/runtime/avro-reader.js';
import { avroType, resolverOptions } from '../../../src/runtime/avro-type.js';
import { encode } from '../../support/avro-test-json.js';
import { describeOracle } from '../../support/oracles.js';

interface EncodingRow { id: string; schema: unknown; hex: string }
interface ResolutionRow { id: string; writer: unknown; reader: unknown; datum: unknown }


/** The value, or the fact that it threw (what it threw differs between the two readers). */
function outcome(read: () => unknown): unknown {
  try {
    return { value: read() };
  } catch {
    return 'throws';
  }
}

/**
 * The codec's generated readers against avsc's own reads of the same rows (avro-oracles.test.ts
 * proves avsc against the rows): the same value for every row, or both refuse it.
 */
describeOracle<EncodingRow>('avro-encoding.json', 'the bounded reader reads every encoding row as avsc does', (encoding) => {
  it.each(encoding.map((row) => [row.id, row] as const))('encoding %s', (_id, row) => {
    const type = avroType(row.schema);
    const bytes = Buffer.from(row.hex, 'hex');
    expect(outcome(() => compileAvroReader(type, type).read(bytes, 0))).toEqual(outcome(() => type.fromBuffer(bytes)));
  });
});

describeOracle<ResolutionRow>('avro-resolution.json', 'the bounded reader resolves every resolution row as avsc does', (rows) => {
  const resolution = rows.filter((row) => !JSON.stringify(row.datum ?? null).includes('<any generated'));

  it.each(resolution.map((row) => [row.id, row] as const))('resolution %s', (_id, row) => {
    let writer, reader, resolver, bytes;
    try {
      writer = avroType(row.writer);
      reader = avroType(row.reader);
      resolver = reader.createResolver(writer, resolverOptions());
      bytes = encode(row.writer, row.datum);
    } catch {
      // Refused before any message, as the codec refuses it (codec.ts), or a row the runtime
      // cannot write (the known differences in avro-oracles.test.ts).
      return;
    }
    expect(outcome(() => compileAvroReader(reader, writer).read(bytes, 0))).toEqual(outcome(() => reader.fromBuffer(bytes, resolver)));
  });
});
