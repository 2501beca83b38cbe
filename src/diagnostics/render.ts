import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import type { RuleId } from './rules.js';

/** Output formats every command that reports findings supports. */
export type ReportFormat = 'text' | 'json' | 'github-actions';

/** How findings are placed: GitHub places an annotation by its path from the repository's root. */
export interface RenderOptions {
  /**
   * The project's path inside its git repository (`services/orders/`, or '' at the root), put
   * before every file of a github-actions annotation. Text and JSON keep project paths.
   */
  readonly repoPrefix?: string;
}

/** All the findings rendered as text grouped by file, with pointer, line and hint. */
export function renderText(diagnostics: readonly Diagnostic[]): string {
  const sorted = sortDiagnostics(diagnostics);
  const out: string[] = [];
  let currentFile: string | undefined;
  for (const d of sorted) {
    if (d.file !== currentFile) {
      if (currentFile !== undefined) out.push('');
      out.push(d.file);
      currentFile = d.file;
    }
    const where = `${d.line !== undefined ? `line ${d.line} ` : ''}${d.pointer === '' ? '#' : `#${d.pointer}`}`;
    const version = d.version !== undefined ? ` (v${d.version})` : '';
    out.push(`  ${d.severity} ${d.rule} at ${where}${version}: ${d.message}`);
    if (d.hint) out.push(`    hint: ${d.hint}`);
  }
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  if (sorted.length > 0) out.push('');
  out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

/** All the findings as a JSON array, sorted. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(sortDiagnostics(diagnostics), null, 2) + '\n';
}

/** GitHub Actions workflow commands: one `::error file=…,line=…,title=RULE::message` per finding. */
export function renderGithubActions(diagnostics: readonly Diagnostic[], options: RenderOptions = {}): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = [`file=${escapeProperty((options.repoPrefix ?? '') + d.file)}`];
      if (d.line !== undefined) props.push(`line=${d.line}`);
      props.push(`title=${escapeProperty(d.rule)}`);
      const text = `${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}${d.hint ? `. Hint: ${d.hint}` : ''}`;
      return `::${d.severity} ${props.join(',')}::${escapeData(text)}\n`;
    })
    .join('');
}

/** Renders the findings in the requested format. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(diagnostics);
    case 'github-actions':
      return renderGithubActions(diagnostics, options);
    case 'text':
      return renderText(diagnostics);
  }
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * An error that stopped a command, as the CLI reports it. `rule` is the error's rule id
 * (`USAGE`, `CONFIG_INVALID`, `REGISTRY_UNAVAILABLE`, ...); `file` and `pointer` (an RFC 6901
 * JSON pointer into that file) are there when the error is about a place in a file; `exitCode`
 * is the one the CLI ends with, decided from the rule's category.
 */
export interface ErrorReport {
  readonly rule: RuleId;
  readonly message: string;
  readonly hint?: string;
  readonly file?: string;
  readonly pointer?: string;
  readonly exitCode: number;
}

/** The error as the text on stderr: `nova-events: RULE: message (file#pointer)` and its hint. */
export function renderErrorText(report: ErrorReport): string {
  const where = report.file ? ` (${report.file}${report.pointer ? `#${report.pointer}` : ''})` : '';
  return `nova-events: ${report.rule}: ${report.message}${where}\n${report.hint ? `hint: ${report.hint}\n` : ''}`;
}

/** The error as one line of JSON, `{"error": {rule, message, hint?, file?, pointer?, exitCode}}`. */
export function renderErrorJson(report: ErrorReport): string {
  const { rule, message, hint, file, pointer, exitCode } = report;
  return `${JSON.stringify({ error: { rule, message, ...(hint ? { hint } : {}), ...(file ? { file } : {}), ...(pointer !== undefined && file ? { pointer } : {}), exitCode } })}\n`;
}

/**
 * What a failing command prints on stdout in `format`, next to the text on stderr: the JSON
 * error object, one `::error` annotation of the workflow run, or nothing. The annotation names
 * no file: an error may stop a command before it knows where the repository is, and GitHub
 * drops an annotation on a path it cannot place.
 */
export function renderErrorOutput(report: ErrorReport, format: string | undefined): string {
  if (format === 'json') return renderErrorJson(report);
  if (format !== 'github-actions') return '';
  const where = report.file ? ` (${report.file}${report.pointer ? `#${report.pointer}` : ''})` : '';
  return `::error title=${escapeProperty(report.rule)}::${escapeData(`${report.message}${where}${report.hint ? `. Hint: ${report.hint}` : ''}`)}\n`;
}
