import type { ErrorRuleId, RuleId, Severity, WarningRuleId } from './rules.js';

export type { Severity } from './rules.js';

/**
 * The data a finding is about (field, type, version, level, ...), as JSON scalars next to its
 * message, so tools need not parse English.
 */
export type DiagnosticDetails = { readonly [key: string]: string | number | boolean };

/**
 * One finding, as data. `rule` is a stable id of the rules table (src/diagnostics/rules.ts),
 * `file` the path relative to the project (or the input name), `pointer` an RFC 6901 JSON
 * pointer into that file's JSON.
 */
export interface Diagnostic {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
  /** 1-based line of `pointer` in `file`, when the file's text is known. */
  readonly line?: number;
  /** The contract version this finding concerns or conflicts with, where there is one. */
  readonly version?: number;
  readonly details?: DiagnosticDetails;
}

/** The optional parts of a diagnostic. */
export type DiagnosticExtra = Partial<Pick<Diagnostic, 'hint' | 'line' | 'version' | 'details'>>;

/** Builds an error diagnostic (of a rule whose severity is error); `extra` carries the optional hint, line, version and details. */
export function error(rule: ErrorRuleId, file: string, pointer: string, message: string, extra: DiagnosticExtra = {}): Diagnostic {
  return { rule, severity: 'error', file, pointer, message, ...extra };
}

/** Builds a warning diagnostic (of a rule whose severity is warning). */
export function warning(rule: WarningRuleId, file: string, pointer: string, message: string, extra: DiagnosticExtra = {}): Diagnostic {
  return { rule, severity: 'warning', file, pointer, message, ...extra };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by file, then line, then pointer, then rule: the stable order every renderer prints. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      cmp(a.pointer, b.pointer) ||
      cmp(a.rule, b.rule) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
