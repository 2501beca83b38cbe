import { joinPointer } from '../../diagnostics/json-pointer.js';
import { avroLogicalTypeProblem } from './logical-types.js';
import type { ErrorRuleId, RuleId, WarningRuleId } from '../../diagnostics/rules.js';

/** The eight Avro primitive type names. */
export const AVRO_PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;

/** An Avro primitive type name. */
export type AvroPrimitiveName = (typeof AVRO_PRIMITIVES)[number];

interface NodeBase {
  /** JSON pointer of this type's definition in the schema document. */
  readonly pointer: string;
  /** The logical type, when it is valid for the type (Avro Java ignores an invalid one). */
  readonly logicalType?: string;
  /** Every attribute of the JSON object that defined the type (empty for a bare name). */
  readonly props: Readonly<Record<string, unknown>>;
}

/** A primitive type, possibly with a logical type (`timestamp-millis`, `uuid`, ...). */
export interface AvroPrimitive extends NodeBase {
  readonly kind: AvroPrimitiveName;
}

interface NamedBase extends NodeBase {
  /** The unqualified name. */
  readonly name: string;
  readonly namespace: string;
  /** `namespace.name`, or `name` without a namespace. */
  readonly fullName: string;
  /** Alias full names. */
  readonly aliases: readonly string[];
  readonly doc?: string;
}

/** A record field. */
export interface AvroField {
  readonly name: string;
  readonly type: AvroNode;
  readonly doc?: string;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly aliases: readonly string[];
  readonly pointer: string;
}

/** A record (or error) type. */
export interface AvroRecord extends NamedBase {
  readonly kind: 'record';
  readonly fields: AvroField[];
}

/** An enum type. */
export interface AvroEnum extends NamedBase {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
  readonly default?: string;
}

/** A fixed type. */
export interface AvroFixed extends NamedBase {
  readonly kind: 'fixed';
  readonly size: number;
}

/** An array type. */
export interface AvroArray extends NodeBase {
  readonly kind: 'array';
  readonly items: AvroNode;
}

/** A map type (string keys). */
export interface AvroMap extends NodeBase {
  readonly kind: 'map';
  readonly values: AvroNode;
}

/** A union type. */
export interface AvroUnion extends NodeBase {
  readonly kind: 'union';
  readonly branches: readonly AvroNode[];
}

/** A parsed Avro type. Named types are shared objects: a reference is the definition itself. */
export type AvroNode = AvroPrimitive | AvroRecord | AvroEnum | AvroFixed | AvroArray | AvroMap | AvroUnion;

/** A named Avro type. */
export type AvroNamed = AvroRecord | AvroEnum | AvroFixed;

/** A problem found while parsing an Avro schema, at a JSON pointer into it. */
export interface AvroSchemaProblem<R extends RuleId = RuleId> {
  readonly rule: R;
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
}

/**
 * A parsed schema with the named types it defines and what was found: `problems` make Avro Java
 * (and so the registry) refuse the schema; `runtimeProblems` are accepted by Avro Java but make
 * the runtime's Avro library (avsc) refuse it; `warnings` are legal but probably not meant.
 */
export interface ParsedAvroSchema {
  readonly root: AvroNode;
  readonly named: ReadonlyMap<string, AvroNamed>;
  readonly problems: readonly AvroSchemaProblem<ErrorRuleId>[];
  readonly runtimeProblems: readonly AvroSchemaProblem<ErrorRuleId>[];
  readonly warnings: readonly AvroSchemaProblem<WarningRuleId>[];
}

/** A union default that Avro Java accepts (it matches a later branch) but avsc cannot load. */
export const AVRO_INVALID_DEFAULT = 'AVRO_INVALID_DEFAULT' satisfies RuleId;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for a named type (record, enum, fixed). */
export function isNamed(node: AvroNode): node is AvroNamed {
  return node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed';
}

/**
 * Parses an Avro schema (already JSON-parsed) into a type graph, as Avro Java's parser would:
 * namespaces inherited, names resolved, unions checked, defaults validated. Never throws: every
 * problem is collected with its JSON pointer, and a best-effort graph is returned.
 */
