import type { AvroRule } from './rule.js';
import { sides } from './rule.js';

/** MISSING_ENUM_SYMBOLS: the writer can send a symbol the reader does not know (and the reader enum has no default). */
export const missingEnumSymbols: AvroRule = {
  id: 'MISSING_ENUM_SYMBOLS',
  explain(inc, direction, version) {
    const s = sides(direction, version);
    return {
      message:
        direction === 'backward'
          ? `enum "${inc.subject}" lost the symbols ${inc.avroMessage} that ${s.writer} could write`
          : `enum "${inc.subject}" gained the symbols ${inc.avroMessage} that ${s.reader} does not know`,
      hint:
        direction === 'backward'
          ? 'keep the removed symbols, or give the enum a "default" symbol'
          : `give the enum a "default" symbol in ${version} (then unknown symbols read as it), or do not add symbols under this level`,
    };
  },
};
