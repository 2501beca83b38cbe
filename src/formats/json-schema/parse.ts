import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

/** A problem found in a JSON Schema document, at a JSON pointer into it. */
export interface JsonSchemaProblem {
  readonly rule: string;
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
}

/** The JSON Schema drafts nova-events accepts. */
export type JsonSchemaDraft = 'draft-07' | '2020-12';

const DRAFT_2020 = 'https://json-schema.org/draft/2020-12/schema';

/** The draft a schema declares with `$schema` (draft-07 when it names none). */
export function jsonSchemaDraft(schema: unknown): JsonSchemaDraft {
  const declared = schema !== null && typeof schema === 'object' ? (schema as Record<string, unknown>)['$schema'] : undefined;
  return typeof declared === 'string' && declared.replace(/#$/, '') === DRAFT_2020 ? '2020-12' : 'draft-07';
}

let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** A shared ajv instance for the draft (created on first use; schemas are not cached in it). */
export function ajvFor(draft: JsonSchemaDraft): Ajv | Ajv2020 {
  if (draft === '2020-12') {
    if (!draft2020) addFormats((draft2020 = new Ajv2020({ allErrors: true, strict: false, addUsedSchema: false })));
    return draft2020;
  }
  if (!draft07) addFormats((draft07 = new Ajv({ allErrors: true, strict: false, addUsedSchema: false })));
  return draft07;
}

/**
 * Checks a JSON Schema against its draft's meta-schema and that it compiles (every `$ref`
 * resolves). Returns the problems with pointers into the schema.
 */
export function checkJsonSchema(schema: unknown): JsonSchemaProblem[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [{ rule: 'JSON_SCHEMA_INVALID', pointer: '', message: 'a JSON Schema contract must be an object' }];
  }
  const ajv = ajvFor(jsonSchemaDraft(schema));
  const { $schema: _ignored, ...withoutDraft } = schema as Record<string, unknown>;
  if (!ajv.validateSchema(withoutDraft)) {
    return (ajv.errors ?? []).map((e: ErrorObject) => ({
      rule: 'JSON_SCHEMA_INVALID',
      pointer: e.instancePath,
      message: `schema ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params['allowedValues'] as unknown[]).join(', ')})` : ''}`,
    }));
  }
  try {
    ajv.compile(withoutDraft);
  } catch (e) {
    return [{ rule: 'JSON_SCHEMA_INVALID', pointer: '', message: e instanceof Error ? e.message : String(e) }];
  }
  return [];
}
