import { RULES, type RuleCategory, type RuleId } from '../diagnostics/rules.js';

/** Process exit codes of the CLI. */
export const EXIT = {
  /** Everything is fine. */
  OK: 0,
  /** Findings: incompatible, invalid or stale. */
  FINDINGS: 1,
  /** Usage or configuration error. */
  USAGE: 2,
  /** Registry, network or database failure. */
  REGISTRY: 3,
} as const;

/** A CLI exit code. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit code of a command that fails with an error of each category. Findings decide a
 * command's exit by their severity (1 with an error); a category here is for an error that
 * stops the command. Runtime errors reach the CLI only through its own misuse of the library,
 * so they are usage errors.
 */
const CATEGORY_EXIT: Readonly<Record<RuleCategory, ExitCode>> = {
  contract: EXIT.FINDINGS,
  compatibility: EXIT.FINDINGS,
  gate: EXIT.FINDINGS,
  registry: EXIT.REGISTRY,
  network: EXIT.REGISTRY,
  outbox: EXIT.REGISTRY,
  'runtime-payload': EXIT.USAGE,
  'runtime-delivery': EXIT.USAGE,
  config: EXIT.USAGE,
  usage: EXIT.USAGE,
  io: EXIT.USAGE,
  internal: EXIT.USAGE,
};

/** The exit code of a command stopped by an error of `rule`. */
export function exitCodeOf(rule: RuleId): ExitCode {
  return CATEGORY_EXIT[RULES[rule].category];
}