export function parseAvroSchema(json: unknown): ParsedAvroSchema {
  const named = new Map<string, AvroNamed>();
  const problems: AvroSchemaProblem<ErrorRuleId>[] = [];
  const runtimeProblems: AvroSchemaProblem<ErrorRuleId>[] = [];
  const warnings: AvroSchemaProblem<WarningRuleId>[] = [];
  const to =
    <R extends RuleId>(list: AvroSchemaProblem<R>[]) =>
    (rule: R, pointer: string, message: string, hint?: string): void => {
      list.push(hint === undefined ? { rule, pointer, message } : { rule, pointer, message, hint });
    };
  const problem = to(problems);

  const fullNameOf = (name: string, namespace: string): string =>
    name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;

  const lookup = (ref: string, namespace: string): AvroNamed | undefined =>
    named.get(fullNameOf(ref, namespace)) ?? named.get(ref);

  const placeholder = (pointer: string): AvroPrimitive => ({ kind: 'null', pointer, props: {} });

  const checkName = (name: string, pointer: string): void => {
    for (const part of name.split('.')) {
      if (!NAME.test(part)) {
        problem('AVRO_INVALID_NAME', pointer, `name "${name}" is not a valid Avro name`, 'use letters, digits and _ only, not starting with a digit');
        return;
      }
    }
  };

  const parse = (schema: unknown, pointer: string, namespace: string): AvroNode => {
    if (typeof schema === 'string') {
      if ((AVRO_PRIMITIVES as readonly string[]).includes(schema)) {
        return { kind: schema as AvroPrimitiveName, pointer, props: {} };
      }
      const ref = lookup(schema, namespace);
      if (!ref) {
        problem('AVRO_UNKNOWN_TYPE', pointer, `type "${schema}" is not defined`, 'define the named type before it is used, or use a primitive type name');
        return placeholder(pointer);
      }
      return ref;
    }
    if (Array.isArray(schema)) return parseUnion(schema, pointer, namespace);
    if (schema === null || typeof schema !== 'object') {
      problem('AVRO_INVALID_SCHEMA', pointer, `schema ${JSON.stringify(schema)} is neither a type name, an object nor a union`);
      return placeholder(pointer);
    }
    const obj = schema as Record<string, unknown>;
    const type = obj['type'];
    const logicalProblem = avroLogicalTypeProblem(obj);
    if (logicalProblem) to(warnings)(logicalProblem.rule, joinPointer(pointer, 'logicalType'), logicalProblem.message, 'fix the logical type\'s attributes, or remove "logicalType"');
    const logicalType = typeof obj['logicalType'] === 'string' && !logicalProblem ? (obj['logicalType'] as string) : undefined;
    const base = { pointer, props: obj, ...(logicalType !== undefined ? { logicalType } : {}) };
    if (Array.isArray(type) || (type !== null && typeof type === 'object')) {
      // {"type": {...}} and {"type": [...]} nest a schema, as Avro Java allows.
      return parse(type, joinPointer(pointer, 'type'), namespace);
    }
    if (typeof type !== 'string') {
      problem('AVRO_INVALID_SCHEMA', pointer, 'schema object has no "type"', 'add "type": "record" (or another Avro type)');
      return placeholder(pointer);
    }
    switch (type) {
      case 'record':
      case 'error':
        return parseRecord(obj, base, namespace);
      case 'enum':
        return parseEnum(obj, base, namespace);
      case 'fixed':
        return parseFixed(obj, base, namespace);
      case 'array': {
        if (!('items' in obj)) {
          problem('AVRO_INVALID_SCHEMA', pointer, 'array has no "items"');
          return { kind: 'array', ...base, items: placeholder(joinPointer(pointer, 'items')) };
        }
        return { kind: 'array', ...base, items: parse(obj['items'], joinPointer(pointer, 'items'), namespace) };
      }
      case 'map': {
        if (!('values' in obj)) {
          problem('AVRO_INVALID_SCHEMA', pointer, 'map has no "values"');
          return { kind: 'map', ...base, values: placeholder(joinPointer(pointer, 'values')) };
        }
        return { kind: 'map', ...base, values: parse(obj['values'], joinPointer(pointer, 'values'), namespace) };
      }
      default:
        if ((AVRO_PRIMITIVES as readonly string[]).includes(type)) {
          return { kind: type as AvroPrimitiveName, ...base };
        }
        {
          const ref = lookup(type, namespace);
          if (ref) return ref;
        }
        problem('AVRO_UNKNOWN_TYPE', joinPointer(pointer, 'type'), `type "${type}" is not defined`, 'use a primitive or a defined named type');
        return placeholder(pointer);
    }
  };

  const namedBase = (
    obj: Record<string, unknown>,
    pointer: string,
    namespace: string,
  ): { name: string; namespace: string; fullName: string; aliases: string[]; doc?: string } | undefined => {
    const rawName = obj['name'];
    if (typeof rawName !== 'string' || rawName === '') {
      problem('AVRO_INVALID_SCHEMA', pointer, 'named type has no "name"', 'add a "name"');
      return undefined;
    }
    checkName(rawName, joinPointer(pointer, 'name'));
    let ns = namespace;
    if (typeof obj['namespace'] === 'string') ns = obj['namespace'] as string;
    let name = rawName;
    if (rawName.includes('.')) {
      ns = rawName.slice(0, rawName.lastIndexOf('.'));
      name = rawName.slice(rawName.lastIndexOf('.') + 1);
    }
    const fullName = ns === '' ? name : `${ns}.${name}`;
    if ((AVRO_PRIMITIVES as readonly string[]).includes(fullName)) {
      problem('AVRO_INVALID_NAME', joinPointer(pointer, 'name'), `named type "${fullName}" redefines a primitive type`);
    }
    const aliases = Array.isArray(obj['aliases'])
      ? (obj['aliases'] as unknown[]).filter((a): a is string => typeof a === 'string').map((a) => fullNameOf(a, ns))
      : [];
    const doc = typeof obj['doc'] === 'string' ? (obj['doc'] as string) : undefined;
    return { name, namespace: ns, fullName, aliases, ...(doc !== undefined ? { doc } : {}) };
  };

  const define = (node: AvroNamed): void => {
    if (named.has(node.fullName)) {
      problem('AVRO_DUPLICATE_NAME', joinPointer(node.pointer, 'name'), `type "${node.fullName}" is defined twice`, 'define it once and refer to it by name');
      return;
    }
    named.set(node.fullName, node);
  };

  const parseRecord = (obj: Record<string, unknown>, base: NodeBase, namespace: string): AvroNode => {
    const names = namedBase(obj, base.pointer, namespace);
    if (!names) return placeholder(base.pointer);
    const record: AvroRecord = { kind: 'record', ...base, ...names, fields: [] };
    define(record);
    const fieldsJson = obj['fields'];
    if (!Array.isArray(fieldsJson)) {
      problem('AVRO_INVALID_SCHEMA', base.pointer, `record "${names.fullName}" has no "fields" array`, 'add "fields": []');
      return record;
    }
    const seen = new Set<string>();
    fieldsJson.forEach((fieldJson: unknown, index) => {
      const fp = joinPointer(base.pointer, 'fields', index);
      if (fieldJson === null || typeof fieldJson !== 'object' || Array.isArray(fieldJson)) {
        problem('AVRO_INVALID_SCHEMA', fp, 'field is not an object');
        return;
      }
      const f = fieldJson as Record<string, unknown>;
      const name = f['name'];
      if (typeof name !== 'string') {
        problem('AVRO_INVALID_SCHEMA', fp, 'field has no "name"');
        return;
      }
      if (!NAME.test(name)) problem('AVRO_INVALID_NAME', joinPointer(fp, 'name'), `field name "${name}" is not a valid Avro name`);
      if (seen.has(name)) problem('AVRO_DUPLICATE_FIELD', joinPointer(fp, 'name'), `field "${name}" is defined twice in "${names.fullName}"`);
      seen.add(name);
      if (!('type' in f)) {
        problem('AVRO_INVALID_SCHEMA', fp, `field "${name}" has no "type"`);
        return;
      }
      const type = parse(f['type'], joinPointer(fp, 'type'), names.namespace);
      const hasDefault = 'default' in f;
      const aliases = Array.isArray(f['aliases']) ? (f['aliases'] as unknown[]).filter((a): a is string => typeof a === 'string') : [];
      const doc = typeof f['doc'] === 'string' ? (f['doc'] as string) : undefined;
      const field: AvroField = {
        name,
        type,
        hasDefault,
        aliases,
        pointer: fp,
        ...(hasDefault ? { default: f['default'] } : {}),
        ...(doc !== undefined ? { doc } : {}),
      };
      record.fields.push(field);
      if (hasDefault && !isValidDefault(type, f['default'])) {
        problem(
          AVRO_INVALID_DEFAULT,
          joinPointer(fp, 'default'),
          `default ${JSON.stringify(f['default'])} of field "${name}" does not match its type`,
          type.kind === 'union' ? 'a union default must match one of the union\'s branches; put "null" first for a null default' : undefined,
        );
      } else if (hasDefault && !isValidDefault(type, f['default'], true)) {
        // Avro Java 1.12 (what the registry runs) takes a union default of any branch; the
        // specification and avsc want the first, and avsc refuses the schema otherwise.
        to(runtimeProblems)(
          AVRO_INVALID_DEFAULT,
          joinPointer(fp, 'default'),
          `default ${JSON.stringify(f['default'])} of field "${name}" is not of its union's first branch: Avro Java and the registry accept it, but the runtime's Avro library (avsc) cannot load such a schema`,
          'put the branch of the default first in the union (for a null default: ["null", …])',
        );
      }
    });
    return record;
  };

  const parseEnum = (obj: Record<string, unknown>, base: NodeBase, namespace: string): AvroNode => {
    const names = namedBase(obj, base.pointer, namespace);
    if (!names) return placeholder(base.pointer);
    const symbolsJson = obj['symbols'];
    const symbols = Array.isArray(symbolsJson) ? symbolsJson.filter((s): s is string => typeof s === 'string') : [];
    if (!Array.isArray(symbolsJson)) problem('AVRO_INVALID_SCHEMA', base.pointer, `enum "${names.fullName}" has no "symbols" array`);
    const seen = new Set<string>();
    symbols.forEach((s, i) => {
      if (!NAME.test(s)) problem('AVRO_INVALID_NAME', joinPointer(base.pointer, 'symbols', i), `enum symbol "${s}" is not a valid Avro name`);
      if (seen.has(s)) problem('AVRO_DUPLICATE_SYMBOL', joinPointer(base.pointer, 'symbols', i), `enum symbol "${s}" is listed twice`);
      seen.add(s);
    });
    const def = obj['default'];
    if (def !== undefined && (typeof def !== 'string' || !symbols.includes(def))) {
      problem('AVRO_INVALID_DEFAULT', joinPointer(base.pointer, 'default'), `enum default ${JSON.stringify(def)} is not one of its symbols`);
    }
    const node: AvroEnum = {
      kind: 'enum',
      ...base,
      ...names,
      symbols,
      ...(typeof def === 'string' ? { default: def } : {}),
    };
    define(node);
    return node;
  };

  const parseFixed = (obj: Record<string, unknown>, base: NodeBase, namespace: string): AvroNode => {
    const names = namedBase(obj, base.pointer, namespace);
    if (!names) return placeholder(base.pointer);
    const size = obj['size'];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      problem('AVRO_INVALID_SCHEMA', joinPointer(base.pointer, 'size'), `fixed "${names.fullName}" needs a non-negative integer "size"`);
    }
    const node: AvroFixed = { kind: 'fixed', ...base, ...names, size: typeof size === 'number' ? size : 0 };
    define(node);
    return node;
  };

  const parseUnion = (schema: unknown[], pointer: string, namespace: string): AvroNode => {
    const branches = schema.map((b, i) => parse(b, joinPointer(pointer, i), namespace));
    const seen = new Set<string>();
    branches.forEach((b, i) => {
      if (b.kind === 'union') {
        problem('AVRO_INVALID_UNION', joinPointer(pointer, i), 'a union cannot directly contain another union');
        return;
      }
      const key = isNamed(b) ? b.fullName : b.kind;
      if (seen.has(key)) problem('AVRO_INVALID_UNION', joinPointer(pointer, i), `union contains "${key}" more than once`);
      seen.add(key);
    });
    return { kind: 'union', pointer, props: {}, branches };
  };

  const root = parse(json, '', '');
  return { root, named, problems, runtimeProblems, warnings };
}

