/** Process exit codes of the CLI. */
export const EXIT = {
  /** Everything is fine. */
  OK: 0,
  /** Findings: incompatible, invalid or stale. */
  FINDINGS: 1,
  /** Usage or configuration error. */
  USAGE: 2,
  /** Registry or network failure. */
  REGISTRY: 3,
} as const;

/** A CLI exit code. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Context carried by a NovaError. */
export interface NovaErrorContext {
  readonly file?: string;
  readonly pointer?: string;
  readonly hint?: string;
  /** True when trying again later may succeed (network, 5xx). */
  readonly retriable?: boolean;
  /** The exit code the CLI ends with when this error reaches it. */
  readonly exitCode?: ExitCode;
  readonly cause?: unknown;
}

/**
 * The root error of nova-events: a stable rule id, a message, and context (file, JSON pointer,
 * hint, whether it is retriable, the exit code). Messages never contain credentials.
 */
export class NovaError extends Error {
  readonly rule: string;
  readonly file: string | undefined;
  readonly pointer: string | undefined;
  readonly hint: string | undefined;
  readonly retriable: boolean;
  readonly exitCode: ExitCode;

  constructor(rule: string, message: string, context: NovaErrorContext = {}) {
    super(message, context.cause !== undefined ? { cause: context.cause } : undefined);
    this.name = 'NovaError';
    this.rule = rule;
    this.file = context.file;
    this.pointer = context.pointer;
    this.hint = context.hint;
    this.retriable = context.retriable ?? false;
    this.exitCode = context.exitCode ?? EXIT.USAGE;
  }
}
