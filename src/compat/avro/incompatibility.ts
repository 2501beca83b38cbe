import type { AvroNode } from '../../formats/avro/schema.js';

/**
 * Avro Java's `SchemaIncompatibilityType` names, plus READER_FIELD_AMBIGUOUS for the pair Avro
 * Java throws on (a reader field whose name and aliases match several writer fields).
 */
export type AvroIncompatibilityType =
  | 'READER_FIELD_AMBIGUOUS'
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

/**
 * One reader/writer incompatibility, as Avro Java's `Incompatibility`: its type, the location
 * (Avro's JSON-pointer-like path through the reader schema), the reader and writer fragments,
 * and the pointers into each document where a person should look.
 */
export interface AvroIncompatibility {
  readonly type: AvroIncompatibilityType;
  /** Avro Java's `getLocation()`, e.g. `/fields/1/type`. */
  readonly location: string;
  /** Avro Java's message, e.g. `reader type: INT not compatible with writer type: STRING`. */
  readonly avroMessage: string;
  readonly reader: AvroNode;
  readonly writer: AvroNode;
  /** JSON pointer into the reader schema's document. */
  readonly readerPointer: string;
  /** JSON pointer into the writer schema's document. */
  readonly writerPointer: string;
  /** The field or symbols concerned, for messages. */
  readonly subject?: string;
}

/** Avro Java prints schema types in upper case (`Schema.Type.toString`). */
export function avroTypeName(node: AvroNode): string {
  return node.kind.toUpperCase();
}
