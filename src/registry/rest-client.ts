import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CompatibilityLevel } from '../model/contract.js';
import { NovaError } from '../util/errors.js';
import { retry } from '../util/retry.js';
import { CONFLUENT_NOT_FOUND, READ, readAnswer, tooLarge, unreachable, writerSchemaOf, type Answer, type AnswerContext, type Expectation, type Outcome } from './answers.js';
import { REGISTRY_CA_UNREADABLE, resolveConnection, type RegistryOptions } from './connection.js';
import type { RegistryPort, RegistrySchema, RuntimeRegistry } from './port.js';

export type { CompatibilityAnswer, RegistryPort, RegistrySchema, RuntimeRegistry } from './port.js';
export { REGISTRY_BAD_RESPONSE, REGISTRY_RULES, REGISTRY_UNAVAILABLE } from './port.js';
export type { RegistryConnection, RegistryOptions } from './connection.js';

/** The one registry adapter: the CLI's port and the runtime's calls over the same client. */
export type RegistryClient = RegistryPort & Omit<RuntimeRegistry, 'register'> & {
  /** Registers a schema and, when this creates the subject, sets the subject's level (the runtime's auto-registration). */
  registerAtLevel(subject: string, schema: RegistrySchema, level: CompatibilityLevel): Promise<number>;
};

/** Bodies larger than this are refused before they are parsed (a registry's answers are small). */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** A request that got no HTTP answer (refused, reset, timed out): worth another attempt. */
class NoAnswer extends Error {}
/** A 5xx or 429 answer: worth another attempt; read as an error when it is the last. */
class TransientAnswer extends Error {
  constructor(readonly answer: Answer) {
    super(`HTTP ${answer.status}`);
  }
}

/**
 * A client of the Confluent Schema Registry REST API (`/subjects`, `/config`,
 * `/compatibility`, `/schemas/ids`) on node:http(s): one place for requests, auth, timeouts,
 * retries with jittered backoff, redaction and the reading of answers. Light: the runtime uses
 * it too.
 */
