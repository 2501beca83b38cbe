import type { AvroRule } from './rule.js';
import { sides } from './rule.js';

/**
 * READER_FIELD_AMBIGUOUS: a reader field matches several writer fields (by its name and its
 * aliases). Avro Java throws instead of choosing one, so the registry cannot accept the pair.
 */
export const readerFieldAmbiguous: AvroRule = {
  id: 'READER_FIELD_AMBIGUOUS',
  explain(inc, direction, version) {
    const s = sides(direction, version);
    return {
      message: `field "${inc.subject}" of ${s.reader} matched the fields ${inc.avroMessage} of ${s.writer} by its name and aliases, which Avro Java refuses to resolve`,
      hint: `keep only the alias that names the one field "${inc.subject}" should be read from`,
    };
  },
};
