import type { InterfaceDeclarationStructure, OptionalKind, PropertySignatureStructure, TypeAliasDeclarationStructure } from 'ts-morph';
import { StructureKind } from 'ts-morph';

/** A generated type declaration: an interface or a type alias, as a ts-morph structure. */
export type TypeDeclaration = InterfaceDeclarationStructure | TypeAliasDeclarationStructure;

/** A property of a generated interface. */
export interface PropertySpec {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly doc?: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as TypeScript source (quoted when it is not an identifier). */
export function propertyName(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** An exported interface structure. */
export function interfaceDeclaration(name: string, doc: string | undefined, properties: readonly PropertySpec[]): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: doc ? [doc] : [],
    properties: properties.map(
      (p): OptionalKind<PropertySignatureStructure> => ({
        name: propertyName(p.name),
        type: p.type,
        hasQuestionToken: p.optional,
        isReadonly: false,
        docs: p.doc ? [p.doc] : [],
      }),
    ),
  };
}

/** An exported type alias structure. */
export function typeAlias(name: string, doc: string | undefined, type: string): TypeAliasDeclarationStructure {
  return { kind: StructureKind.TypeAlias, name, isExported: true, docs: doc ? [doc] : [], type };
}

/**
 * The declarations of one generated file, by name. A name declared twice with the same shape is
 * emitted once; a different shape under a taken name gets the owner's name as a prefix.
 */
export class DeclarationSet {
  private readonly byName = new Map<string, { key: string; declaration: TypeDeclaration }>();

  /** Declares `declaration` (named `name`, or `${owner}${name}` when `name` is taken by another shape); returns the name used. */
  declare(owner: string, build: (name: string) => TypeDeclaration, name: string): string {
    for (const candidate of [name, `${owner}${name}`]) {
      const declaration = build(candidate);
      const key = JSON.stringify({ ...declaration, name: '' });
      const existing = this.byName.get(candidate);
      if (!existing) {
        this.byName.set(candidate, { key, declaration });
        return candidate;
      }
      if (existing.key === key) return candidate;
    }
    throw new Error(`type name ${owner}${name} is declared twice with different shapes`);
  }

  /** True when `name` is declared. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Every declaration, sorted by name. */
  sorted(): TypeDeclaration[] {
    return [...this.byName.keys()].sort().map((name) => this.byName.get(name)!.declaration);
  }
}

/** A string literal (type) in the generated code's quote style. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Parenthesizes a union type text for use as an array element type. */
export function arrayOf(element: string): string {
  return /[|&]/.test(element) ? `Array<${element}>` : `${element}[]`;
}

/** `PascalCase` of the last dotted segment of a name. */
export function pascalName(name: string): string {
  const last = name.slice(name.lastIndexOf('.') + 1);
  return last
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
