import { diffJsonSchemas } from '../compat/json/schema-diff.js';
import { splitPointer } from '../diagnostics/json-pointer.js';
import { isNamed, parsedAvroSchema, type AvroField, type AvroNode, type AvroRecord } from '../formats/avro/schema.js';
import { loadedJsonSchema } from '../formats/json-schema/model.js';
import type { SchemaType } from '../model/contract.js';
import { avroTypeText } from './fields.js';

/** What changed in an Avro schema between two versions (JSON Schema changes use Confluent's difference types). */
export const AVRO_CHANGE = {
  fieldAdded: 'FIELD_ADDED',
  fieldRemoved: 'FIELD_REMOVED',
  fieldRenamed: 'FIELD_RENAMED',
  typePromoted: 'TYPE_PROMOTED',
  typeChanged: 'TYPE_CHANGED',
  logicalTypeChanged: 'LOGICAL_TYPE_CHANGED',
  unionBranchesAdded: 'UNION_BRANCHES_ADDED',
  unionBranchesRemoved: 'UNION_BRANCHES_REMOVED',
  enumSymbolsAdded: 'ENUM_SYMBOLS_ADDED',
  enumSymbolsRemoved: 'ENUM_SYMBOLS_REMOVED',
  enumDefaultChanged: 'ENUM_DEFAULT_CHANGED',
  defaultAdded: 'DEFAULT_ADDED',
  defaultRemoved: 'DEFAULT_REMOVED',
  defaultChanged: 'DEFAULT_CHANGED',
  nameChanged: 'NAME_CHANGED',
  fixedSizeChanged: 'FIXED_SIZE_CHANGED',
} as const;

/** One difference between two versions of a schema, for people to read. */
export interface SchemaChange {
  /** An AVRO_CHANGE value, or a Confluent JSON Schema difference type (`ENUM_ARRAY_EXTENDED`). */
  readonly kind: string;
  /** Dotted field path (`address.city`), or '' for the schema itself. */
  readonly field: string;
  /** JSON pointer into the newer schema (into the older one for something removed). */
  readonly pointer: string;
  /** Past-tense sentence with quoted names. */
  readonly message: string;
}

/** Avro's promotions (Avro Java's SchemaCompatibility): the writer's type on the left may be read as any on the right. */
const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

function sameNamed(older: AvroNode, newer: AvroNode): boolean {
  if (!isNamed(older) || !isNamed(newer) || older.kind !== newer.kind) return false;
  // Avro Java matches named types by unqualified name or through the reader's aliases.
  return older.fullName === newer.fullName || older.name === newer.name || newer.aliases.includes(older.fullName);
}

function branchMatches(older: AvroNode, newer: AvroNode): boolean {
  if (isNamed(older) || isNamed(newer)) return sameNamed(older, newer);
  return older.kind === newer.kind;
}

function branchesOf(node: AvroNode): readonly AvroNode[] {
  return node.kind === 'union' ? node.branches : [node];
}

/** The older field a newer one reads: the same name, else one of the newer field's aliases. */
function matchField(older: AvroRecord, field: AvroField): { field: AvroField; viaAlias?: string } | undefined {
  const direct = older.fields.find((f) => f.name === field.name);
  if (direct) return { field: direct };
  for (const alias of field.aliases) {
    const aliased = older.fields.find((f) => f.name === alias);
    if (aliased) return { field: aliased, viaAlias: alias };
  }
  return undefined;
}

class AvroDiffer {
  readonly changes: SchemaChange[] = [];
  private readonly seen = new Set<string>();

  private add(kind: string, field: string, pointer: string, message: string): void {
    this.changes.push({ kind, field, pointer, message });
  }

