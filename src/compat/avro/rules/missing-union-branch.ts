import { typeLabel } from '../../../formats/avro/schema.js';
import type { AvroRule } from './rule.js';
import { sides } from './rule.js';

/** MISSING_UNION_BRANCH: the writer can write a type that no branch of the reader's union reads. */
export const missingUnionBranch: AvroRule = {
  id: 'MISSING_UNION_BRANCH',
  explain(inc, direction, version) {
    const s = sides(direction, version);
    const where = inc.subject ? `"${inc.subject}" ` : '';
    return {
      message: `${where}union of ${s.reader} had no branch for ${typeLabel(inc.writer)}, which ${s.writer} could write`,
      hint: direction === 'backward' ? `keep the ${typeLabel(inc.writer)} branch in the union` : `do not add the ${typeLabel(inc.writer)} branch under this level`,
    };
  },
};
