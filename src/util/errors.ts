import type { RuleId } from '../diagnostics/rules.js';

/** Context carried by a NovaError. */
export interface NovaErrorContext {
  readonly file?: string;
  readonly pointer?: string;
  readonly hint?: string;
  /** True when trying again later may succeed (network, 5xx). */
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

/**
 * The root error of nova-events: a rule id of the rules table (src/diagnostics/rules.ts), a
 * message, and context (file, JSON pointer, hint, whether it is retriable). The CLI
 * decides its exit code from the rule's category. Messages never contain credentials.
 */
export class NovaError extends Error {
  readonly rule: RuleId;
  readonly file: string | undefined;
  readonly pointer: string | undefined;
  readonly hint: string | undefined;
  readonly retriable: boolean;

  constructor(rule: RuleId, message: string, context: NovaErrorContext = {}) {
    super(message, context.cause !== undefined ? { cause: context.cause } : undefined);
    this.name = 'NovaError';
    this.rule = rule;
    this.file = context.file;
    this.pointer = context.pointer;
    this.hint = context.hint;
    this.retriable = context.retriable ?? false;
  }
}