  record(older: AvroRecord, newer: AvroRecord, prefix: string): void {
    const pair = `${older.fullName}->${newer.fullName}`;
    if (this.seen.has(pair)) return;
    this.seen.add(pair);
    const matched = new Set<AvroField>();
    for (const field of newer.fields) {
      const path = `${prefix}${field.name}`;
      const match = matchField(older, field);
      if (!match) {
        this.add(
          AVRO_CHANGE.fieldAdded,
          path,
          field.pointer,
          field.hasDefault ? `field "${path}" was added with default ${JSON.stringify(field.default)}` : `field "${path}" was added without a default`,
        );
        continue;
      }
      matched.add(match.field);
      if (match.viaAlias !== undefined) {
        this.add(AVRO_CHANGE.fieldRenamed, path, field.pointer, `field "${prefix}${match.field.name}" was renamed to "${path}" through the alias "${match.viaAlias}"`);
      }
      if (match.field.hasDefault && !field.hasDefault) this.add(AVRO_CHANGE.defaultRemoved, path, field.pointer, `field "${path}" lost its default ${JSON.stringify(match.field.default)}`);
      else if (!match.field.hasDefault && field.hasDefault) this.add(AVRO_CHANGE.defaultAdded, path, field.pointer, `field "${path}" got the default ${JSON.stringify(field.default)}`);
      else if (field.hasDefault && JSON.stringify(field.default) !== JSON.stringify(match.field.default)) {
        this.add(AVRO_CHANGE.defaultChanged, path, field.pointer, `default of field "${path}" changed from ${JSON.stringify(match.field.default)} to ${JSON.stringify(field.default)}`);
      }
      this.type(match.field.type, field.type, path, field.pointer);
    }
    for (const field of older.fields) {
      if (matched.has(field)) continue;
      const path = `${prefix}${field.name}`;
      this.add(AVRO_CHANGE.fieldRemoved, path, field.pointer, `field "${path}" was removed`);
    }
  }

  type(older: AvroNode, newer: AvroNode, path: string, pointer: string): void {
    const what = path === '' ? 'the schema' : `field "${path}"`;
    if (older.kind === 'union' || newer.kind === 'union') {
      const olderBranches = branchesOf(older);
      const newerBranches = branchesOf(newer);
      const added = newerBranches.filter((n) => !olderBranches.some((o) => branchMatches(o, n)));
      const removed = olderBranches.filter((o) => !newerBranches.some((n) => branchMatches(o, n)));
      // A single type that became a union with it (or the reverse) is one change, not a type change.
      if (added.length > 0 && removed.length === 0) {
        this.add(AVRO_CHANGE.unionBranchesAdded, path, pointer, `${what} now also accepts ${quoted(added.map(avroTypeText))} (was "${avroTypeText(older)}")`);
      } else if (removed.length > 0 && added.length === 0) {
        this.add(AVRO_CHANGE.unionBranchesRemoved, path, pointer, `${what} no longer accepts ${quoted(removed.map(avroTypeText))} (now "${avroTypeText(newer)}")`);
      } else if (added.length > 0) {
        const promoted = removed.length === 1 && added.length === 1 && (PROMOTIONS[removed[0]!.kind] ?? []).includes(added[0]!.kind);
        this.add(
          promoted ? AVRO_CHANGE.typePromoted : AVRO_CHANGE.typeChanged,
          path,
          pointer,
          promoted
            ? `${what}'s "${avroTypeText(removed[0]!)}" branch was promoted to "${avroTypeText(added[0]!)}"`
            : `type of ${what} changed from "${avroTypeText(older)}" to "${avroTypeText(newer)}"`,
        );
      }
      for (const o of olderBranches) {
        const n = newerBranches.find((b) => branchMatches(o, b));
        if (n) this.single(o, n, path, pointer);
      }
      return;
    }
    this.single(older, newer, path, pointer);
  }

