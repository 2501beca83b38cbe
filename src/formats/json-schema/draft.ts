/** The JSON Schema drafts nova-events supports, each as its `$schema` URI. */
export const JSON_SCHEMA_DRAFTS = {
  'draft-07': 'http://json-schema.org/draft-07/schema',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
} as const;

/** A JSON Schema draft nova-events supports. */
export type JsonSchemaDraft = keyof typeof JSON_SCHEMA_DRAFTS;

/** The draft a schema declares with `$schema`, or the `$schema` value when it names no supported draft. */
export function declaredJsonSchemaDraft(schema: unknown): { draft: JsonSchemaDraft } | { unsupported: unknown } {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || !('$schema' in schema)) return { draft: 'draft-07' };
  const declared = (schema as Record<string, unknown>)['$schema'];
  const uri = typeof declared === 'string' ? declared.replace(/#$/, '') : undefined;
  for (const [draft, id] of Object.entries(JSON_SCHEMA_DRAFTS)) if (uri === id) return { draft: draft as JsonSchemaDraft };
  return { unsupported: declared };
}

/**
 * The draft a schema is read, judged and compiled with: the one it declares, draft-07 when it
 * declares none. The one place that decides it, for validate, the compatibility engine and the
 * runtime. A schema naming an older draft (04, 06) is judged as draft-07, as Confluent's
 * tests do; validate refuses it for the catalog (the runtime cannot compile it).
 */
export function jsonSchemaDraft(schema: unknown): JsonSchemaDraft {
  const declared = declaredJsonSchemaDraft(schema);
  return 'draft' in declared ? declared.draft : 'draft-07';
}
