import { avroType } from '../../src/runtime/avro-type.js';
import { currentVersion, type EventSpec } from '../../src/runtime/event-spec.js';

interface FlatJsonSchema {
  readonly properties?: Record<string, { type?: string; enum?: unknown[]; format?: string }>;
  readonly required?: string[];
}

/**
 * A valid payload of an event's newest version: a random Avro value, or for (flat) JSON Schema
 * events its required properties with a value of their type.
 */
export function samplePayload(spec: EventSpec): Record<string, unknown> {
  const schema = JSON.parse(currentVersion(spec).schema) as FlatJsonSchema;
  if (spec.schemaType === 'AVRO') return avroType(schema).random() as unknown as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const name of schema.required ?? []) {
    const property = schema.properties![name]!;
    if (property.enum) values[name] = property.enum[0];
    else if (property.type === 'integer' || property.type === 'number') values[name] = 7;
    else if (property.type === 'boolean') values[name] = true;
    else values[name] = property.format === 'date-time' ? '2026-11-21T10:00:00Z' : 'x';
  }
  return values;
}
