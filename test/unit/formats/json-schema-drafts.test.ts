import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../../src/compat/check.js';
import { ajvFor, checkJsonSchema, jsonSchemaDraft } from '../../../src/formats/json-schema/parse.js';

const schema = (declared: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...(declared !== undefined ? { $schema: declared } : {}),
  type: 'object',
  properties: { id: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
  ...extra,
});

describe('one place decides the JSON Schema draft, for validate, the gate and the runtime', () => {
  it.each([
    [undefined, 'draft-07'],
    ['http://json-schema.org/draft-07/schema#', 'draft-07'],
    ['https://json-schema.org/draft/2019-09/schema', '2019-09'],
    ['https://json-schema.org/draft/2020-12/schema', '2020-12'],
  ] as const)('%s: validate passes it and the runtime compiles it as %s', (declared, draft) => {
    const s = schema(declared);
    expect(jsonSchemaDraft(s)).toBe(draft);
    expect(checkJsonSchema(s)).toEqual([]);
    // What src/runtime/codec.ts does with a contract's schema, $schema included.
    const validate = ajvFor(jsonSchemaDraft(s)).compile(s);
    expect(validate({ id: 'a', tags: ['x'] })).toBe(true);
    expect(validate({ id: 1 })).toBe(false);
  });

  it.each(['http://json-schema.org/draft-04/schema#', 'http://json-schema.org/draft-06/schema#', 'https://json-schema.org/draft/2021-01/schema'])(
    'refuses %s in validate, naming the supported drafts',
    (declared) => {
      const [problem, ...rest] = checkJsonSchema(schema(declared));
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({ rule: 'JSON_SCHEMA_DRAFT_UNSUPPORTED', pointer: '/$schema' });
      expect(problem?.message).toMatch(/draft-07.*2019-09.*2020-12/);
    },
  );

  it('judges boolean "items" of a 2019-09 schema by its own draft (as draft-07), not by 2020-12 rules', () => {
    // The gate models `items: false` as 2020-12's additional items, and as the schema of every
    // item before 2020-12 (as Confluent's loader does), so the verdicts differ on this pair.
    const judge = (declared: string): boolean =>
      checkCompatibility({
        schemaType: 'JSON',
        level: 'BACKWARD',
        previous: [{ $schema: declared, type: 'array', items: false }],
        candidate: { $schema: declared, type: 'array', items: { type: 'string' } },
      }).compatible;
    expect(judge('https://json-schema.org/draft/2020-12/schema')).not.toBe(judge('http://json-schema.org/draft-07/schema#'));
    expect(judge('https://json-schema.org/draft/2019-09/schema')).toBe(judge('http://json-schema.org/draft-07/schema#'));
  });
});