const parsedByObject = new WeakMap<object, ParsedAvroSchema>();

/**
 * `parseAvroSchema`, once per schema object: the graph is immutable, so loading, validation
 * and every compatibility check of the same schema share one parse.
 */
export function parsedAvroSchema(json: unknown): ParsedAvroSchema {
  if (json === null || typeof json !== 'object') return parseAvroSchema(json);
  let parsed = parsedByObject.get(json);
  if (!parsed) parsedByObject.set(json, (parsed = parseAvroSchema(json)));
  return parsed;
}

/**
 * Whether a JSON default value is valid for a type. A union's default may match any branch, as
 * Avro Java 1.12 decides; with `firstBranchOnly` it must match the first, as the specification
 * and avsc want.
 */
export function isValidDefault(node: AvroNode, value: unknown, firstBranchOnly = false): boolean {
  switch (node.kind) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
    case 'long':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
    case 'double':
      return typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
    case 'bytes':
    case 'string':
    case 'fixed':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && node.symbols.includes(value);
    case 'array':
      return Array.isArray(value) && value.every((v) => isValidDefault(node.items, v, firstBranchOnly));
    case 'map':
      return (
        value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => isValidDefault(node.values, v, firstBranchOnly))
      );
    case 'record':
      return (
        value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        node.fields.every((f) =>
          f.name in (value as object) ? isValidDefault(f.type, (value as Record<string, unknown>)[f.name], firstBranchOnly) : f.hasDefault,
        )
      );
    case 'union': {
      if (!firstBranchOnly) return node.branches.some((b) => isValidDefault(b, value));
      const first = node.branches[0];
      return first !== undefined && isValidDefault(first, value, true);
    }
  }
}

/** The type's name as Avro Java prints it in messages: a full name or a kind. */
export function typeLabel(node: AvroNode): string {
  return isNamed(node) ? node.fullName : node.kind;
}
