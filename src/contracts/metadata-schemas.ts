import type { ErrorObject } from 'ajv';
import { COMPATIBILITY_LEVELS, LEGACY_ENCODINGS, SCHEMA_TYPES, SUBJECT_STRATEGIES } from '../model/contract.js';
import { validateEventMetadata, validateTopics } from './metadata-validators.generated.js';

const serviceName = { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } as const;

/** JSON Schema (draft-07) of an event's metadata file, `<aggregate>/<type>.event.json`. */
export const EVENT_METADATA_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'type',
    'aggregate',
    'description',
    'topic',
    'schemaType',
    'subjectStrategy',
    'key',
    'compatibility',
    'owner',
    'subscribers',
    'versions',
  ],
  properties: {
    $comment: { type: 'string' },
    type: { type: 'string', minLength: 1 },
    aggregate: { type: 'string', pattern: '^[a-z][a-z0-9]*$' },
    description: { type: 'string', minLength: 1 },
    topic: { type: 'string', minLength: 1 },
    schemaType: { enum: [...SCHEMA_TYPES] },
    subjectStrategy: { enum: [...SUBJECT_STRATEGIES] },
    key: { type: 'string', minLength: 1 },
    compatibility: { enum: [...COMPATIBILITY_LEVELS] },
    owner: serviceName,
    subscribers: { type: 'array', items: serviceName, uniqueItems: true },
    legacy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        types: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        topics: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        encodings: { type: 'array', items: { enum: [...LEGACY_ENCODINGS] }, uniqueItems: true },
        publishType: { type: 'string', minLength: 1 },
        publishTopic: { type: 'string', minLength: 1 },
        fields: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              from: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, uniqueItems: true },
              default: {},
              symbols: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
            },
          },
        },
      },
    },
    seedSource: { type: 'string', minLength: 1 },
    versions: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  },
} as const;

/** JSON Schema (draft-07) of `contracts/topics.json`. */
export const TOPICS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['topics'],
  properties: {
    $comment: { type: 'string' },
    topics: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'description', 'partitions', 'retentionMs'],
        properties: {
          name: { type: 'string', minLength: 1 },
          description: { type: 'string', minLength: 1 },
          partitions: { type: 'integer', minimum: 1 },
          retentionMs: { type: 'integer', minimum: -1 },
          envVars: { type: 'array', items: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' } },
        },
      },
    },
  },
} as const;

/** A precompiled validator: true when `data` is valid, else false with `errors` set (ajv's errors). */
export interface MetadataValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * The validators of the two schemas above, compiled by ajv (allErrors, strict) at build time
 * into metadata-validators.generated.ts by scripts/precompile-validators.mjs, so that loading a
 * catalog does not load ajv's compiler. A unit test fails when the generated code is stale.
 */
export const METADATA_VALIDATORS: { readonly event: MetadataValidator; readonly topics: MetadataValidator } = {
  event: validateEventMetadata,
  topics: validateTopics,
};
