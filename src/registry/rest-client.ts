import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CompatibilityLevel, SchemaType } from '../model/contract.js';
import { EXIT, NovaError } from '../util/errors.js';
import { redactSecrets, redactUrl } from './redact.js';

/** How the CLI reaches the registry. Credentials come from the environment or the URL's user info. */
export interface RegistryConnection {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
  /** PEM file of extra CA certificates for TLS. */
  readonly caFile?: string;
  /** Milliseconds per request; 10 s by default. */
  readonly timeoutMs?: number;
  /** Attempts on a network error or a 5xx; 3 by default, with exponential backoff. */
  readonly attempts?: number;
}

/** A schema as the registry takes it. */
export interface RegistrySchema {
  readonly schemaType: SchemaType;
  readonly schema: string;
}

/** The registry's answer to a compatibility test. */
export interface CompatibilityAnswer {
  readonly compatible: boolean;
  readonly messages: readonly string[];
}

/** The registry operations the CLI needs (the port; an in-memory fake implements it in tests). */
export interface RegistryPort {
  readonly displayUrl: string;
  /** Every subject. */
  subjects(): Promise<string[]>;
  /** The subject's version numbers; [] when the subject does not exist. */
  versions(subject: string): Promise<number[]>;
  /** The id and version of a schema under a subject, or undefined when the subject does not hold it. */
  lookup(subject: string, schema: RegistrySchema): Promise<{ id: number; version: number } | undefined>;
  /** Registers a schema (a new version unless the subject already holds it) and returns its id. */
  register(subject: string, schema: RegistrySchema): Promise<number>;
  /** The subject's own compatibility level, or undefined when it inherits the global one. */
  subjectLevel(subject: string): Promise<CompatibilityLevel | undefined>;
  /** Sets the subject's compatibility level. */
  setSubjectLevel(subject: string, level: CompatibilityLevel): Promise<void>;
  /** Tests a schema against the subject's versions under its level (verbose messages). */
  testCompatibility(subject: string, schema: RegistrySchema): Promise<CompatibilityAnswer>;
}

/** Rule ids of registry failures. */
export const REGISTRY_RULES = {
  unavailable: 'REGISTRY_UNAVAILABLE',
  unauthorized: 'REGISTRY_UNAUTHORIZED',
  invalidSchema: 'REGISTRY_INVALID_SCHEMA',
  incompatible: 'REGISTRY_INCOMPATIBLE',
  error: 'REGISTRY_ERROR',
} as const;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a Confluent error code means, for people. */
function explain(status: number, code: number | undefined, message: string): { rule: string; text: string; hint?: string } {
  if (status === 401 || status === 403) {
    return { rule: REGISTRY_RULES.unauthorized, text: `the registry refused the credentials (HTTP ${status})`, hint: 'set NOVA_SCHEMA_REGISTRY_USER and NOVA_SCHEMA_REGISTRY_PASSWORD, or NOVA_SCHEMA_REGISTRY_TOKEN' };
  }
  if (code === 42201 || code === 422) return { rule: REGISTRY_RULES.invalidSchema, text: `the registry rejected the schema as invalid (${code}): ${message}` };
  if (status === 409) return { rule: REGISTRY_RULES.incompatible, text: `the registry refused an incompatible schema (409): ${message}`, hint: 'run nova-events check-compat --against registry to see why' };
  if (code === 40401) return { rule: REGISTRY_RULES.error, text: `subject not found (40401): ${message}` };
  return { rule: REGISTRY_RULES.error, text: `HTTP ${status}${code !== undefined ? ` (${code})` : ''}: ${message}` };
}

