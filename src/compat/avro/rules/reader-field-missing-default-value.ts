import type { AvroRule } from './rule.js';

/** READER_FIELD_MISSING_DEFAULT_VALUE: the reader has a field the writer lacks, and no default to fill it. */
export const readerFieldMissingDefaultValue: AvroRule = {
  id: 'READER_FIELD_MISSING_DEFAULT_VALUE',
  explain(inc, direction, version) {
    return direction === 'backward'
      ? {
          message: `field "${inc.subject}" was added without a default, so records written with ${version} cannot be read`,
          hint: `add a "default" to "${inc.subject}" (for an optional field: "type": ["null", …], "default": null)`,
        }
      : {
          message: `field "${inc.subject}" was removed (or renamed), and ${version} has no default for it, so ${version} readers cannot read new records`,
          hint: `keep "${inc.subject}", or use a level that allows removing fields (BACKWARD)`,
        };
  },
};
