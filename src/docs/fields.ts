import { parsedAvroSchema, type AvroField, type AvroNode, type AvroRecord } from '../formats/avro/schema.js';
import type { ContractVersion, EventContract, SchemaType } from '../model/contract.js';

/** One row of a version's field table. Nested record fields come as `parent.child` rows. */
export interface FieldRow {
  /** Dotted path of the field (`address.city`; `items[].id` inside an array of records). */
  readonly name: string;
  /** 0 for a top-level field, 1 for a field of a nested record, ... */
  readonly depth: number;
  /** The type as a reader would say it: `string`, `array<string>`, `enum PostStatus {A, B}`. */
  readonly type: string;
  /** Whether null is a valid value. */
  readonly nullable: boolean;
  /** Whether a writer must set the field (Avro: it has no default; JSON Schema: it is required). */
  readonly required: boolean;
  /** The default as JSON text, when the field has one. */
  readonly default?: string;
  readonly doc: string;
  /** Avro logical type (`uuid`, `timestamp-millis`, `decimal(10,2)`) or JSON Schema `format`. */
  readonly logicalType?: string;
  /** Other names the field is read under (Avro aliases). */
  readonly aliases: readonly string[];
  /** True for the event's partition-key field. */
  readonly key: boolean;
}

/** Nested records are expanded this deep; below that a record is shown by its name only. */
const MAX_DEPTH = 6;

/** The readable text of an Avro type, without its logical type (that has its own column). */
export function avroTypeText(node: AvroNode): string {
  switch (node.kind) {
    case 'union':
      return node.branches.map(avroTypeText).join(' | ');
    case 'array':
      return `array<${avroTypeText(node.items)}>`;
    case 'map':
      return `map<string, ${avroTypeText(node.values)}>`;
    case 'enum':
      return `enum ${node.name} {${node.symbols.join(', ')}}`;
    case 'record':
      return `record ${node.name}`;
    case 'fixed':
      return `fixed ${node.name}[${node.size}]`;
    default:
      return node.kind;
  }
}

function logicalTypeOf(node: AvroNode): string | undefined {
  if (node.kind === 'union') {
    const logical = node.branches.map(logicalTypeOf).filter((l): l is string => l !== undefined);
    return logical.length > 0 ? logical.join(' | ') : undefined;
  }
  if (node.kind === 'array' || node.kind === 'map') {
    const inner = logicalTypeOf(node.kind === 'array' ? node.items : node.values);
    return inner === undefined ? undefined : `${inner} (${node.kind === 'array' ? 'items' : 'values'})`;
  }
  if (node.logicalType === undefined) return undefined;
  if (node.logicalType === 'decimal') {
    const { precision, scale } = node.props as { precision?: unknown; scale?: unknown };
    return `decimal(${String(precision ?? '?')},${String(scale ?? 0)})`;
  }
  return node.logicalType;
}

/** The record a field's values are (directly, as a union branch, or as array items), to expand. */
function nestedRecord(node: AvroNode): { record: AvroRecord; suffix: string } | undefined {
  if (node.kind === 'record') return { record: node, suffix: '' };
  if (node.kind === 'union') {
    const records = node.branches.filter((b): b is AvroRecord => b.kind === 'record');
    return records.length === 1 ? { record: records[0]!, suffix: '' } : undefined;
  }
  if (node.kind === 'array') {
    const inner = nestedRecord(node.items);
    return inner ? { record: inner.record, suffix: `[]${inner.suffix}` } : undefined;
  }
  return undefined;
}