export function connectRegistry(options: RegistryOptions): RegistryClient {
  const connection = resolveConnection(options);
  const { base, displayUrl, secrets, timeoutMs, attempts } = connection;
  let ca: Buffer | undefined;
  if (connection.caFile) {
    try {
      ca = readFileSync(connection.caFile);
    } catch (cause) {
      throw new NovaError(REGISTRY_CA_UNREADABLE, `cannot read the CA bundle ${connection.caFile}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
    }
  }
  const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json', 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (connection.authorization) headers['authorization'] = connection.authorization;
  const context: AnswerContext = { displayUrl, secrets };

  function send(method: string, path: string, body: unknown, what: string): Promise<Answer> {
    const url = new URL(path, base);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, ...(ca ? { ca } : {}) }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            clearTimeout(timer);
            reject(tooLarge(what, MAX_ANSWER_BYTES, context));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const location = res.headers.location;
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ...(location ? { location } : {}) });
        });
        res.on('error', (error) => reject(new NoAnswer(error.message)));
      });
      // The whole answer within the timeout, not only the first byte (a trickling proxy counts).
      const timer = setTimeout(() => req.destroy(new NoAnswer(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof NoAnswer || error instanceof NovaError ? error : new NoAnswer((error as NodeJS.ErrnoException).code ?? error.message));
      });
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  async function call<T>(method: string, path: string, body: unknown, expectation: Expectation<T>): Promise<Outcome<T>> {
    let made = 0;
    let answer: Answer;
    try {
      answer = await retry(
        async (attempt) => {
          made = attempt;
          const got = await send(method, path, body, expectation.what);
          if (got.status >= 500 || got.status === 429) throw new TransientAnswer(got);
          return got;
        },
        { ...connection.backoff, attempts, retriable: (error) => error instanceof NoAnswer || error instanceof TransientAnswer },
      );
    } catch (error) {
      if (error instanceof TransientAnswer) answer = error.answer;
      else if (error instanceof NoAnswer) throw unreachable(expectation.what, error.message, { ...context, attempts: made });
      else throw error;
    }
    return readAnswer(answer, expectation, { ...context, attempts: made });
  }

  async function value<T>(method: string, path: string, body: unknown, expectation: Expectation<T>): Promise<T> {
    const outcome = await call(method, path, body, expectation);
    // Only reached when the expectation lists no "not found" code for this outcome.
    if (!outcome.found) throw new Error(`unexpected not-found outcome ${outcome.code}`);
    return outcome.value;
  }

  const subjectPath = (subject: string) => `subjects/${encodeURIComponent(subject)}`;
  const quoted = (subject: string) => JSON.stringify(subject);
  const payload = (schema: RegistrySchema) => (schema.schemaType === 'AVRO' ? { schema: schema.schema } : { schemaType: schema.schemaType, schema: schema.schema });

  const client: RegistryClient = {
    displayUrl,
    subjects: () => value('GET', 'subjects', undefined, { what: 'listing subjects', shape: 'an array of subject names', read: READ.subjects }),
    async versions(subject) {
      const outcome = await call('GET', `${subjectPath(subject)}/versions`, undefined, {
        what: `listing the versions of subject ${quoted(subject)}`,
        shape: 'an array of version numbers',
        read: READ.versions,
        notFound: [CONFLUENT_NOT_FOUND.subject],
      });
      return outcome.found ? outcome.value : [];
    },
    async lookup(subject, schema) {
      const outcome = await call('POST', subjectPath(subject), payload(schema), {
        what: `looking up a schema under subject ${quoted(subject)}`,
        shape: '{"id": <schema id>, "version": <version>}',
        read: READ.lookup,
        notFound: [CONFLUENT_NOT_FOUND.subject, CONFLUENT_NOT_FOUND.schema],
      });
      return outcome.found ? outcome.value : undefined;
    },
    register: (subject, schema) => value('POST', `${subjectPath(subject)}/versions`, payload(schema), { what: `registering a schema under subject ${quoted(subject)}`, shape: '{"id": <schema id>}', read: READ.id }),
    async subjectLevel(subject) {
      const outcome = await call('GET', `config/${encodeURIComponent(subject)}?defaultToGlobal=false`, undefined, {
        what: `reading the level of subject ${quoted(subject)}`,
        shape: '{"compatibilityLevel": <level>}',
        read: READ.level,
        notFound: [CONFLUENT_NOT_FOUND.subject, CONFLUENT_NOT_FOUND.subjectLevelCompatibilityNotConfigured],
      });
      return outcome.found ? outcome.value : undefined;
    },
    async setSubjectLevel(subject, level) {
      await value('PUT', `config/${encodeURIComponent(subject)}`, { compatibility: level }, {
        what: `setting the level of subject ${quoted(subject)}`,
        shape: `{"compatibility": "${level}"}`,
        read: (body) => (READ.level(body) === level ? level : undefined),
      });
    },
    async testCompatibility(subject, schema) {
      const outcome = await call('POST', `compatibility/${subjectPath(subject)}/versions?verbose=true`, payload(schema), {
        what: `testing compatibility under subject ${quoted(subject)}`,
        shape: '{"is_compatible": <boolean>, "messages": [...]}',
        read: READ.compatibility,
        // A subject without versions has nothing to be incompatible with.
        notFound: [CONFLUENT_NOT_FOUND.subject, CONFLUENT_NOT_FOUND.version],
      });
      return outcome.found ? outcome.value : { compatible: true, messages: [] };
    },
    async schemaById(id) {
      if (!Number.isInteger(id) || id < 0) throw new NovaError('REGISTRY_ERROR', `schema id ${String(id)} is not a registry id`);
      const found = await value('GET', `schemas/ids/${id}`, undefined, { what: `reading schema ${id}`, shape: '{"schema": <text>, "schemaType"?: <type>}', read: READ.schema });
      return writerSchemaOf(id, found, context);
    },
    async lookupId(subject, schemaType, schema) {
      return (await client.lookup(subject, { schemaType, schema }))?.id;
    },
    async registerAtLevel(subject, schema, level) {
      const created = (await client.versions(subject)).length === 0;
      const id = await client.register(subject, schema);
      if (created) await client.setSubjectLevel(subject, level);
      return id;
    },
  };
  return client;
}
