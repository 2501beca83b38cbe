import { Command, CommanderError } from 'commander';
import { EXIT, NovaError } from '../util/errors.js';
import { registerAsyncApi } from './commands/asyncapi.js';
import { registerCheckCompat } from './commands/check-compat.js';
import { registerDocs } from './commands/docs.js';
import { registerGenerate } from './commands/generate.js';
import { registerList } from './commands/list.js';
import { registerOutbox } from './commands/outbox.js';
import { registerRegister } from './commands/register.js';
import { registerRelay } from './commands/relay.js';
import { registerStatus } from './commands/status.js';
import { registerValidate } from './commands/validate.js';
import { processIO, type CliIO } from './io.js';

const VERSION = '0.1.0';

/**
 * Builds the `nova-events` command. Commands load their heavy modules (avsc, ajv, ts-morph,
 * kafkajs, the registry client) only when they run, so `--help` stays fast.
 */
export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('nova-events')
    .description('Kafka event contracts for the Nova platform: validate, check compatibility, register, generate, and relay the transactional outbox.')
    .version(VERSION)
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
    );
  registerValidate(program, io, setExit);
  registerList(program, io, setExit);
  registerCheckCompat(program, io, setExit);
  registerGenerate(program, io, setExit);
  registerRegister(program, io, setExit);
  registerStatus(program, io, setExit);
  registerOutbox(program, io, setExit);
  registerRelay(program, io, setExit);
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
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    if (e instanceof NovaError) {
      const where = e.file ? ` (${e.file}${e.pointer ? `#${e.pointer}` : ''})` : '';
      io.stderr(`nova-events: ${e.rule}: ${e.message}${where}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
      return e.exitCode;
    }
    io.stderr(`nova-events: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.USAGE;
  }
}