function avroRows(record: AvroRecord, key: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (fields: readonly AvroField[], prefix: string, depth: number, open: ReadonlySet<string>): void => {
    for (const field of fields) {
      const name = `${prefix}${field.name}`;
      const nullable = field.type.kind === 'null' || (field.type.kind === 'union' && field.type.branches.some((b) => b.kind === 'null'));
      const logicalType = logicalTypeOf(field.type);
      rows.push({
        name,
        depth,
        type: avroTypeText(field.type),
        nullable,
        required: !field.hasDefault,
        ...(field.hasDefault ? { default: JSON.stringify(field.default) } : {}),
        doc: field.doc ?? '',
        ...(logicalType !== undefined ? { logicalType } : {}),
        aliases: field.aliases,
        key: depth === 0 && field.name === key,
      });
      const nested = nestedRecord(field.type);
      // A recursive type is shown once: its own fields are not expanded again inside it.
      if (nested && depth < MAX_DEPTH && !open.has(nested.record.fullName)) {
        visit(nested.record.fields, `${name}${nested.suffix}.`, depth + 1, new Set([...open, nested.record.fullName]));
      }
    }
  };
  visit(record.fields, '', 0, new Set([record.fullName]));
  return rows;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The readable text of a JSON Schema property (`string`, `integer | null`, `array<string>`). */
export function jsonTypeText(schema: unknown): string {
  if (schema === true || (isObject(schema) && Object.keys(schema).length === 0)) return 'any';
  if (schema === false) return 'nothing';
  if (!isObject(schema)) return 'any';
  if (typeof schema['$ref'] === 'string') return (schema['$ref'] as string).split('/').pop() ?? 'ref';
  if (Array.isArray(schema['enum'])) return `enum {${(schema['enum'] as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}}`;
  if ('const' in schema) return `const ${JSON.stringify(schema['const'])}`;
  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    const parts = schema[combinator];
    if (Array.isArray(parts)) return parts.map(jsonTypeText).join(combinator === 'allOf' ? ' & ' : ' | ');
  }
  const types = Array.isArray(schema['type']) ? (schema['type'] as unknown[]).map(String) : typeof schema['type'] === 'string' ? [schema['type'] as string] : [];
  return (
    types
      .map((t) => (t === 'array' ? `array<${'items' in schema ? jsonTypeText(schema['items']) : 'any'}>` : t))
      .join(' | ') || 'any'
  );
}

function jsonNullable(schema: unknown): boolean {
  if (!isObject(schema)) return schema === true;
  const type = schema['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  if (Array.isArray(schema['enum']) && (schema['enum'] as unknown[]).includes(null)) return true;
  return ['anyOf', 'oneOf'].some((c) => Array.isArray(schema[c]) && (schema[c] as unknown[]).some(jsonNullable));
}

function jsonRows(root: unknown, key: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const visit = (schema: unknown, prefix: string, depth: number): void => {
    if (!isObject(schema) || !isObject(schema['properties'])) return;
    const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [];
    for (const [field, property] of Object.entries(schema['properties'] as Json)) {
      const name = `${prefix}${field}`;
      const format = isObject(property) && typeof property['format'] === 'string' ? (property['format'] as string) : undefined;
      rows.push({
        name,
        depth,
        type: jsonTypeText(property),
        nullable: jsonNullable(property),
        required: required.includes(field),
        ...(isObject(property) && 'default' in property ? { default: JSON.stringify(property['default']) } : {}),
        doc: isObject(property) && typeof property['description'] === 'string' ? (property['description'] as string) : '',
        ...(format !== undefined ? { logicalType: format } : {}),
        aliases: [],
        key: depth === 0 && field === key,
      });
      if (depth < MAX_DEPTH) visit(property, `${name}.`, depth + 1);
    }
  };
  visit(root, '', 0);
  return rows;
}

/** The field table of one version of an event; empty when the schema has no record or properties. */
export function fieldRows(event: Pick<EventContract, 'key'> & { readonly schemaType: SchemaType }, version: Pick<ContractVersion, 'schema'>): FieldRow[] {
  if (event.schemaType === 'JSON') return jsonRows(version.schema, event.key);
  const { root } = parsedAvroSchema(version.schema);
  return root.kind === 'record' ? avroRows(root, event.key) : [];
}
