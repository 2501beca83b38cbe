/** One compatibility finding, as returned by `checkCompatibility`. */
export interface CompatFinding {
  /** Stable rule id: Avro Java's incompatibility type or Confluent's JSON Schema difference type. */
  readonly rule: string;
  /** JSON pointer into the candidate (new) schema. */
  readonly path: string;
  /** Past-tense description naming the field or type. */
  readonly message: string;
  readonly hint?: string;
  /** The previous version (1-based, oldest first) this finding conflicts with. */
  readonly version?: number;
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
