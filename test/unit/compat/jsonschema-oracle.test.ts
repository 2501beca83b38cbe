import { expect, it } from 'vitest';
import { diffJsonSchemas } from '../../../src/compat/json/schema-diff.js';
import { loadJsonSchema } from '../../../src/formats/json-schema/model.js';
import { describeOracle } from '../../support/oracles.js';

interface JsonCompatRow {
  id: string;
  original_schema: unknown;
  update_schema: unknown;
  changes?: string[];
  compatible: boolean;
  compatible_lenient?: boolean;
  asserted?: unknown;
}

/** Rows we are sure do not describe Confluent's current behaviour, with the reason. */
const EXCEPTIONS: Record<string, string> = {};

/**
 * Rows whose verdict we match but whose listed differences we do not: Confluent's 2020-12
 * expectation file lists no difference where the keyword visibly changed (a new `$id`, a removed
 * `maxProperties`, `minProperties`, `minContains`, or `additionalProperties: false`), while the
 * draft-07 file lists ID_CHANGED, MAX_PROPERTIES_REMOVED, ... for the same pairs. Every one of
 * these differences is compatible, so the verdict (compatible) is the same either way, and we
 * report the difference as the draft-07 rows do.
 */
const CHANGE_LIST_EXCEPTIONS: Record<string, string> = {
  'confluent-json/diff-schema-examples-2020-12/001': 'ID_CHANGED not listed for 2020-12',
  'confluent-json/diff-schema-examples-2020-12/058': 'MAX_PROPERTIES_REMOVED not listed for 2020-12',
  'confluent-json/diff-schema-examples-2020-12/061': 'MIN_PROPERTIES_REMOVED not listed for 2020-12',
  'confluent-json/diff-schema-examples-2020-12/082': 'MIN_CONTAINS_REMOVED not listed for 2020-12',
  'confluent-json/diff-schema-examples-2020-12/089': 'ADDITIONAL_PROPERTIES_ADDED not listed for 2020-12',
};

describeOracle<JsonCompatRow>('jsonschema-compat.json', 'jsonschema-compat.json (Confluent JSON Schema diff vectors)', (all) => {
  const rows = all.filter((r) => !(r.id in EXCEPTIONS));
  it.each(rows.map((r) => [r.id, r] as const))('%s', (_id, row) => {
    const strict = diffJsonSchemas(loadJsonSchema(row.original_schema), loadJsonSchema(row.update_schema), 'STRICT');
    const lenient = diffJsonSchemas(loadJsonSchema(row.original_schema), loadJsonSchema(row.update_schema), 'LENIENT');
    const verdicts = { strict: strict.compatible, lenient: lenient.compatible };
    expect(verdicts).toEqual({ strict: row.compatible, lenient: row.compatible_lenient ?? row.compatible });
    if (row.changes && !(row.id in CHANGE_LIST_EXCEPTIONS)) {
      expect(strict.differences.map((d) => `${d.type} ${d.path}`).sort()).toEqual([...row.changes].sort());
    }
  });
});
