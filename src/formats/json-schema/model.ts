import { splitPointer } from '../../diagnostics/json-pointer.js';
import { jsonSchemaDraft } from './draft.js';

/** Annotations every schema node may carry; compared as Confluent compares them. */
export interface SchemaMeta {
  readonly id?: string;
  readonly title?: string;
  readonly description?: string;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  /** Kafka Connect's `connect.type`, which Confluent special-cases for bytes. */
  readonly connectType?: string;
}

interface Base {
  readonly meta: SchemaMeta;
  /** JSON pointer of the node in its document. */
  readonly pointer: string;
}

/** `{}` (EmptySchema) or `true` (TrueSchema, a subclass of it). */
export interface EmptyNode extends Base {
  readonly kind: 'empty' | 'true';
}
/** `false`. */
export interface FalseNode extends Base {
  readonly kind: 'false';
}
/** A string schema. */
export interface StringNode extends Base {
  readonly kind: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}
/** A number or integer schema. */
export interface NumberNode extends Base {
  readonly kind: 'number';
  readonly requiresInteger: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
}
/** A boolean or null schema. */
export interface ScalarNode extends Base {
  readonly kind: 'boolean' | 'null';
}
/** An object schema. */
export interface ObjectNode extends Base {
  readonly kind: 'object';
  readonly properties: ReadonlyMap<string, JsonSchemaNode>;
  readonly required: readonly string[];
  /** False when `additionalProperties` (or, absent it, `unevaluatedProperties`) is `false`. */
  readonly permitsAdditionalProperties: boolean;
  readonly schemaOfAdditionalProperties?: JsonSchemaNode;
  readonly patternProperties: ReadonlyArray<readonly [RegExp, JsonSchemaNode]>;
  readonly propertyDependencies: ReadonlyMap<string, readonly string[]>;
  readonly schemaDependencies: ReadonlyMap<string, JsonSchemaNode>;
  readonly minProperties?: number;
  readonly maxProperties?: number;
}
/** An array schema. */
export interface ArrayNode extends Base {
  readonly kind: 'array';
  readonly allItemSchema?: JsonSchemaNode;
  readonly itemSchemas?: readonly JsonSchemaNode[];
  readonly permitsAdditionalItems: boolean;
  readonly schemaOfAdditionalItems?: JsonSchemaNode;
  readonly unevaluatedItems?: JsonSchemaNode;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems: boolean;
  readonly minContains?: number;
  readonly maxContains?: number;
}
/** An `enum`. */
export interface EnumNode extends Base {
  readonly kind: 'enum';
  readonly values: readonly unknown[];
}
/** A `const`. */
export interface ConstNode extends Base {
  readonly kind: 'const';
  readonly value: unknown;
}
/** `allOf`, `anyOf` or `oneOf` (also what a `type` array or several aspects of one object load as). */
export interface CombinedNode extends Base {
  readonly kind: 'combined';
  readonly criterion: 'allOf' | 'anyOf' | 'oneOf';
  readonly subschemas: readonly JsonSchemaNode[];
  /** A key per subschema; equal keys are the same subschema (Confluent collapses duplicates). */
  readonly keys: readonly string[];
}
/** A `not`. */
export interface NotNode extends Base {
  readonly kind: 'not';
  readonly mustNotMatch: JsonSchemaNode;
}
/** A `$ref`, resolved lazily (so recursive schemas load). */
export interface RefNode extends Base {
  readonly kind: 'ref';
  readonly ref: string;
  readonly referred: () => JsonSchemaNode;
}

/** A JSON Schema loaded into typed nodes, the way Confluent's loader (everit) shapes it. */
export type JsonSchemaNode =
  | EmptyNode
  | FalseNode
  | StringNode
  | NumberNode
  | ScalarNode
  | ObjectNode
  | ArrayNode
  | EnumNode
  | ConstNode
  | CombinedNode
  | NotNode
  | RefNode;

const OBJECT_KEYWORDS = [
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'required',
  'minProperties',
  'maxProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
];
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** The members of a JSON object; nothing for any other value (a malformed keyword is ignored). */
const entries = (v: unknown): Array<[string, unknown]> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : []);

