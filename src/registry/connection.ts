import type { BackoffPolicy, RetryPolicy } from '../util/retry.js';
import { NovaError } from '../util/errors.js';
import { redactUrl } from './redact.js';
import type { RuleId } from '../diagnostics/rules.js';

/** The registry URL of the local services (`npm run services:start`), for hints. */
export const LOCAL_REGISTRY_URL = 'http://127.0.0.1:18081/apis/ccompat/v7';

/** The environment variables a registry connection is read from. */
export const REGISTRY_ENV = {
  url: 'NOVA_SCHEMA_REGISTRY_URL',
  user: 'NOVA_SCHEMA_REGISTRY_USER',
  password: 'NOVA_SCHEMA_REGISTRY_PASSWORD',
  /** `user:password`, as Confluent's `basic.auth.user.info`. */
  basicAuth: 'NOVA_SCHEMA_REGISTRY_BASIC_AUTH',
  token: 'NOVA_SCHEMA_REGISTRY_TOKEN',
} as const;

/** Rule id of a command or program that names no registry URL. */
export const REGISTRY_URL_MISSING = 'REGISTRY_URL_MISSING' satisfies RuleId;
/** Rule id of a registry URL that is not an http(s) URL. */
export const REGISTRY_URL_INVALID = 'REGISTRY_URL_INVALID' satisfies RuleId;
/** Rule id of a CA bundle that cannot be read. */
export const REGISTRY_CA_UNREADABLE = 'REGISTRY_CA_UNREADABLE' satisfies RuleId;
/** A registry option of the wrong type or out of range is a usage error, as a bad flag is. */
const REGISTRY_OPTION_INVALID = 'USAGE' satisfies RuleId;

/**
 * How to reach the Schema Registry: the `registry` option of createProducer/createConsumer,
 * and what the CLI gathers from its flags, the environment and the config file.
 */
export interface RegistryOptions {
  /** The registry's base URL, e.g. `http://registry:8081` or Apicurio's `.../apis/ccompat/v7`. User info in the URL becomes basic auth. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** A bearer token (sent as `Authorization: Bearer ...`); wins over basic auth. */
  readonly token?: string;
  /** PEM file of extra CA certificates for TLS. */
  readonly caFile?: string;
  /** Milliseconds per request (the whole answer, not only the connection); 10 s by default. */
  readonly timeoutMs?: number;
  /** Attempts on a network error, a timeout, a 429 or a 5xx; 3 by default. */
  readonly attempts?: number;
  /** The backoff between attempts (exponential with full jitter; 200 ms, then up to 2 s, by default). */
  readonly backoff?: RegistryBackoff;
}

/** The backoff of registry requests; `sleep` and `random` can be injected (tests). */
export type RegistryBackoff = BackoffPolicy & Pick<RetryPolicy, 'sleep'>;

/** The CLI's name for the same settings. */
export type RegistryConnection = RegistryOptions;

/** A validated connection: where to send requests, how to authenticate, what never to print. */
export interface ResolvedConnection {
  /** The base URL without user info, ending in `/`. */
  readonly base: URL;
  /** The URL with any user info replaced by `***`. */
  readonly displayUrl: string;
  /** The `Authorization` header, if any. */
  readonly authorization: string | undefined;
  /** Every form of every credential, removed from any text shown. */
  readonly secrets: readonly string[];
  readonly caFile: string | undefined;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoff: RegistryBackoff;
}

const DEFAULT_BACKOFF: RegistryBackoff = { initialDelayMs: 200, maxDelayMs: 2_000 };
/** The longest delay `setTimeout` takes; a larger one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function optionalString(options: object, key: keyof RegistryOptions): string | undefined {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new NovaError(REGISTRY_OPTION_INVALID, `registry option "${key}" must be a string`);
  return value;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Checks a connection and works out its parts (pure: the CA file is read by the adapter). */
