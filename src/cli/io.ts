import { Option } from 'commander';
import type { ReportFormat } from '../diagnostics/render.js';
import { EXIT, NovaError } from '../util/errors.js';

/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The process's own IO. */
export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** The `--format` option: text for people, json for machines (and github-actions where allowed). */
export function formatOption(choices: readonly ReportFormat[] = ['text', 'json']): Option {
  return new Option('--format <format>', 'output format').choices([...choices]).default('text');
}

/** The `--project <dir>` option shared by every command. */
export function projectOption(): Option {
  return new Option('--project <dir>', 'project root (default: the nearest folder above with contracts/topics.json)');
}

/** A whole-number flag value; a usage error (exit 2) naming the flag otherwise. */
export function positiveInteger(value: string, flag: string, options: { allowZero?: boolean } = {}): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || (n === 0 && !options.allowZero)) {
    throw new NovaError('USAGE', `${flag} must be a ${options.allowZero ? 'non-negative' : 'positive'} whole number (got ${JSON.stringify(value)})`, { exitCode: EXIT.USAGE });
  }
  return n;
}
