import type { RuleIdOf } from '../diagnostics/rules.js';
import type { CompatibilityLevel, SchemaType } from '../model/contract.js';
import type { WriterSchema } from '../runtime/codec.js';

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

/** The registry calls the runtime makes: lookups at connect, schemas by id on first sight. */
export interface RuntimeRegistry {
  /** The id of a schema under a subject, or undefined when the subject does not hold it. */
  lookupId(subject: string, schemaType: SchemaType, schema: string): Promise<number | undefined>;
  /**
   * Registers a schema under a subject and returns its id. `level` is the contract's
   * compatibility level, set on the subject when this registration creates it.
   */
  register(subject: string, schemaType: SchemaType, schema: string, level: CompatibilityLevel): Promise<number>;
  /** The schema with a global id. */
  schemaById(id: number): Promise<WriterSchema>;
  /** The URL without credentials, for messages. */
  readonly displayUrl: string;
}

/** Rule ids of registry failures (all exit code 3 in the CLI). */
export const REGISTRY_RULES = {
  /** Not reachable: network error, timeout, or 5xx on every attempt. */
  unavailable: 'REGISTRY_UNAVAILABLE',
  /** 401 or 403. */
  unauthorized: 'REGISTRY_UNAUTHORIZED',
  /** 422 / 42201: the registry could not parse the schema. */
  invalidSchema: 'REGISTRY_INVALID_SCHEMA',
  /** 409: the registry refused an incompatible schema. */
  incompatible: 'REGISTRY_INCOMPATIBLE',
  /** A Confluent error the operation did not expect (e.g. 40403 for a schema id). */
  error: 'REGISTRY_ERROR',
  /**
   * An answer that is not the Confluent API's: a 404 without a Confluent error code (a wrong
   * URL path), a redirect, a body that is not JSON, or JSON of the wrong shape.
   */
  badResponse: 'REGISTRY_BAD_RESPONSE',
} as const satisfies Record<string, RuleIdOf<'registry'>>;

/** A rule id of a registry failure. */
export type RegistryRuleId = (typeof REGISTRY_RULES)[keyof typeof REGISTRY_RULES];

/** Rule id of a registry that could not be reached or answered with an error (the runtime's name). */
export const REGISTRY_UNAVAILABLE = REGISTRY_RULES.unavailable;

/** Rule id of an answer that is not the Confluent Schema Registry API's. */
export const REGISTRY_BAD_RESPONSE = REGISTRY_RULES.badResponse;