  private single(older: AvroNode, newer: AvroNode, path: string, pointer: string): void {
    const what = path === '' ? 'the schema' : `field "${path}"`;
    if (older.kind !== newer.kind) {
      if ((PROMOTIONS[older.kind] ?? []).includes(newer.kind)) {
        this.add(AVRO_CHANGE.typePromoted, path, pointer, `type of ${what} was promoted from ${older.kind} to ${newer.kind}`);
      } else {
        this.add(AVRO_CHANGE.typeChanged, path, pointer, `type of ${what} changed from "${avroTypeText(older)}" to "${avroTypeText(newer)}"`);
      }
      return;
    }
    if (older.logicalType !== newer.logicalType) {
      this.add(AVRO_CHANGE.logicalTypeChanged, path, pointer, `logical type of ${what} changed from ${older.logicalType ?? 'none'} to ${newer.logicalType ?? 'none'}`);
    }
    if (isNamed(older) && isNamed(newer) && older.fullName !== newer.fullName) {
      const via = newer.aliases.includes(older.fullName) ? ` through the alias "${older.fullName}"` : '';
      this.add(AVRO_CHANGE.nameChanged, path, pointer, `${older.kind} "${older.fullName}" was renamed to "${newer.fullName}"${via}`);
    }
    switch (newer.kind) {
      case 'record':
        return this.record(older as AvroRecord, newer, path === '' ? '' : `${path}.`);
      case 'enum': {
        if (older.kind !== 'enum') return;
        const pair = `${older.fullName}->${newer.fullName}`;
        if (this.seen.has(pair)) return;
        this.seen.add(pair);
        const added = newer.symbols.filter((s) => !older.symbols.includes(s));
        const removed = older.symbols.filter((s) => !newer.symbols.includes(s));
        if (added.length > 0) this.add(AVRO_CHANGE.enumSymbolsAdded, path, newer.pointer, `enum "${newer.name}" of ${what} gained the symbol${added.length > 1 ? 's' : ''} ${quoted(added)}`);
        if (removed.length > 0) this.add(AVRO_CHANGE.enumSymbolsRemoved, path, newer.pointer, `enum "${newer.name}" of ${what} lost the symbol${removed.length > 1 ? 's' : ''} ${quoted(removed)}`);
        if (older.default !== newer.default) {
          this.add(AVRO_CHANGE.enumDefaultChanged, path, newer.pointer, `default of enum "${newer.name}" changed from ${older.default ?? 'none'} to ${newer.default ?? 'none'}`);
        }
        return;
      }
      case 'fixed':
        if (older.kind === 'fixed' && older.size !== newer.size) {
          this.add(AVRO_CHANGE.fixedSizeChanged, path, pointer, `size of fixed "${newer.name}" of ${what} changed from ${older.size} to ${newer.size}`);
        }
        return;
      case 'array':
        return this.type((older as typeof newer).items, newer.items, `${path}[]`, newer.items.pointer);
      case 'map':
        return this.type((older as typeof newer).values, newer.values, `${path}{}`, newer.values.pointer);
      default:
        return;
    }
  }
}

function humanize(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

function jsonChanges(older: unknown, newer: unknown): SchemaChange[] {
  // STRICT and LENIENT differ only in which differences they call compatible, not in the list.
  const { differences } = diffJsonSchemas(loadedJsonSchema(older), loadedJsonSchema(newer));
  return differences.map((d) => {
    const pointer = d.path === '#/' || d.path === '#' ? '' : d.path.slice(1);
    const tokens = splitPointer(pointer);
    const fieldTokens: string[] = [];
    for (let i = 0; i < tokens.length - 1; i++) if (tokens[i] === 'properties') fieldTokens.push(tokens[i + 1]!);
    const field = fieldTokens.join('.');
    return { kind: d.type, field, pointer, message: `${field === '' ? 'the schema' : `property "${field}"`}: ${humanize(d.type)}` };
  });
}

/**
 * What changed from `older` to `newer` (parsed schemas of one event), in the order of the newer
 * schema: fields added (with or without a default), removed, renamed through an alias, types
 * promoted or changed, union branches and enum symbols added or removed, defaults changed. For
 * JSON Schema, Confluent's own difference list. Says nothing about compatibility: that is the
 * engine's verdict (`checkCompatibility`). Pure; never throws on a schema that does not parse.
 */
export function schemaChanges(schemaType: SchemaType, older: unknown, newer: unknown): SchemaChange[] {
  if (schemaType === 'JSON') return jsonChanges(older, newer);
  const differ = new AvroDiffer();
  differ.type(parsedAvroSchema(older).root, parsedAvroSchema(newer).root, '', '');
  return differ.changes;
}