export function resolveConnection(options: RegistryOptions): ResolvedConnection {
  if (options === null || typeof options !== 'object') throw new NovaError(REGISTRY_OPTION_INVALID, 'the registry option must be an object with a "url"');
  const url = optionalString(options, 'url');
  if (!url) {
    throw new NovaError(REGISTRY_URL_MISSING, 'no schema registry URL', {
      hint: `pass registry: { url } (e.g. from ${REGISTRY_ENV.url}); the local services (npm run services:start) answer at ${LOCAL_REGISTRY_URL}`,
    });
  }
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new NovaError(REGISTRY_URL_INVALID, `the schema registry URL ${redactUrl(url)} is not a valid URL`, { hint: `e.g. ${LOCAL_REGISTRY_URL}` });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new NovaError(REGISTRY_URL_INVALID, `the schema registry URL ${redactUrl(url)} is not http or https`, { hint: `e.g. ${LOCAL_REGISTRY_URL}` });
  }
  const rawUserInfo = url.match(/\/\/([^@/]*)@/)?.[1];
  const username = optionalString(options, 'username') ?? (base.username ? decoded(base.username) : undefined);
  const password = optionalString(options, 'password') ?? (base.password ? decoded(base.password) : undefined);
  const token = optionalString(options, 'token');
  const secrets = [password, base.password || undefined, token, rawUserInfo];
  base.username = '';
  base.password = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  let authorization: string | undefined;
  if (token !== undefined) authorization = `Bearer ${token}`;
  else if (username !== undefined) {
    const basic = Buffer.from(`${username}:${password ?? ''}`).toString('base64');
    authorization = `Basic ${basic}`;
    secrets.push(basic);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
    throw new NovaError(REGISTRY_OPTION_INVALID, `the registry timeout must be a positive number of milliseconds (at most ${MAX_TIMER_MS})`);
  }
  const attempts = options.attempts ?? 3;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > 20) {
    throw new NovaError(REGISTRY_OPTION_INVALID, 'registry attempts must be a whole number from 1 to 20');
  }
  return {
    base,
    displayUrl: redactUrl(url),
    authorization,
    secrets: secrets.filter((s): s is string => typeof s === 'string' && s.length > 0),
    caFile: optionalString(options, 'caFile'),
    timeoutMs,
    attempts,
    backoff: { ...DEFAULT_BACKOFF, ...(options.backoff ?? {}) },
  };
}

/** The registry settings in the environment (`NOVA_SCHEMA_REGISTRY_*`); empty variables count as unset. */
export function registryOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<RegistryOptions> {
  const read = (name: string) => (env[name] ? env[name] : undefined);
  const basic = read(REGISTRY_ENV.basicAuth);
  const separator = basic?.indexOf(':') ?? -1;
  if (basic !== undefined && separator <= 0) {
    throw new NovaError(REGISTRY_OPTION_INVALID, `${REGISTRY_ENV.basicAuth} must be user:password`);
  }
  return definedOnly({
    url: read(REGISTRY_ENV.url),
    username: read(REGISTRY_ENV.user) ?? (basic ? basic.slice(0, separator) : undefined),
    password: read(REGISTRY_ENV.password) ?? (basic ? basic.slice(separator + 1) : undefined),
    token: read(REGISTRY_ENV.token),
  });
}

/**
 * The `registry` section of a config file (untrusted: every field is type-checked, and a wrong
 * one is a CONFIG_INVALID naming its pointer).
 */
export function registryOptionsFromConfig(value: unknown, file: string): Partial<RegistryOptions> {
  if (value === undefined) return {};
  const invalid = (pointer: string, what: string) => new NovaError('CONFIG_INVALID', `"${pointer.slice(1).replace('/', '.')}" in ${file} must be ${what}`, { file, pointer });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('/registry', 'an object');
  const section = value as Record<string, unknown>;
  const out: Record<string, string | number> = {};
  for (const key of ['url', 'username', 'password', 'token', 'caFile'] as const) {
    if (section[key] === undefined) continue;
    if (typeof section[key] !== 'string') throw invalid(`/registry/${key}`, 'a string');
    out[key] = section[key];
  }
  if (section['timeoutMs'] !== undefined) {
    if (typeof section['timeoutMs'] !== 'number') throw invalid('/registry/timeoutMs', 'a number');
    out['timeoutMs'] = section['timeoutMs'];
  }
  return out as Partial<RegistryOptions>;
}

/** Layers of settings merged field by field, the first layer that sets a field winning. */
export function mergeRegistryOptions(...layers: readonly Partial<RegistryOptions>[]): Partial<RegistryOptions> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined && out[key] === undefined) out[key] = value;
  }
  return out as Partial<RegistryOptions>;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
