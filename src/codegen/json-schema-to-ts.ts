import { arrayOf, DeclarationSet, stringLiteral, interfaceDeclaration, pascalName, propertyName, type PropertySpec } from './declarations.js';

type Schema = Readonly<Record<string, unknown>>;

const SCALAR: Readonly<Record<string, string>> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', null: 'null' };

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Maps a JSON Schema to TypeScript declarations: objects become interfaces (required
 * properties required, `additionalProperties: false` closed, otherwise an `unknown` index
 * signature), `enum`/`const` literal unions, `anyOf`/`oneOf` unions, `allOf` intersections,
 * local `$ref`s (`#/definitions/X`, `#/$defs/X`) named types. The runtime decodes JSON events
 * with `JSON.parse`, so formats (`date-time`, `uuid`) stay strings.
 */
export class JsonSchemaTypeMapper {
  private readonly refs = new Map<string, string>();

  constructor(
    private readonly declarations: DeclarationSet,
    private readonly owner: string,
    private readonly document: Schema,
  ) {}

  /** Declares the document's root object as `name` and returns the name. */
  root(name: string): string {
    return this.objectDeclaration(this.document, name);
  }

  /** The TypeScript type text of a schema. */
  typeOf(schema: unknown): string {
    if (schema === true || schema === undefined) return 'unknown';
    if (schema === false) return 'never';
    if (!isSchema(schema)) return 'unknown';
    if (typeof schema['$ref'] === 'string') return this.ref(schema['$ref']);
    if ('const' in schema) return literal(schema['const']);
    if (Array.isArray(schema['enum'])) return schema['enum'].map(literal).join(' | ');
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) return [...new Set(branches.map((b) => this.typeOf(b)))].join(' | ');
    }
    if (Array.isArray(schema['allOf'])) return schema['allOf'].map((b) => `(${this.typeOf(b)})`).join(' & ');
    const type = schema['type'];
    if (Array.isArray(type)) return type.map((t) => this.typeOf({ ...schema, type: t })).join(' | ');
    switch (type) {
      case 'object':
        return this.inlineObject(schema);
      case 'array':
        return arrayOf(this.typeOf(schema['items']));
      default:
        return typeof type === 'string' && SCALAR[type] !== undefined ? SCALAR[type] : 'unknown';
    }
  }

  private properties(schema: Schema): { props: PropertySpec[]; open: boolean } {
    const properties = isSchema(schema['properties']) ? schema['properties'] : {};
    const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : []);
    const props = Object.keys(properties).map((name) => {
      const property = properties[name];
      const doc = isSchema(property) && typeof property['description'] === 'string' ? property['description'] : undefined;
      return { name, type: this.typeOf(property), optional: !required.has(name), doc };
    });
    return { props, open: schema['additionalProperties'] !== false };
  }

  private objectDeclaration(schema: Schema, name: string): string {
    const { props, open } = this.properties(schema);
    const doc = typeof schema['description'] === 'string' ? schema['description'] : undefined;
    return this.declarations.declare(
      this.owner,
      (n) => {
        const declaration = interfaceDeclaration(n, doc, props);
        if (open) declaration.indexSignatures = [{ keyName: 'key', keyType: 'string', returnType: 'unknown' }];
        return declaration;
      },
      name,
    );
  }

  private inlineObject(schema: Schema): string {
    const { props, open } = this.properties(schema);
    const members = props.map((p) => `${propertyName(p.name)}${p.optional ? '?' : ''}: ${p.type}`);
    if (open) members.push('[key: string]: unknown');
    return members.length === 0 ? 'Record<string, unknown>' : `{ ${members.join('; ')} }`;
  }

  private ref(ref: string): string {
    const known = this.refs.get(ref);
    if (known !== undefined) return known;
    const match = /^#\/(definitions|\$defs)\/([^/]+)$/.exec(ref);
    const target = match ? (this.document[match[1]!] as Schema | undefined)?.[match[2]!] : undefined;
    if (!match || !isSchema(target)) return 'unknown';
    const name = pascalName(match[2]!);
    this.refs.set(ref, name);
    if (target['type'] === 'object') return this.objectDeclaration(target, name);
    const text = this.typeOf(target);
    this.refs.set(ref, text);
    return text;
  }
}

function literal(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  return value === null || typeof value !== 'object' ? JSON.stringify(value) : 'unknown';
}
