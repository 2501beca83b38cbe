import { expect, it } from 'vitest';
import { checkReaderWriter } from '../../../src/compat/avro/checker.js';
import { parseAvroSchema } from '../../../src/formats/avro/schema.js';
import { describeOracle } from '../../support/oracles.js';

interface AvroCompatRow {
  id: string;
  reader: unknown;
  writer: unknown;
  compatible: boolean;
  tier: string;
  incompatibilities?: Array<{ type: string; location: string; message?: string }>;
}

/** Rows we are sure are wrong for Confluent's current behaviour, with the reason. */
const EXCEPTIONS: Record<string, string> = {};

describeOracle<AvroCompatRow>('avro-compat.json', 'avro-compat.json (Apache Avro, avsc, fastavro vectors)', (rows) => {
  const confluentTiers = rows.filter((r) => /^(A|A-|B):/.test(r.tier));

  it('has the tier A, A- and B rows', () => {
    expect(confluentTiers.length).toBe(236);
  });

  it.each(confluentTiers.filter((r) => !(r.id in EXCEPTIONS)).map((r) => [r.id, r] as const))('%s', (_id, row) => {
    const result = checkReaderWriter(parseAvroSchema(row.reader).root, parseAvroSchema(row.writer).root);
    expect(result.length === 0).toBe(row.compatible);
    if (row.incompatibilities && row.incompatibilities.length > 0) {
      const actual = result.map((i, n) => ({
        type: i.type,
        location: i.location,
        ...(row.incompatibilities?.[n]?.message !== undefined ? { message: i.avroMessage } : {}),
      }));
      expect(actual).toEqual(row.incompatibilities ?? []);
    }
  });
});
