import { Command, CommanderError } from 'commander';
import { NovaError } from '../util/errors.js';
import { renderErrorOutput, renderErrorText, type ErrorReport } from '../diagnostics/render.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { registerAlerts } from './commands/alerts.js';
import { registerAsyncApi } from './commands/asyncapi.js';
import { registerCheckCompat } from './commands/check-compat.js';
import { registerDocs } from './commands/docs.js';
import { registerGenerate } from './commands/generate.js';
import { registerLag } from './commands/lag.js';
import { registerList } from './commands/list.js';
import { registerOutbox } from './commands/outbox.js';
import { registerRegister } from './commands/register.js';
import { registerRelay } from './commands/relay.js';
import { registerRules } from './commands/rules.js';
import { registerStatus } from './commands/status.js';
import { registerTopics } from './commands/topics.js';
import { registerValidate } from './commands/validate.js';
import { PROJECT_OPTION_HELP, processIO, requestedFormat, type CliIO } from './io.js';

const VERSION = '0.1.0';

/**
 * What a failing command prints on stdout under `--format json` (one line), with the same exit
 * code as in text format, where the error goes to stderr only. See ErrorReport for the fields;
 * the exit code is decided from the rule's category (src/cli/exit-codes.ts).
 */
export interface CliErrorReport {
  readonly error: ErrorReport;
}

/**
 * Builds the `nova-events` command. Commands load their heavy modules (avsc, ajv, ts-morph,
 * kafkajs, the registry client) only when they run, so `--help` stays fast.
 */
export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('nova-events')
    .description('Kafka event contracts for the Nova platform: validate, check compatibility, register, generate, and relay the transactional outbox.')
    .version(VERSION)
    .enablePositionalOptions()
    .option('--project <dir>', `${PROJECT_OPTION_HELP}; also accepted after the command name`)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 findings (incompatible, invalid, stale), 2 usage or configuration error,
3 registry or network failure.

Examples:
  $ nova-events validate
  $ nova-events list --format json
  $ nova-events check-compat --against git:origin/main --format github-actions
  $ nova-events generate --check
  $ nova-events register --dry-run
  $ nova-events status --format json
  $ nova-events outbox migrate --print
  $ nova-events relay --database-url postgres://postgres@127.0.0.1:5432/test --brokers 127.0.0.1:19092`,
    )
    .hook('preAction', (root, command) => {
      // `nova-events --project x validate`: the program's option fills the command's when it has none of its own
      const project = root.opts()['project'] as string | undefined;
      if (project !== undefined && command.getOptionValue('project') === undefined) command.setOptionValue('project', project);
    });
  registerValidate(program, io, setExit);
  registerList(program, io, setExit);
  registerCheckCompat(program, io, setExit);
  registerGenerate(program, io, setExit);
  registerRegister(program, io, setExit);
  registerStatus(program, io, setExit);
  registerOutbox(program, io, setExit);
  registerRelay(program, io, setExit);
  registerTopics(program, io, setExit);
  registerLag(program, io, setExit);
  registerRules(program, io, setExit);
  registerAlerts(program, io, setExit);
  registerDocs(program, io, setExit);
  registerAsyncApi(program, io, setExit);
  return program;
}

/** Runs the CLI on `argv` (as process.argv) and resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  const format = requestedFormat(argv.slice(2));
  const fail = (report: Omit<ErrorReport, 'exitCode'>, text: string): number => {
    const full = { ...report, exitCode: exitCodeOf(report.rule) };
    if (text) io.stderr(text);
    io.stdout(renderErrorOutput(full, format));
    return full.exitCode;
  };
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      // commander has already written the message (and the usage hint) to stderr
      return fail({ rule: 'USAGE', message: e.message.replace(/^error: /, ''), hint: 'run with --help for usage' }, '');
    }
    if (e instanceof NovaError) {
      const report = { rule: e.rule, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(e.file ? { file: e.file } : {}), ...(e.pointer !== undefined ? { pointer: e.pointer } : {}) };
      return fail(report, renderErrorText({ ...report, exitCode: exitCodeOf(e.rule) }));
    }
    const message = e instanceof Error ? e.message : String(e);
    return fail(
      { rule: 'INTERNAL_ERROR', message: `unexpected error: ${message}`, hint: 'this is a bug in nova-events: please report it with the command line and the stack trace printed on stderr' },
      `nova-events: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
  }
}
