import type { DiagnosticDetails } from '../diagnostics/diagnostic.js';
import type { ErrorRuleId } from '../diagnostics/rules.js';

/** One compatibility finding, as returned by `checkCompatibility`. */
export interface CompatFinding {
  /**
   * Stable rule id: Avro Java's incompatibility type, Confluent's JSON Schema difference type, or
   * why a schema could not be judged (SCHEMA_INVALID, SCHEMA_NOT_JSON, ...).
   */
  readonly rule: ErrorRuleId;
  /** JSON pointer into the candidate (new) schema. */
  readonly path: string;
  /** Past-tense description naming the field or type. */
  readonly message: string;
  readonly hint?: string;
  /** The previous version (1-based, oldest first) this finding conflicts with. */
  readonly version?: number;
  /** What the finding is about (field, types, direction, ...), as data next to the message. */
  readonly details?: DiagnosticDetails;
}

/** The verdict and every finding, sorted. */
export interface CompatResult {
  readonly compatible: boolean;
  readonly findings: CompatFinding[];
}

/**
 * Which way data flows in one pairwise check. `backward`: the candidate reads data written with
 * a previous version. `forward`: a previous version reads data written with the candidate.
 */
export type Direction = 'backward' | 'forward';
