import { sortDiagnostics, type Diagnostic } from './diagnostic.js';

/** Output formats every command that reports findings supports. */
export type ReportFormat = 'text' | 'json' | 'github-actions';

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
export function renderGithubActions(diagnostics: readonly Diagnostic[]): string {
  return sortDiagnostics(diagnostics)
    .map((d) => {
      const props = [`file=${escapeProperty(d.file)}`];
      if (d.line !== undefined) props.push(`line=${d.line}`);
      props.push(`title=${escapeProperty(d.rule)}`);
      const text = `${d.message}${d.pointer ? ` (at ${d.pointer})` : ''}${d.hint ? `. Hint: ${d.hint}` : ''}`;
      return `::${d.severity} ${props.join(',')}::${escapeData(text)}\n`;
    })
    .join('');
}

/** Renders the findings in the requested format. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderJson(diagnostics);
    case 'github-actions':
      return renderGithubActions(diagnostics);
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
