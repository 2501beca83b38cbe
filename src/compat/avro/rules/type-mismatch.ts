import type { AvroNode } from '../../../formats/avro/schema.js';
import { typeLabel } from '../../../formats/avro/schema.js';
import type { AvroRule } from './rule.js';
import { sides } from './rule.js';

/**
 * The promotions Avro resolution allows from a writer type to a different reader type:
 * int -> long -> float -> double, and string <-> bytes. Nothing else changes type.
 */
const PROMOTIONS: Partial<Record<AvroNode['kind'], ReadonlyArray<AvroNode['kind']>>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

/** Whether a reader of kind `reader` can read a writer of the different kind `writer`. */
export function isPromotion(reader: AvroNode['kind'], writer: AvroNode['kind']): boolean {
  return PROMOTIONS[reader]?.includes(writer) ?? false;
}

/** TYPE_MISMATCH: the types differ and no promotion applies. */
export const typeMismatch: AvroRule = {
  id: 'TYPE_MISMATCH',
  explain(inc, direction, version) {
    const s = sides(direction, version);
    const where = inc.subject ? `"${inc.subject}" ` : '';
    return {
      message: `${where}changed type: ${s.reader} read ${typeLabel(inc.reader)} where ${s.writer} wrote ${typeLabel(inc.writer)}`,
      hint:
        direction === 'backward'
          ? `keep ${typeLabel(inc.writer)}, widen along int→long→float→double, or add a new field with a default instead`
          : `keep ${typeLabel(inc.reader)}, or add a new field with a default instead`,
    };
  },
};
