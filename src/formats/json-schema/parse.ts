import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Options } from 'ajv';
import type { Ajv2019 } from 'ajv/dist/2019.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { joinPointer, splitPointer } from '../../diagnostics/json-pointer.js';
import { jsonValueProblem } from '../json-value.js';
import { ajvCompileCannotFail } from './compile-free.js';
import { declaredJsonSchemaDraft, JSON_SCHEMA_DRAFTS, jsonSchemaDraft, type JsonSchemaDraft } from './draft.js';
import type { ErrorRuleId, RuleId } from '../../diagnostics/rules.js';
import { metaSchemaValidator } from './meta-validators.generated.js';

export { jsonSchemaDraft, type JsonSchemaDraft };

// ajv (its compiler: ~25 ms to load, ~25 ms more to compile a meta-schema) is loaded on first
// use only: checking a catalog needs it just for schemas outside ajvCompileCannotFail's subset
const require = createRequire(import.meta.url);

/** A JSON Schema document that its draft's meta-schema refuses, or that does not compile. */
export const JSON_SCHEMA_INVALID = 'JSON_SCHEMA_INVALID' satisfies RuleId;
/** A `$schema` naming a draft nova-events does not support. */
export const JSON_SCHEMA_DRAFT_UNSUPPORTED = 'JSON_SCHEMA_DRAFT_UNSUPPORTED' satisfies RuleId;
/** A `$ref` that points at nothing in the document. */
export const JSON_SCHEMA_REF_UNRESOLVED = 'JSON_SCHEMA_REF_UNRESOLVED' satisfies RuleId;

/** A problem found in a JSON Schema document, at a JSON pointer into it. */
export interface JsonSchemaProblem {
  readonly rule: ErrorRuleId;
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * The options of every ajv instance that checks or compiles contracts; the precompiled
 * meta-schema validators (meta-validators.generated.ts) are generated with them too.
 */
export const AJV_OPTIONS = { allErrors: true, strict: false, addUsedSchema: false } as const satisfies Options;

const instances = new Map<JsonSchemaDraft, Ajv | Ajv2019 | Ajv2020>();

/** A shared ajv instance for the draft (created, and ajv loaded, on first use; schemas are not cached in it). */
export function ajvFor(draft: JsonSchemaDraft): Ajv | Ajv2019 | Ajv2020 {
  let ajv = instances.get(draft);
  if (!ajv) {
    if (draft === '2020-12') ajv = new (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020(AJV_OPTIONS);
    else if (draft === '2019-09') ajv = new (require('ajv/dist/2019.js') as typeof import('ajv/dist/2019.js')).Ajv2019(AJV_OPTIONS);
    else ajv = new (require('ajv') as typeof import('ajv')).Ajv(AJV_OPTIONS);
    (require('ajv-formats') as (ajv: Ajv | Ajv2019 | Ajv2020) => void)(ajv);
    instances.set(draft, ajv);
  }
  return ajv;
}

/** A precompiled meta-schema validator: what ajv's `validateSchema` runs, with its errors. */
interface MetaSchemaValidator {
  (schema: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Keywords whose values are data, not subschemas: a `$ref` inside them is not a reference. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

interface Located {
  readonly text: string;
  readonly pointer: string;
}

/**
 * Every `$ref` and regular expression (`pattern`, `patternProperties` names) in the document
 * with its pointer, the `$anchor`s, and whether a subschema sets `$id`. Iterative.
 */
function references(schema: object): { refs: Array<{ ref: string; pointer: string }>; patterns: Located[]; nestedIds: boolean; anchors: Set<string> } {
  const refs: Array<{ ref: string; pointer: string }> = [];
  const patterns: Located[] = [];
  const anchors = new Set<string>();
  let nestedIds = false;
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: schema, pointer: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, pointer } = item;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, pointer: joinPointer(pointer, i) }));
      continue;
    }
    const obj = value as Record<string, unknown>;
    if (typeof obj['$ref'] === 'string') refs.push({ ref: obj['$ref'], pointer: joinPointer(pointer, '$ref') });
    if (typeof obj['$anchor'] === 'string') anchors.add(obj['$anchor']);
    if (typeof obj['pattern'] === 'string') patterns.push({ text: obj['pattern'], pointer: joinPointer(pointer, 'pattern') });
    const patternProperties = obj['patternProperties'];
    if (patternProperties !== null && typeof patternProperties === 'object' && !Array.isArray(patternProperties)) {
      for (const name of Object.keys(patternProperties)) patterns.push({ text: name, pointer: joinPointer(pointer, 'patternProperties', name) });
    }
    if (pointer !== '' && (typeof obj['$id'] === 'string' || typeof obj['id'] === 'string')) nestedIds = true;
    for (const [key, v] of Object.entries(obj)) if (!DATA_KEYWORDS.has(key)) stack.push({ value: v, pointer: joinPointer(pointer, key) });
  }
  refs.reverse();
  patterns.reverse();
  return { refs, patterns, nestedIds, anchors };
}

