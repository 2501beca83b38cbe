import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { CompatibilityLevel, SchemaType as ContractSchemaType } from '../model/contract.js';
import type { WriterSchema } from '../runtime/codec.js';
import { EXIT, NovaError } from '../util/errors.js';
import { redactSecrets, redactUrl } from './redact.js';

/** Rule id of a registry that could not be reached or answered with an error. */
export const REGISTRY_UNAVAILABLE = 'REGISTRY_UNAVAILABLE';

/** How the runtime reaches the Schema Registry. */
export interface RegistryOptions {
  /** The registry's base URL, e.g. `http://registry:8081` or Apicurio's `.../apis/ccompat/v7`. User info in the URL becomes basic auth. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** A bearer token (sent as `Authorization: Bearer ...`). */
  readonly token?: string;
  /** Milliseconds before a registry request fails; 10 s by default. */
  readonly timeoutMs?: number;
}

/** The registry calls the runtime makes: lookups at connect, schemas by id on first sight. */
export interface RuntimeRegistry {
  /** The id of a schema under a subject, or undefined when the subject does not hold it. */
  lookupId(subject: string, schemaType: ContractSchemaType, schema: string): Promise<number | undefined>;
  /**
   * Registers a schema under a subject (idempotent on the registry side) and returns its id.
   * `level` is the contract's compatibility level: the registry library refuses a subject whose
   * level differs, and sets it on a new subject (it would set BACKWARD otherwise).
   */
  register(subject: string, schemaType: ContractSchemaType, schema: string, level: CompatibilityLevel): Promise<number>;
  /** The schema with a global id. */
  schemaById(id: number): Promise<WriterSchema>;
  /** The URL without credentials, for messages. */
  readonly displayUrl: string;
}

interface RawApi {
  Schema: { find(args: { id: number }): Promise<{ data(): { schema: string; schemaType?: string } }> };
}

/**
 * A RuntimeRegistry over `@kafkajs/confluent-schema-registry`'s REST client (its auth and
 * retry middleware). Only REST goes through it; encoding is ours (see codec.ts).
 */
export function connectRuntimeRegistry(options: RegistryOptions): RuntimeRegistry {
  const parsed = new URL(options.url);
  const username = options.username ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined);
  const password = options.password ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined);
  parsed.username = '';
  parsed.password = '';
  const host = parsed.toString().replace(/\/$/, '');
  const token = options.token;
  const secrets = [password, token];
  const displayUrl = redactUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = new SchemaRegistry({
    host,
    clientId: 'nova-events',
    ...(username !== undefined ? { auth: { username, password: password ?? '' } } : {}),
    ...(token !== undefined
      ? { middlewares: [() => ({ request: (request: { enhance(r: object): unknown }) => request.enhance({ headers: { authorization: `Bearer ${token}` } }) })] as never }
      : {}),
    retry: { retries: 2, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 },
  }, {
    // The library compiles JSON schemas when registering; our validators are compiled elsewhere
    // (with formats), so it needs only to accept them.
    [SchemaType.JSON]: { strict: false, logger: false },
  });
  const api = (client as unknown as { api: RawApi }).api;

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (cause) {
      const status = (cause as { status?: number }).status;
      const detail = redactSecrets((cause as Error).message ?? String(cause), secrets);
      throw new NovaError(REGISTRY_UNAVAILABLE, `schema registry ${displayUrl}: ${what} failed: ${detail}`, {
        retriable: status === undefined || status >= 500 || /ECONNREFUSED|ETIMEDOUT|ECONNRESET|no answer/.test(detail),
        exitCode: EXIT.REGISTRY,
        hint: status === 401 || status === 403 ? 'check the registry credentials' : 'check that the registry runs and the URL is right',
      });
    } finally {
      clearTimeout(timer);
    }
  }

  const confluentType = (schemaType: ContractSchemaType) => (schemaType === 'AVRO' ? SchemaType.AVRO : SchemaType.JSON);

  return {
    displayUrl,
    lookupId: (subject, schemaType, schema) =>
      call(`looking up ${subject}`, async () => {
        try {
          return await client.getRegistryIdBySchema(subject, { type: confluentType(schemaType), schema } as never);
        } catch (error) {
          if ((error as Error).name === 'ConfluentSchemaRegistryError') return undefined;
          throw error;
        }
      }),
    register: (subject, schemaType, schema, level) =>
      call(`registering ${subject}`, async () => (await client.register({ type: confluentType(schemaType), schema } as never, { subject, compatibility: level as never })).id),
    schemaById: (id) =>
      call(`reading schema ${id}`, async () => {
        const data = (await api.Schema.find({ id })).data();
        return { schemaType: data.schemaType === 'JSON' ? 'JSON' : 'AVRO', schema: data.schema };
      }),
  };
}
