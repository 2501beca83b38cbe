import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../model/contract.js';
import type { WriterSchema } from '../runtime/codec.js';
import { NovaError } from '../util/errors.js';
import { REGISTRY_RULES, type CompatibilityAnswer, type RegistryRuleId } from './port.js';
import { LOCAL_REGISTRY_URL } from './connection.js';
import { redactSecrets, redactUrl } from './redact.js';

/** An HTTP answer as the transport read it. */
export interface Answer {
  readonly status: number;
  readonly text: string;
  /** The `Location` header of a redirect. */
  readonly location?: string;
}

/** What one operation accepts: the Confluent codes that mean "absent", and the shape of a 2xx body. */
export interface Expectation<T> {
  /** What was being done, for messages (`looking up subject "x"`). */
  readonly what: string;
  /** The shape a 2xx body must have, for messages. */
  readonly shape: string;
  /** The value of a 2xx body, or undefined when the body has the wrong shape. */
  readonly read: (body: unknown) => T | undefined;
  /** Confluent error codes of a 404 that mean the thing asked for does not exist. */
  readonly notFound?: readonly number[];
}

/** The outcome of an answer: a value, or the Confluent "not found" code. */
export type Outcome<T> = { readonly found: true; readonly value: T } | { readonly found: false; readonly code: number };

/** Where the answer came from, for messages. */
export interface AnswerContext {
  readonly displayUrl: string;
  readonly secrets: readonly string[];
  /** Attempts made, when more than one. */
  readonly attempts?: number;
}

/**
 * Confluent Schema Registry's "not found" error codes (io.confluent.kafka.schemaregistry.rest
 * .exceptions.Errors). Only these mean "absent": a 404 without one is a wrong URL path.
 */
export const CONFLUENT_NOT_FOUND = {
  subject: 40401,
  version: 40402,
  schema: 40403,
  subjectSoftDeleted: 40404,
  subjectLevelCompatibilityNotConfigured: 40408,
} as const;

const MAX_SCHEMA_ID = 2 ** 31 - 1;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SCHEMA_ID;
const isVersion = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SCHEMA_ID;
const isLevel = (value: unknown): value is CompatibilityLevel => typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);

/** Readers of the Confluent API's 2xx bodies: undefined when the shape is wrong. */
export const READ = {
  subjects: (body: unknown): string[] | undefined => (Array.isArray(body) && body.every((s) => typeof s === 'string') ? body : undefined),
  versions: (body: unknown): number[] | undefined => (Array.isArray(body) && body.every(isVersion) ? body : undefined),
  lookup: (body: unknown): { id: number; version: number } | undefined => (isObject(body) && isId(body['id']) && isVersion(body['version']) ? { id: body['id'], version: body['version'] } : undefined),
  id: (body: unknown): number | undefined => (isObject(body) && isId(body['id']) ? body['id'] : undefined),
  level: (body: unknown): CompatibilityLevel | undefined => {
    if (!isObject(body)) return undefined;
    const level = body['compatibilityLevel'] ?? body['compatibility'];
    return isLevel(level) ? level : undefined;
  },
  compatibility: (body: unknown): CompatibilityAnswer | undefined => {
    if (!isObject(body) || typeof body['is_compatible'] !== 'boolean') return undefined;
    const messages = body['messages'] ?? [];
    if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) return undefined;
    return { compatible: body['is_compatible'], messages };
  },
  schema: (body: unknown): { schema: string; schemaType: string } | undefined =>
    isObject(body) && typeof body['schema'] === 'string' && (body['schemaType'] === undefined || typeof body['schemaType'] === 'string')
      ? { schema: body['schema'], schemaType: (body['schemaType'] as string | undefined) ?? 'AVRO' }
      : undefined,
} as const;

/** The schema types the runtime reads; another one (PROTOBUF) under an id is the message's fault. */
export function writerSchemaOf(id: number, found: { schema: string; schemaType: string }, context: AnswerContext): WriterSchema {
  if (found.schemaType === 'AVRO' || found.schemaType === 'JSON') return { schemaType: found.schemaType, schema: found.schema };
  throw registryError(REGISTRY_RULES.error, `reading schema ${id}`, `the schema is ${snippet(found.schemaType, 40)}, which nova-events does not read`, context, { retriable: false });
}

