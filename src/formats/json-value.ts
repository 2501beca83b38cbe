import { joinPointer } from '../diagnostics/json-pointer.js';
import type { RuleId } from '../diagnostics/rules.js';

/**
 * The deepest nesting of JSON arrays and objects a schema may have (the root object is level 1).
 * Every walk over a schema (Avro parsing, canonical form, the compatibility checks, ajv, codegen)
 * is recursive; this bound keeps each of them far from the stack's end. 256 levels are 64 nested
 * Avro records, 128 nested JSON Schema objects, or 256 nested Avro arrays.
 */
export const MAX_SCHEMA_DEPTH = 256;

/** A schema nested deeper than `MAX_SCHEMA_DEPTH` (or a cyclic object graph). */
export const SCHEMA_TOO_DEEP = 'SCHEMA_TOO_DEEP' satisfies RuleId;
/** A schema given as an object that holds a value JSON cannot carry (a bigint, a function, NaN, ...). */
export const SCHEMA_NOT_JSON = 'SCHEMA_NOT_JSON' satisfies RuleId;

/** Why a value cannot be walked as a schema, at the JSON pointer where that shows. */
export interface JsonValueProblem {
  readonly rule: typeof SCHEMA_TOO_DEEP | typeof SCHEMA_NOT_JSON;
  readonly pointer: string;
  readonly message: string;
  readonly hint: string;
}

const checked = new WeakMap<object, JsonValueProblem | null>();

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Checks, without recursion, that `value` is plain JSON data (what `JSON.parse` can return) and
 * nested at most `MAX_SCHEMA_DEPTH` levels; a cycle shows as too deep. Returns the first problem
 * in document order, or undefined. Results are cached per object (schemas are not mutated).
 */
export function jsonValueProblem(value: unknown): JsonValueProblem | undefined {
  if (value === null || typeof value !== 'object') return scalarProblem(value, '');
  const cached = checked.get(value);
  if (cached !== undefined) return cached ?? undefined;
  const problem = walk(value);
  checked.set(value, problem ?? null);
  return problem;
}

function scalarProblem(value: unknown, pointer: string): JsonValueProblem | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (Number.isFinite(value)) return undefined;
      break;
    case 'object':
      if (value === null) return undefined;
      break;
  }
  return notJson(pointer, typeof value === 'number' ? String(value) : `a ${typeof value}`);
}

function notJson(pointer: string, what: string): JsonValueProblem {
  return {
    rule: SCHEMA_NOT_JSON,
    pointer,
    message: `the schema holds ${what}, which is not a JSON value`,
    hint: 'pass JSON text, or an object made only of strings, finite numbers, booleans, null, arrays and plain objects',
  };
}

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly token: string | number;
}

/** The pointer of a visited node, built only when a problem is found (the walk is hot). */
function pointerOf(visit: Visit): string {
  const tokens: Array<string | number> = [];
  for (let v: Visit | undefined = visit; v?.parent !== undefined; v = v.parent) tokens.push(v.token);
  return joinPointer('', ...tokens.reverse());
}

function walk(root: object): JsonValueProblem | undefined {
  const stack: Visit[] = [{ value: root, depth: 1, parent: undefined, token: '' }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value, depth } = visit;
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'string' || typeof value === 'boolean' || value === null) continue;
      const problem = scalarProblem(value, pointerOf(visit));
      if (problem) return problem;
      continue;
    }
    if (depth > MAX_SCHEMA_DEPTH) {
      return {
        rule: SCHEMA_TOO_DEEP,
        pointer: pointerOf(visit),
        message: `the schema is nested deeper than ${MAX_SCHEMA_DEPTH} levels of JSON arrays and objects (or refers to itself as an object graph)`,
        hint: `flatten it: define nested types once and refer to them by name or $ref; ${MAX_SCHEMA_DEPTH} levels is the documented limit`,
      };
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, parent: visit, token: i });
    } else if (!isPlainObject(value)) {
      return notJson(pointerOf(visit), `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'non-plain'} object`);
    } else {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, parent: visit, token: key });
      }
    }
  }
  return undefined;
}
