import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ReportFormat } from '../diagnostics/render.js';
import type { CliIO } from './io.js';

/**
 * How a command prints what it found: every command that reports findings goes through one, so
 * text, json and github-actions look the same everywhere and github-actions annotations carry
 * the path from the repository's root (computed once per project root).
 */
export interface Reporter {
  readonly format: ReportFormat;
  /**
   * Prints `diagnostics` of the project at `root` in the reporter's format; in text format with
   * no findings, `summary` (what was checked) instead.
   */
  findings(root: string, diagnostics: readonly Diagnostic[], summary?: string): Promise<void>;
  /** Prints a command's result: `value` as JSON in json format, else `text()`. */
  result(value: unknown, text: () => string): void;
}

/** The reporter of a command writing to `io` in `format`. */
export function createReporter(io: CliIO, format: ReportFormat): Reporter {
  const prefixes = new Map<string, string>();
  return {
    format,
    async findings(root, diagnostics, summary) {
      if (format === 'text' && diagnostics.length === 0 && summary !== undefined) {
        io.stdout(`${summary}\n`);
        return;
      }
      const { renderDiagnostics } = await import('../diagnostics/render.js');
      let repoPrefix = prefixes.get(root);
      if (repoPrefix === undefined && format === 'github-actions') {
        const { repoPrefix: prefixOf } = await import('../contracts/discover.js');
        repoPrefix = prefixOf(root);
        prefixes.set(root, repoPrefix);
      }
      io.stdout(renderDiagnostics(diagnostics, format, repoPrefix !== undefined ? { repoPrefix } : {}));
    },
    result(value, text) {
      io.stdout(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : text());
    },
  };
}
