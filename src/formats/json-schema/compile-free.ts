import { joinPointer } from '../../diagnostics/json-pointer.js';
import type { JsonSchemaDraft } from './draft.js';
import { AJV_FORMATS, AJV_KEYWORDS, metaSchemaValidator } from './meta-validators.generated.js';

/**
 * Keys found anywhere in the document (data included) that ajv reads while collecting a
 * schema's identifiers (its traversal visits every key but a few data keywords): an `$id`
 * changes how references resolve, and a bad or repeated anchor makes the compile throw.
 */
const IDENTIFIER_KEYS = ['$id', '$anchor', '$dynamicAnchor'];

/**
 * Keywords of a schema node that ajv's compile can refuse (or that change resolution) even when
 * the draft's meta-schema accepts them: `id` always throws, `nullable` without `type` throws,
 * `$async` throws in a sync schema, dynamic and recursive references resolve at run time, the
 * format-comparison keywords need a known format, and a nested `$schema`, `$vocabulary` or
 * `discriminator` is left to ajv.
 */
const COMPILED_KEYWORDS = new Set([
  ...IDENTIFIER_KEYS,
  'id',
  '$schema',
  '$vocabulary',
  '$async',
  '$dynamicRef',
  '$recursiveRef',
  '$recursiveAnchor',
  'nullable',
  'discriminator',
  'formatMaximum',
  'formatMinimum',
  'formatExclusiveMaximum',
  'formatExclusiveMinimum',
]);

/** Keywords whose value is one subschema. */
const SCHEMA_KEYWORDS = ['additionalItems', 'items', 'contains', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties'];
/** Keywords whose value is an array of subschemas. */
const SCHEMA_ARRAY_KEYWORDS = ['items', 'allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to subschemas (`dependencies` also to lists of names). */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies', 'dependentSchemas'];

/**
 * Keywords ajv knows for the draft whose values its meta-schema does not check: draft-07's
 * meta-schema does not know `$defs`, so each of its entries is checked here before it is walked.
 */
const UNCHECKED_MAPS: Partial<Record<JsonSchemaDraft, ReadonlySet<string>>> = { 'draft-07': new Set(['$defs']) };

/**
 * A local reference as a plain JSON pointer fragment: characters that neither URI parsing nor
 * percent-decoding changes, and `~` only in the escapes `~0` and `~1`.
 */
const PLAIN_POINTER_REF = /^#(?:\/(?:[A-Za-z0-9_.$-]|~[01])*)*$/;

const keywordsByDraft = new Map<JsonSchemaDraft, ReadonlySet<string>>();
const formats: ReadonlySet<string> = new Set(AJV_FORMATS as readonly string[]);

function ajvKeywords(draft: JsonSchemaDraft): ReadonlySet<string> {
  let set = keywordsByDraft.get(draft);
  if (!set) keywordsByDraft.set(draft, (set = new Set((AJV_KEYWORDS as Record<JsonSchemaDraft, readonly string[]>)[draft])));
  return set;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function holdsIdentifiers(document: object): boolean {
  const stack: unknown[] = [document];
  for (let value = stack.pop(); value !== undefined; value = stack.pop()) {
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (IDENTIFIER_KEYS.some((key) => Object.prototype.hasOwnProperty.call(value, key))) return true;
    stack.push(...Object.values(value));
  }
  return false;
}

/**
 * Whether compiling `schema` (the document without its root `$schema`) with the draft's ajv
 * instance (`ajvFor`) is known to succeed without a warning, so that the compile can be skipped.
 * Call it only for a schema its draft's meta-schema accepts, whose regular expressions are valid
 * and whose local references resolve (`checkJsonSchema` checks those first).
 *
 * True only for a plain subset: no identifiers or anchors anywhere, in every subschema ajv
 * compiles only keywords that ajv either ignores or compiles whenever the meta-schema accepts
 * them, known formats, non-empty `enum`s (2019-09 and 2020-12 allow an empty one, ajv refuses
 * it), and references that are plain pointers to such a subschema (not the root) that is not
 * itself a reference. Anything else answers false and is compiled by ajv, which decides. Pure, iterative.
 */
export function ajvCompileCannotFail(schema: Record<string, unknown>, draft: JsonSchemaDraft): boolean {
  if (holdsIdentifiers(schema)) return false;
  const keywords = ajvKeywords(draft);
  const unchecked = UNCHECKED_MAPS[draft];
  const nodes = new Map<string, unknown>();
  const refs: string[] = [];
  const stack: Array<{ node: unknown; pointer: string }> = [{ node: schema, pointer: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, pointer } = item;
    nodes.set(pointer, node);
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (COMPILED_KEYWORDS.has(key)) return false;
      // Under strict: false ajv ignores a key it does not know, value and all.
      if (!keywords.has(key)) continue;
      if (key === 'format' && !formats.has(value as string)) return false;
      if (key === 'enum' && (!Array.isArray(value) || value.length === 0)) return false;
      if (key === '$ref') refs.push(value as string);
      const at = joinPointer(pointer, key);
      if (SCHEMA_KEYWORDS.includes(key) && !Array.isArray(value)) stack.push({ node: value, pointer: at });
      else if (SCHEMA_ARRAY_KEYWORDS.includes(key) && Array.isArray(value)) value.forEach((v, i) => stack.push({ node: v, pointer: joinPointer(at, i) }));
      else if (SCHEMA_MAP_KEYWORDS.includes(key) && isObject(value)) {
        for (const [name, v] of Object.entries(value)) {
          if (Array.isArray(v)) continue; // `dependencies` naming required properties
          if (unchecked?.has(key) && !metaSchemaValidator(draft)(v)) return false;
          stack.push({ node: v, pointer: joinPointer(at, name) });
        }
      }
    }
  }
  return refs.every((ref) => {
    if (!PLAIN_POINTER_REF.test(ref)) return false;
    // `#` is refused by ajv's compile here ("can't resolve reference # from id #"): left to ajv.
    const pointer = ref.slice(1);
    if (pointer === '') return false;
    const target = nodes.get(pointer);
    // A target that is a reference itself is resolved by ajv through the chain: left to ajv.
    return target !== undefined && !(isObject(target) && '$ref' in target);
  });
}