function resolvesLocally(schema: object, ref: string, anchors: ReadonlySet<string>): boolean {
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return false;
  }
  if (fragment !== '' && !fragment.startsWith('/')) return anchors.has(fragment);
  let target: unknown = schema;
  for (const token of splitPointer(fragment)) {
    if (target === null || typeof target !== 'object' || !Object.prototype.hasOwnProperty.call(target, token)) return false;
    target = (target as Record<string, unknown>)[token];
  }
  return true;
}

function unresolved(ref: string, pointer: string): JsonSchemaProblem {
  return {
    rule: JSON_SCHEMA_REF_UNRESOLVED,
    pointer,
    message: `"$ref": "${ref}" points at nothing in the schema`,
    hint: 'point it at a definition that exists (e.g. "#/$defs/Name"); only references inside the file are resolved',
  };
}

/**
 * Checks a JSON Schema: an object nested within the depth limit, a supported draft, valid
 * against that draft's meta-schema, every local `$ref` resolving, and compiling. Returns the
 * problems with pointers into the schema; never throws.
 */
export function checkJsonSchema(schema: unknown): JsonSchemaProblem[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return [{ rule: JSON_SCHEMA_INVALID, pointer: '', message: `a JSON Schema contract must be an object, not ${schema === null ? 'null' : Array.isArray(schema) ? 'an array' : `a ${typeof schema}`}` }];
  }
  const shape = jsonValueProblem(schema);
  if (shape) return [shape];
  const declared = declaredJsonSchemaDraft(schema);
  if (!('draft' in declared)) {
    return [
      {
        rule: JSON_SCHEMA_DRAFT_UNSUPPORTED,
        pointer: '/$schema',
        message: `"$schema" ${JSON.stringify(declared.unsupported)} names no supported draft; nova-events supports ${Object.entries(JSON_SCHEMA_DRAFTS)
          .map(([name, id]) => `${name} ("${id}")`)
          .join(', ')}, and draft-07 without "$schema"`,
        hint: 'declare one of the supported drafts, or remove "$schema" for draft-07',
      },
    ];
  }
  const { $schema: _ignored, ...withoutDraft } = schema as Record<string, unknown>;
  // ajv's own validateSchema, precompiled (scripts/precompile-validators.mjs)
  const validateMeta = metaSchemaValidator(declared.draft) as MetaSchemaValidator;
  if (!validateMeta(withoutDraft)) {
    const seen = new Set<string>();
    return (validateMeta.errors ?? []).flatMap((e: ErrorObject) => {
      const message = `schema ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params['allowedValues'] as unknown[]).join(', ')})` : ''}`;
      // A meta-schema reached through several paths repeats an error: report it once.
      const key = `${e.instancePath}\n${message}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ rule: JSON_SCHEMA_INVALID, pointer: e.instancePath, message }];
    });
  }
  const { refs, patterns, nestedIds, anchors } = references(schema);
  const badPatterns = patterns.flatMap((p): JsonSchemaProblem[] => {
    try {
      new RegExp(p.text, 'u');
      return [];
    } catch (e) {
      return [{ rule: JSON_SCHEMA_INVALID, pointer: p.pointer, message: `"${p.text}" is not a valid regular expression (ECMA 262, Unicode): ${e instanceof Error ? e.message : String(e)}` }];
    }
  });
  if (badPatterns.length > 0) return badPatterns;
  if (!nestedIds) {
    // With no nested `$id`, every fragment reference resolves against the document itself.
    const dangling = refs.filter((r) => r.ref.startsWith('#') && !resolvesLocally(schema, r.ref, anchors));
    if (dangling.length > 0) return dangling.map((r) => unresolved(r.ref, r.pointer));
  }
  if (ajvCompileCannotFail(withoutDraft, declared.draft)) return [];
  try {
    ajvFor(declared.draft).compile(withoutDraft);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const missing = (e as { missingRef?: unknown }).missingRef;
    const at = refs.find((r) => r.ref === missing || message.includes(r.ref));
    if (at && typeof missing === 'string') return [unresolved(at.ref, at.pointer)];
    return [{ rule: JSON_SCHEMA_INVALID, pointer: at?.pointer ?? '', message }];
  }
  return [];
}
