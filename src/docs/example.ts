import { randomAvroValue } from '../formats/avro/random-value.js';
import { parsedAvroSchema, type AvroNode } from '../formats/avro/schema.js';
import { sampleFlatJsonValue } from '../formats/json-schema/sample.js';
import type { ContractVersion, SchemaType } from '../model/contract.js';
import { avroType } from '../runtime/avro-type.js';
import { seededRandom } from '../util/seeded-random.js';

/** The seed of the site's example payloads: the same examples on every build. */
export const EXAMPLE_SEED = 1;

/**
 * A valid example payload of one version as pretty JSON: for Avro a random value of the schema
 * (drawn from EXAMPLE_SEED, so stable across builds) in Avro's JSON encoding (what
 * kafka-avro-console-producer reads: unions as `{"string": "…"}`, timestamps in milliseconds);
 * for JSON Schema the required properties with a value of their type. Undefined when the schema
 * cannot be loaded.
 */
export function examplePayload(type: string, schemaType: SchemaType, version: Pick<ContractVersion, 'schema'>): string | undefined {
  if (schemaType === 'JSON') return JSON.stringify(sampleFlatJsonValue(version.schema), null, 2);
  try {
    const avro = avroType(version.schema);
    const random = seededRandom(`example:${type}`, EXAMPLE_SEED);
    const value = randomAvroValue(avro, random);
    const json = withUuids(parsedAvroSchema(version.schema).root, JSON.parse(avro.toString(value)), random, 0);
    return JSON.stringify(json, null, 2);
  } catch {
    return undefined;
  }
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The Avro JSON value with every `uuid` string replaced by a random UUID, so that ids in the
 * example read as ids (avsc leaves uuid a plain string and the generator draws letters).
 */
function withUuids(node: AvroNode, value: unknown, random: () => number, depth: number): unknown {
  if (depth > 32 || value === null || value === undefined) return value;
  switch (node.kind) {
    case 'string':
      return node.logicalType === 'uuid' && typeof value === 'string' ? uuid(random) : value;
    case 'record':
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(node.fields.map((f) => [f.name, withUuids(f.type, (value as Record<string, unknown>)[f.name], random, depth + 1)]));
    case 'array':
      return Array.isArray(value) ? value.map((v) => withUuids(node.items, v, random, depth + 1)) : value;
    case 'map':
      return typeof value === 'object' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, withUuids(node.values, v, random, depth + 1)])) : value;
    case 'union': {
      // Avro's JSON encoding wraps a non-null union value as {"<branch name>": value}.
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const [[name, inner] = ['', undefined]] = Object.entries(value as object);
      const branch = node.branches.find((b) => ('fullName' in b ? b.fullName === name || b.name === name : b.kind === name));
      return branch ? { [name]: withUuids(branch, inner, random, depth + 1) } : value;
    }
    default:
      return value;
  }
}
