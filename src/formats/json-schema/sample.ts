/** The parts of a flat JSON Schema the sample reads. */
interface FlatJsonSchema {
  readonly properties?: Record<string, { type?: unknown; enum?: unknown[]; format?: unknown } | undefined>;
  readonly required?: unknown;
}

/**
 * A payload valid for a flat JSON Schema (an object of scalar properties): its required
 * properties, each with the first enum value or a value of its type. Not a general generator.
 */
export function sampleFlatJsonValue(schema: unknown): Record<string, unknown> {
  const flat = (schema !== null && typeof schema === 'object' ? schema : {}) as FlatJsonSchema;
  const values: Record<string, unknown> = {};
  const required = Array.isArray(flat.required) ? flat.required.filter((n): n is string => typeof n === 'string') : [];
  for (const name of required) {
    const property = flat.properties?.[name] ?? {};
    const type = Array.isArray(property.type) ? property.type.find((t) => t !== 'null') : property.type;
    if (Array.isArray(property.enum) && property.enum.length > 0) values[name] = property.enum[0];
    else if (type === 'integer' || type === 'number') values[name] = 7;
    else if (type === 'boolean') values[name] = true;
    else if (type === 'null') values[name] = null;
    else if (type === 'array') values[name] = [];
    else if (type === 'object') values[name] = {};
    else values[name] = property.format === 'date-time' ? '2026-11-21T10:00:00Z' : 'x';
  }
  return values;
}
