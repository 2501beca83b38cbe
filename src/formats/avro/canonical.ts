import avro from 'avsc';
import type { Schema } from 'avsc';

/**
 * Avro's Parsing Canonical Form of a schema: full names, no docs, defaults, aliases or
 * logical types, and fields in a fixed order. Two schemas with the same canonical form encode
 * the same bytes. Throws on an invalid schema.
 */
export function avroCanonicalForm(schema: unknown): string {
  return JSON.stringify(avro.Type.forSchema(schema as Schema, { wrapUnions: 'auto' }).schema());
}
