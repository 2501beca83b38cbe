import { expect, it } from 'vitest';
import { checkCompatibility } from '../../../src/tooling.js';
import type { CompatibilityLevel, SchemaType } from '../../../src/model/contract.js';
import { describeOracle } from '../../support/oracles.js';

interface LevelRow {
  id: string;
  schemaType: SchemaType;
  level: CompatibilityLevel;
  new_schema: unknown;
  previous_schemas: unknown[];
  compatible: boolean;
  asserted?: boolean;
  schemacompatibility_would_differ?: boolean;
}

describeOracle<LevelRow>('compat-levels.json', 'compat-levels.json (levels over version histories)', (rows) => {
  // The oracle README: rows flagged schemacompatibility_would_differ or asserted: false assert
  // nothing about the check Confluent runs.
  const asserted = rows.filter((r) => !r.schemacompatibility_would_differ && r.asserted !== false);

  it('keeps the asserted rows', () => {
    expect(asserted.length).toBe(rows.length - 8);
  });

  it.each(asserted.map((r) => [r.id, r] as const))('%s', (_id, row) => {
    const result = checkCompatibility({
      schemaType: row.schemaType,
      level: row.level,
      previous: row.previous_schemas as object[],
      candidate: row.new_schema as object,
    });
    expect(result.compatible).toBe(row.compatible);
    expect(result.findings.length === 0).toBe(row.compatible);
  });
});