/** A short, single-line, printable excerpt of a body. */
function snippet(text: string, max = 200, html = false): string {
  const line = (html ? text.replace(/<[^>]*>/g, ' ') : text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}...` : line || '(empty body)';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The hint for an answer that is not the Confluent API's: the URL probably misses the API path. */
export function apiPathHint(displayUrl: string): string {
  let suggestion = LOCAL_REGISTRY_URL;
  try {
    const url = new URL(displayUrl);
    if (!url.pathname.includes('/apis/ccompat/')) suggestion = `${url.origin}/apis/ccompat/v7`;
  } catch {
    // Keep the local example.
  }
  return `the URL must be the root of the registry's Confluent-compatible API: Apicurio serves it under /apis/ccompat/v7 (e.g. ${suggestion}), Confluent Schema Registry at the server's root (e.g. http://registry:8081)`;
}

function registryError(rule: RegistryRuleId, what: string, text: string, context: AnswerContext, options: { retriable: boolean; hint?: string }): NovaError {
  return new NovaError(rule, redactSecrets(`schema registry ${context.displayUrl}: ${what}: ${text}`, context.secrets), {
    retriable: options.retriable,
    hint: redactSecrets(options.hint ?? 'check that the registry runs and that the URL is right', context.secrets),
  });
}

/**
 * Reads an answer as an operation expects it. A 2xx must carry the API's JSON of the right
 * shape; a 404 means "absent" only with one of the operation's Confluent codes; every other
 * answer is a typed error. Pure.
 */
export function readAnswer<T>(answer: Answer, expectation: Expectation<T>, context: AnswerContext): Outcome<T> {
  const { status, text } = answer;
  const { what } = expectation;
  const after = context.attempts && context.attempts > 1 ? ` (after ${context.attempts} attempts)` : '';
  // The registry, not the message or the schema, is at fault in these: a consumer must not
  // dead-letter good messages because a registry is misconfigured, so they are retriable.
  const notTheApi = (detail: string) => registryError(REGISTRY_RULES.badResponse, what, detail, context, { retriable: true, hint: apiPathHint(context.displayUrl) });
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) {
    if (!parsed.ok) return fail(notTheApi(`HTTP ${status} with a body that is not JSON: ${snippet(text, 200, true)}`));
    const value = expectation.read(parsed.value);
    if (value === undefined) return fail(notTheApi(`HTTP ${status} with JSON of the wrong shape (expected ${expectation.shape}): ${snippet(JSON.stringify(parsed.value))}`));
    return { found: true, value };
  }
  if (status >= 300 && status < 400) {
    const to = answer.location ? ` to ${redactUrl(answer.location)}` : '';
    return fail(notTheApi(`HTTP ${status}, a redirect${to}; the registry API does not redirect`));
  }
  if (status === 401 || status === 403) {
    return fail(registryError(REGISTRY_RULES.unauthorized, what, `the registry refused the credentials (HTTP ${status})`, context, {
      retriable: true,
      hint: 'set NOVA_SCHEMA_REGISTRY_USER and NOVA_SCHEMA_REGISTRY_PASSWORD, or NOVA_SCHEMA_REGISTRY_TOKEN (registry.username/password/token in code)',
    }));
  }
  const body = parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
  const code = body && Number.isInteger(body['error_code']) ? (body['error_code'] as number) : undefined;
  const message = body === undefined ? snippet(text, 200, !parsed.ok) : typeof body['message'] === 'string' ? snippet(body['message'], 2_000) : snippet(JSON.stringify(body));
  if (status >= 500 || status === 429) {
    return fail(registryError(REGISTRY_RULES.unavailable, what, `HTTP ${status}${code !== undefined ? ` (${code})` : ''}${after}: ${message}`, context, { retriable: true }));
  }
  if (code === undefined) return fail(notTheApi(`HTTP ${status} without a Confluent error code: ${message}`));
  if (status === 404) {
    if (expectation.notFound?.includes(code)) return { found: false, code };
    // Confluent's own "HTTP 404 Not Found" (code 404) answers a path it does not serve.
    if (Math.floor(code / 100) !== 404) return fail(notTheApi(`HTTP 404 (${code}): ${message}`));
  }
  if (status === 409 || code === 40901) {
    return fail(registryError(REGISTRY_RULES.incompatible, what, `the registry refused an incompatible schema (${code}): ${message}`, context, {
      retriable: false,
      hint: 'run nova-events check-compat --against registry to see why',
    }));
  }
  if (code === 42201 || code === 422) {
    return fail(registryError(REGISTRY_RULES.invalidSchema, what, `the registry rejected the schema as invalid (${code}): ${message}`, context, { retriable: false }));
  }
  return fail(registryError(REGISTRY_RULES.error, what, `HTTP ${status} (${code}): ${message}`, context, { retriable: false }));
}

function fail(error: NovaError): never {
  throw error;
}

/** The error of a request that got no answer on any attempt. */
export function unreachable(what: string, detail: string, context: AnswerContext): NovaError {
  const after = context.attempts && context.attempts > 1 ? ` (after ${context.attempts} attempts)` : '';
  return registryError(REGISTRY_RULES.unavailable, what, `${detail}${after}`, context, { retriable: true });
}

/** The error of an answer larger than the client reads. */
export function tooLarge(what: string, limit: number, context: AnswerContext): NovaError {
  return registryError(REGISTRY_RULES.badResponse, what, `the answer is larger than ${limit} bytes`, context, { retriable: true, hint: apiPathHint(context.displayUrl) });
}
