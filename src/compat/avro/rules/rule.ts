import type { Direction } from '../../finding.js';
import type { AvroIncompatibility, AvroIncompatibilityType } from '../incompatibility.js';

/** How one Avro incompatibility type is explained to a person (what it protects is in the rules table, src/diagnostics/rules.ts). */
export interface AvroRule {
  readonly id: AvroIncompatibilityType;
  /**
   * Message (past tense, quoted names) and fix hint for an incompatibility found with the
   * candidate on the `direction` side against version `version`.
   */
  explain(incompatibility: AvroIncompatibility, direction: Direction, version: string): { message: string; hint: string };
}

/** "version 2" or "the new schema", as the side that reads in this direction. */
export function sides(direction: Direction, version: string): { reader: string; writer: string } {
  return direction === 'backward'
    ? { reader: 'the new schema', writer: version }
    : { reader: version, writer: 'the new schema' };
}
