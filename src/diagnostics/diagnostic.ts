/** How bad a finding is: errors fail the command, warnings are shown but do not. */
export type Severity = 'error' | 'warning';

/**
 * One finding, as data. `rule` is a stable SCREAMING_SNAKE id, `file` the path relative to the
 * repository (or the input name), `pointer` an RFC 6901 JSON pointer into that file's JSON.
 */
export interface Diagnostic {
  readonly rule: string;
  readonly severity: Severity;
  readonly file: string;
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
  /** 1-based line of `pointer` in `file`, when the file's text is known. */
  readonly line?: number;
  /** The contract version this finding concerns or conflicts with, where there is one. */
  readonly version?: number;
}

/** Builds an error diagnostic; `extra` carries the optional hint, line and version. */
export function error(
  rule: string,
  file: string,
  pointer: string,
  message: string,
  extra: Partial<Pick<Diagnostic, 'hint' | 'line' | 'version'>> = {},
): Diagnostic {
  return { rule, severity: 'error', file, pointer, message, ...extra };
}

/** Builds a warning diagnostic. */
export function warning(
  rule: string,
  file: string,
  pointer: string,
  message: string,
  extra: Partial<Pick<Diagnostic, 'hint' | 'line' | 'version'>> = {},
): Diagnostic {
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
