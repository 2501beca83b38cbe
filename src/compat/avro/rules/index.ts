import type { AvroIncompatibilityType } from '../incompatibility.js';
import { fixedSizeMismatch } from './fixed-size-mismatch.js';
import { missingEnumSymbols } from './missing-enum-symbols.js';
import { missingUnionBranch } from './missing-union-branch.js';
import { nameMismatch } from './name-mismatch.js';
import { readerFieldAmbiguous } from './reader-field-ambiguous.js';
import { readerFieldMissingDefaultValue } from './reader-field-missing-default-value.js';
import type { AvroRule } from './rule.js';
import { typeMismatch } from './type-mismatch.js';

/** Every Avro rule by id: the table the engine explains findings from. */
export const AVRO_RULES: Readonly<Record<AvroIncompatibilityType, AvroRule>> = {
  NAME_MISMATCH: nameMismatch,
  FIXED_SIZE_MISMATCH: fixedSizeMismatch,
  MISSING_ENUM_SYMBOLS: missingEnumSymbols,
  READER_FIELD_MISSING_DEFAULT_VALUE: readerFieldMissingDefaultValue,
  READER_FIELD_AMBIGUOUS: readerFieldAmbiguous,
  TYPE_MISMATCH: typeMismatch,
  MISSING_UNION_BRANCH: missingUnionBranch,
};
