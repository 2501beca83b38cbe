import type { AvroField, AvroNode, AvroRecord } from '../formats/avro/schema.js';
import { isNamed } from '../formats/avro/schema.js';
import { arrayOf, DeclarationSet, stringLiteral, interfaceDeclaration, pascalName, typeAlias, type PropertySpec, type TypeDeclaration } from './declarations.js';

/**
 * Logical types the runtime converts (src/runtime/avro-type.ts); any other logical type (uuid
 * included) is read as its underlying type, so it maps as that type. A node carries a logical
 * type only when it is valid (`avroLogicalTypeProblem`, which the runtime asks too): an invalid
 * one (`decimal` with scale > precision) is ignored by both, and the underlying type maps.
 */
const LOGICAL: Readonly<Record<string, { readonly on: readonly string[]; readonly ts: string }>> = {
  'timestamp-millis': { on: ['long'], ts: 'Date' },
  decimal: { on: ['bytes', 'fixed'], ts: 'string' },
};

const PRIMITIVE_TS: Readonly<Record<string, string>> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'bigint',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

function convertedLogical(node: AvroNode): string | undefined {
  const logical = node.logicalType !== undefined ? LOGICAL[node.logicalType] : undefined;
  return logical && logical.on.includes(node.kind) ? logical.ts : undefined;
}

/**
 * avsc's bucket of a union branch (`getTypeBucket`): two branches in one bucket make avsc wrap
 * the union. Converted logical types have no bucket, and our `long` is avsc's abstract long.
 */
function bucket(node: AvroNode): string | undefined {
  if (convertedLogical(node) !== undefined) return undefined;
  switch (node.kind) {
    case 'int':
    case 'float':
    case 'double':
      return 'number';
    case 'long':
      return 'abstract:long';
    case 'bytes':
    case 'fixed':
      return 'buffer';
    case 'enum':
    case 'string':
      return 'string';
    case 'map':
    case 'record':
      return 'object';
    default:
      return node.kind;
  }
}

/** True when avsc (`wrapUnions: 'auto'`) wraps this union's values as `{ branchName: value }`. */
export function isWrappedUnion(branches: readonly AvroNode[]): boolean {
  const seen = new Set<string>();
  for (const branch of branches) {
    const b = bucket(branch);
    if (b === undefined) continue;
    if (seen.has(b)) return true;
    seen.add(b);
  }
  return false;
}

function branchName(node: AvroNode): string {
  return isNamed(node) ? node.fullName : node.kind;
}

/** Maps one Avro schema's types to TypeScript declarations in a DeclarationSet. */
export class AvroTypeMapper {
  private readonly names = new Map<AvroNode, string>();

  constructor(
    private readonly declarations: DeclarationSet,
    /** Prefix for named types whose name another shape already took. */
    private readonly owner: string,
  ) {}

  /** The TypeScript type text of a node, declaring the named types it uses. */
  typeOf(node: AvroNode): string {
    const logical = convertedLogical(node);
    if (logical !== undefined) return logical;
    switch (node.kind) {
      case 'record':
        return this.record(node, pascalName(node.name), false);
      case 'enum':
        return this.named(node, () => typeAlias(pascalName(node.name), node.doc, node.symbols.map(stringLiteral).join(' | ')), pascalName(node.name));
      case 'fixed':
        return 'Buffer';
      case 'array':
        return arrayOf(this.typeOf(node.items));
      case 'map':
        return `Record<string, ${this.typeOf(node.values)}>`;
      case 'union':
        return this.union(node.branches);
      default:
        return PRIMITIVE_TS[node.kind]!;
    }
  }

  /**
   * Declares a record as `name`. With `input`, fields that have a default are optional (avsc
   * writes the default for a missing field); nested types keep their read shape.
   */
  record(node: AvroRecord, name: string, input: boolean): string {
    const properties = (): PropertySpec[] => node.fields.map((field) => this.property(field, input));
    if (input) return this.declarations.declare(this.owner, (n) => interfaceDeclaration(n, node.doc, properties()), name);
    return this.named(node, () => interfaceDeclaration(name, node.doc, properties()), name);
  }

  private property(field: AvroField, input: boolean): PropertySpec {
    return { name: field.name, type: this.typeOf(field.type), optional: input && field.hasDefault, doc: field.doc };
  }

  private named(node: AvroNode, build: () => TypeDeclaration, name: string): string {
    const known = this.names.get(node);
    if (known !== undefined) return known;
    // Reserve the name first so that a recursive record refers to itself.
    this.names.set(node, name);
    const used = this.declarations.declare(this.owner, (n) => ({ ...build(), name: n }), name);
    this.names.set(node, used);
    return used;
  }

  private union(branches: readonly AvroNode[]): string {
    const wrapped = isWrappedUnion(branches);
    const parts = branches.map((branch) => {
      const type = this.typeOf(branch);
      return wrapped && branch.kind !== 'null' ? `{ ${stringLiteral(branchName(branch))}: ${type} }` : type;
    });
    return [...new Set(parts)].join(' | ');
  }
}
