import type { AvroRule } from './rule.js';
import { sides } from './rule.js';

/** FIXED_SIZE_MISMATCH: a fixed type changed its size. */
export const fixedSizeMismatch: AvroRule = {
  id: 'FIXED_SIZE_MISMATCH',
  explain(inc, direction, version) {
    const s = sides(direction, version);
    const readerSize = inc.reader.kind === 'fixed' ? inc.reader.size : 0;
    const writerSize = inc.writer.kind === 'fixed' ? inc.writer.size : 0;
    return {
      message: `fixed "${inc.subject}" changed size: ${s.reader} read ${readerSize} bytes where ${s.writer} wrote ${writerSize}`,
      hint: `keep "size": ${direction === 'backward' ? writerSize : readerSize}, or add a new fixed type in a new field with a default`,
    };
  },
};