/** A RegistryPort over the Confluent Schema Registry REST API (`/subjects`, `/config`, `/compatibility`). */
export function connectRegistry(connection: RegistryConnection): RegistryPort {
  const base = new URL(connection.url.replace(/\/?$/, '/'));
  const username = connection.username ?? (base.username ? decodeURIComponent(base.username) : undefined);
  const password = connection.password ?? (base.password ? decodeURIComponent(base.password) : undefined);
  base.username = '';
  base.password = '';
  const secrets = [password, connection.token, connection.url.match(/\/\/([^@/]*)@/)?.[1]];
  const displayUrl = redactUrl(connection.url);
  const timeoutMs = connection.timeoutMs ?? 10_000;
  const attempts = Math.max(1, connection.attempts ?? 3);
  let ca: Buffer | undefined;
  if (connection.caFile) {
    try {
      ca = readFileSync(connection.caFile);
    } catch (cause) {
      throw new NovaError('REGISTRY_CA_UNREADABLE', `cannot read the CA bundle ${connection.caFile}: ${(cause as Error).message}`, { exitCode: EXIT.USAGE });
    }
  }
  const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json', 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (connection.token) headers['authorization'] = `Bearer ${connection.token}`;
  else if (username !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;

  const fail = (what: string, rule: string, text: string, retriable: boolean, hint?: string): NovaError =>
    new NovaError(rule, redactSecrets(`schema registry ${displayUrl}: ${what}: ${text}`, secrets), { exitCode: EXIT.REGISTRY, retriable, hint: hint ?? 'check that the registry runs and that the URL is right' });

  function once(method: string, path: string, body: unknown): Promise<Answer> {
    const url = new URL(path, base);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method, headers, timeout: timeoutMs, ...(ca ? { ca } : {}) }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // A non-JSON error page: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  async function call(what: string, method: string, path: string, body?: unknown, accept: readonly number[] = []): Promise<Answer> {
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let answer: Answer;
      try {
        answer = await once(method, path, body);
      } catch (error) {
        lastError = (error as Error).message;
        if (attempt < attempts) await sleep(200 * 2 ** (attempt - 1));
        continue;
      }
      if (answer.status >= 500 && attempt < attempts) {
        lastError = `HTTP ${answer.status}`;
        await sleep(200 * 2 ** (attempt - 1));
        continue;
      }
      if ((answer.status >= 200 && answer.status < 300) || accept.includes(answer.status)) return answer;
      const errorBody = (answer.body ?? {}) as { error_code?: number; message?: string };
      const explained = explain(answer.status, errorBody.error_code, errorBody.message ?? String(answer.body ?? ''));
      throw fail(what, explained.rule, explained.text, answer.status >= 500, explained.hint);
    }
    throw fail(what, REGISTRY_RULES.unavailable, `${lastError} (after ${attempts} attempts)`, true);
  }

  const subjectPath = (subject: string) => `subjects/${encodeURIComponent(subject)}`;
  const payload = (schema: RegistrySchema) => (schema.schemaType === 'AVRO' ? { schema: schema.schema } : { schemaType: schema.schemaType, schema: schema.schema });

  return {
    displayUrl,
    async subjects() {
      return (await call('listing subjects', 'GET', 'subjects')).body as string[];
    },
    async versions(subject) {
      const answer = await call(`listing versions of ${subject}`, 'GET', `${subjectPath(subject)}/versions`, undefined, [404]);
      return answer.status === 404 ? [] : (answer.body as number[]);
    },
    async lookup(subject, schema) {
      const answer = await call(`looking up ${subject}`, 'POST', subjectPath(subject), payload(schema), [404]);
      if (answer.status === 404) return undefined;
      const found = answer.body as { id: number; version: number };
      return { id: found.id, version: found.version };
    },
    async register(subject, schema) {
      return ((await call(`registering ${subject}`, 'POST', `${subjectPath(subject)}/versions`, payload(schema))).body as { id: number }).id;
    },
    async subjectLevel(subject) {
      const answer = await call(`reading the level of ${subject}`, 'GET', `config/${encodeURIComponent(subject)}?defaultToGlobal=false`, undefined, [404]);
      if (answer.status === 404) return undefined;
      const body = answer.body as { compatibilityLevel?: CompatibilityLevel; compatibility?: CompatibilityLevel };
      return body.compatibilityLevel ?? body.compatibility;
    },
    async setSubjectLevel(subject, level) {
      await call(`setting the level of ${subject}`, 'PUT', `config/${encodeURIComponent(subject)}`, { compatibility: level });
    },
    async testCompatibility(subject, schema) {
      const answer = await call(`testing ${subject}`, 'POST', `compatibility/${subjectPath(subject)}/versions?verbose=true`, payload(schema), [404]);
      if (answer.status === 404) return { compatible: true, messages: [] };
      const body = answer.body as { is_compatible?: boolean; messages?: string[] };
      return { compatible: body.is_compatible === true, messages: body.messages ?? [] };
    },
  };
}
