import { Option } from 'commander';
import type { ReportFormat } from '../diagnostics/render.js';
import { NovaError } from '../util/errors.js';

/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

let closedPipesHandled = false;

/**
 * Ends the process quietly with exit 0 when its stdout or stderr is closed by the reader
 * (`nova-events --help | head -1`), as git and npm do: nobody is left to read the rest, so
 * neither the output nor a stack trace about it matters.
 */
export function exitQuietlyOnClosedPipe(): void {
  if (closedPipesHandled) return;
  closedPipesHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      process.exitCode = 2;
      try {
        process.stderr.write(`nova-events: cannot write the output: ${e.message}\n`);
      } catch {
        // stderr is gone as well: the exit code is all that is left to say it
      }
    });
  }
}

/** The process's own IO (a closed stdout or stderr ends the process quietly, see exitQuietlyOnClosedPipe). */
export function processIO(): CliIO {
  exitQuietlyOnClosedPipe();
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

/** Help of the `--project <dir>` option. */
export const PROJECT_OPTION_HELP = 'project root (default: the nearest folder above with contracts/topics.json or nova-events.config.json)';

/** The `--project <dir>` option shared by every command (also accepted before the command name). */
export function projectOption(): Option {
  return new Option('--project <dir>', PROJECT_OPTION_HELP);
}

/**
 * The `--format` a command line asks for (the last one given, `--format x` or `--format=x`),
 * read from the raw arguments so that an error found before or while commander parses them
 * can still be reported in that format. Arguments after `--` are operands, not options.
 */
export function requestedFormat(args: readonly string[]): string | undefined {
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') break;
    if (arg === '--format' && i + 1 < args.length) format = args[++i];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
  }
  return format;
}

/** A whole-number flag value; a usage error (exit 2) naming the flag otherwise. */
export function positiveInteger(value: string, flag: string, options: { allowZero?: boolean } = {}): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || (n === 0 && !options.allowZero)) {
    throw new NovaError('USAGE', `${flag} must be a ${options.allowZero ? 'non-negative' : 'positive'} whole number (got ${JSON.stringify(value)})`);
  }
  return n;
}