/** The strings of a JSON array; nothing for any other value. */
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A property-name pattern that never matches, for one JavaScript cannot compile. */
const NEVER = /(?!)/;

/**
 * A `patternProperties` pattern as a RegExp: ECMA 262 with Unicode (the spec's dialect), else
 * without the `u` flag; a pattern neither compiles matches nothing (validate refuses such a
 * schema, and the comparison must not throw on it).
 */
function patternOf(pattern: string): RegExp {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // try the next dialect
    }
  }
  return NEVER;
}

/** A `$ref`'s fragment as a JSON pointer; undefined for a malformed percent-encoding. */
function fragmentPointer(ref: string): string | undefined {
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
}

/**
 * Loads a JSON Schema document (draft-04 to 2020-12) into typed nodes, as everit's loader does
 * for Confluent: `type` arrays become `anyOf`, keywords without `type` are sniffed into the type
 * they constrain, and an object with several aspects (a type and an `enum`, say) becomes a
 * synthetic `allOf`. Local `$ref`s resolve to the same node every time.
 */
export function loadJsonSchema(document: unknown): JsonSchemaNode {
  const byPointer = new Map<string, JsonSchemaNode>();
  const draft2020 = jsonSchemaDraft(document) === '2020-12';

  const resolve = (ref: string): JsonSchemaNode => {
    const cached = byPointer.get(ref);
    if (cached) return cached;
    const fragment = ref.startsWith('#') ? fragmentPointer(ref) : undefined;
    if (fragment === undefined || (fragment !== '' && !fragment.startsWith('/'))) return { kind: 'empty', pointer: ref, meta: { hasDefault: false } };
    let target: unknown = document;
    for (const token of splitPointer(fragment)) {
      target = target !== null && typeof target === 'object' ? (target as Json)[token] : undefined;
    }
    return load(target === undefined ? {} : target, ref.slice(1));
  };

  const load = (schema: unknown, pointer: string): JsonSchemaNode => {
    const key = `#${pointer}`;
    const cached = byPointer.get(key);
    if (cached) return cached;
    const node = build(schema, pointer);
    byPointer.set(key, node);
    return node;
  };

  const child = (schema: unknown, pointer: string): JsonSchemaNode => load(schema, pointer);

  const metaOf = (obj: Json): SchemaMeta => {
    const id = typeof obj['$id'] === 'string' ? obj['$id'] : typeof obj['id'] === 'string' ? obj['id'] : undefined;
    return {
      ...(id !== undefined ? { id } : {}),
      ...(typeof obj['title'] === 'string' ? { title: obj['title'] } : {}),
      ...(typeof obj['description'] === 'string' ? { description: obj['description'] } : {}),
      hasDefault: 'default' in obj,
      ...('default' in obj ? { default: obj['default'] } : {}),
      ...(typeof obj['connect.type'] === 'string' ? { connectType: obj['connect.type'] } : {}),
    };
  };

  const noMeta: SchemaMeta = { hasDefault: false };

  const typed = (type: string, obj: Json, pointer: string, meta: SchemaMeta): JsonSchemaNode => {
    switch (type) {
      case 'string':
        return {
          kind: 'string',
          pointer,
          meta,
          ...(num(obj['minLength']) !== undefined ? { minLength: num(obj['minLength']) } : {}),
          ...(num(obj['maxLength']) !== undefined ? { maxLength: num(obj['maxLength']) } : {}),
          ...(typeof obj['pattern'] === 'string' ? { pattern: obj['pattern'] } : {}),
        };
      case 'number':
      case 'integer': {
        // Draft-04 spells exclusive bounds as booleans beside minimum/maximum.
        const exMax = typeof obj['exclusiveMaximum'] === 'boolean' ? (obj['exclusiveMaximum'] ? num(obj['maximum']) : undefined) : num(obj['exclusiveMaximum']);
        const exMin = typeof obj['exclusiveMinimum'] === 'boolean' ? (obj['exclusiveMinimum'] ? num(obj['minimum']) : undefined) : num(obj['exclusiveMinimum']);
        const max = obj['exclusiveMaximum'] === true ? undefined : num(obj['maximum']);
        const min = obj['exclusiveMinimum'] === true ? undefined : num(obj['minimum']);
        return {
          kind: 'number',
          pointer,
          meta,
          requiresInteger: type === 'integer',
          ...(min !== undefined ? { minimum: min } : {}),
          ...(max !== undefined ? { maximum: max } : {}),
          ...(exMin !== undefined ? { exclusiveMinimum: exMin } : {}),
          ...(exMax !== undefined ? { exclusiveMaximum: exMax } : {}),
          ...(num(obj['multipleOf']) !== undefined ? { multipleOf: num(obj['multipleOf']) } : {}),
        };
      }
      case 'boolean':
      case 'null':
        return { kind: type, pointer, meta };
      case 'object':
        return objectNode(obj, pointer, meta);
      case 'array':
        return arrayNode(obj, pointer, meta);
      default:
        return { kind: 'empty', pointer, meta };
    }
  };

  const objectNode = (obj: Json, pointer: string, meta: SchemaMeta): ObjectNode => {
    const properties = new Map<string, JsonSchemaNode>();
    for (const [name, value] of entries(obj['properties'])) properties.set(name, child(value, `${pointer}/properties/${name}`));
    const additional = 'additionalProperties' in obj ? obj['additionalProperties'] : obj['unevaluatedProperties'];
    const additionalKey = 'additionalProperties' in obj ? 'additionalProperties' : 'unevaluatedProperties';
    const patternProperties: Array<readonly [RegExp, JsonSchemaNode]> = [];
    for (const [pattern, value] of entries(obj['patternProperties'])) {
      patternProperties.push([patternOf(pattern), child(value, `${pointer}/patternProperties/${pattern}`)] as const);
    }
    const propertyDependencies = new Map<string, string[]>();
    const schemaDependencies = new Map<string, JsonSchemaNode>();
    for (const [name, value] of entries(obj['dependencies'])) {
      if (Array.isArray(value)) propertyDependencies.set(name, strings(value));
      else schemaDependencies.set(name, child(value, `${pointer}/dependencies/${name}`));
    }
    for (const [name, value] of entries(obj['dependentRequired'])) propertyDependencies.set(name, strings(value));
    for (const [name, value] of entries(obj['dependentSchemas'])) {
      schemaDependencies.set(name, child(value, `${pointer}/dependentSchemas/${name}`));
    }
    return {
      kind: 'object',
      pointer,
      meta,
      properties,
      required: strings(obj['required']),
      permitsAdditionalProperties: additional !== false,
      ...(additional !== undefined && typeof additional !== 'boolean'
        ? { schemaOfAdditionalProperties: child(additional, `${pointer}/${additionalKey}`) }
        : {}),
      patternProperties,
      propertyDependencies,
      schemaDependencies,
      ...(num(obj['minProperties']) !== undefined ? { minProperties: num(obj['minProperties']) } : {}),
      ...(num(obj['maxProperties']) !== undefined ? { maxProperties: num(obj['maxProperties']) } : {}),
    };
  };

  const arrayNode = (obj: Json, pointer: string, meta: SchemaMeta): ArrayNode => {
    let allItemSchema: JsonSchemaNode | undefined;
    let itemSchemas: JsonSchemaNode[] | undefined;
    let additionalItems: unknown = obj['additionalItems'];
    let additionalKey = 'additionalItems';
    if (Array.isArray(obj['prefixItems'])) {
      itemSchemas = (obj['prefixItems'] as unknown[]).map((s, i) => child(s, `${pointer}/prefixItems/${i}`));
      // With prefixItems, 2020-12's `items` is what draft-07 called additionalItems.
      if ('items' in obj) {
        additionalItems = obj['items'];
        additionalKey = 'items';
      }
    } else if (draft2020 && typeof obj['items'] === 'boolean') {
      // 2020-12's boolean `items` says whether items are allowed at all: additionalItems.
      additionalItems = obj['items'];
      additionalKey = 'items';
    } else if (Array.isArray(obj['items'])) {
      itemSchemas = (obj['items'] as unknown[]).map((s, i) => child(s, `${pointer}/items/${i}`));
    } else if ('items' in obj) {
      allItemSchema = child(obj['items'], `${pointer}/items`);
    }
    return {
      kind: 'array',
      pointer,
      meta,
      ...(allItemSchema ? { allItemSchema } : {}),
      ...(itemSchemas ? { itemSchemas } : {}),
      permitsAdditionalItems: additionalItems !== false,
      ...(additionalItems !== undefined && typeof additionalItems !== 'boolean'
        ? { schemaOfAdditionalItems: child(additionalItems, `${pointer}/${additionalKey}`) }
        : {}),
      ...('unevaluatedItems' in obj ? { unevaluatedItems: child(obj['unevaluatedItems'], `${pointer}/unevaluatedItems`) } : {}),
      ...(num(obj['minItems']) !== undefined ? { minItems: num(obj['minItems']) } : {}),
      ...(num(obj['maxItems']) !== undefined ? { maxItems: num(obj['maxItems']) } : {}),
      uniqueItems: obj['uniqueItems'] === true,
      ...(num(obj['minContains']) !== undefined ? { minContains: num(obj['minContains']) } : {}),
      ...(num(obj['maxContains']) !== undefined ? { maxContains: num(obj['maxContains']) } : {}),
    };
  };

  const build = (schema: unknown, pointer: string): JsonSchemaNode => {
    if (schema === true) return { kind: 'true', pointer, meta: noMeta };
    if (schema === false) return { kind: 'false', pointer, meta: noMeta };
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return { kind: 'empty', pointer, meta: noMeta };
    const obj = schema as Json;
    const meta = metaOf(obj);
    if (typeof obj['$ref'] === 'string') {
      const ref = obj['$ref'];
      return { kind: 'ref', pointer, meta, ref, referred: () => resolve(ref) };
    }
    const aspects: JsonSchemaNode[] = [];
    if (Array.isArray(obj['enum'])) aspects.push({ kind: 'enum', pointer, meta: noMeta, values: obj['enum'] as unknown[] });
    for (const criterion of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (Array.isArray(obj[criterion])) {
        aspects.push({
          kind: 'combined',
          pointer,
          meta: noMeta,
          criterion,
          subschemas: (obj[criterion] as unknown[]).map((s, i) => child(s, `${pointer}/${criterion}/${i}`)),
          keys: (obj[criterion] as unknown[]).map((s) => JSON.stringify(s)),
        });
      }
    }
    if ('not' in obj) aspects.push({ kind: 'not', pointer, meta: noMeta, mustNotMatch: child(obj['not'], `${pointer}/not`) });
    if ('const' in obj) aspects.push({ kind: 'const', pointer, meta: noMeta, value: obj['const'] });
    const type = obj['type'];
    if (typeof type === 'string') aspects.push(typed(type, obj, pointer, noMeta));
    else if (Array.isArray(type)) {
      aspects.push({
        kind: 'combined',
        pointer,
        meta: noMeta,
        criterion: 'anyOf',
        subschemas: strings(type).map((t) => typed(t, obj, pointer, noMeta)),
        keys: strings(type).map((t) => `type:${t}`),
      });
    } else {
      const has = (keywords: string[]): boolean => keywords.some((k) => k in obj);
      if (has(OBJECT_KEYWORDS)) aspects.push(objectNode(obj, pointer, noMeta));
      if (has(ARRAY_KEYWORDS)) aspects.push(arrayNode(obj, pointer, noMeta));
      if (has(STRING_KEYWORDS)) aspects.push(typed('string', obj, pointer, noMeta));
      if (has(NUMBER_KEYWORDS)) aspects.push(typed('number', obj, pointer, noMeta));
    }
    if (aspects.length === 0) return { kind: 'empty', pointer, meta };
    if (aspects.length === 1) return { ...(aspects[0] as JsonSchemaNode), meta } as JsonSchemaNode;
    return { kind: 'combined', pointer, meta, criterion: 'allOf', subschemas: aspects, keys: aspects.map((a, i) => `aspect:${i}:${a.kind}`) };
  };

  return load(document, '');
}

const loadedByObject = new WeakMap<object, JsonSchemaNode>();

/** `loadJsonSchema`, once per schema object (the loaded nodes are immutable). */
export function loadedJsonSchema(document: unknown): JsonSchemaNode {
  if (document === null || typeof document !== 'object') return loadJsonSchema(document);
  let loaded = loadedByObject.get(document);
  if (!loaded) loadedByObject.set(document, (loaded = loadJsonSchema(document)));
  return loaded;
}
