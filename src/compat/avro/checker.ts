import { escapePointerToken, joinPointer } from '../../diagnostics/json-pointer.js';
import type { AvroEnum, AvroField, AvroFixed, AvroNode, AvroRecord } from '../../formats/avro/schema.js';
import { avroTypeName, type AvroIncompatibility, type AvroIncompatibilityType } from './incompatibility.js';
import { schemaNamesMatch } from './rules/name-mismatch.js';
import { isPromotion } from './rules/type-mismatch.js';

const IN_PROGRESS = Symbol('recursion in progress');
type Memo = Map<AvroNode, Map<AvroNode, AvroIncompatibility[] | typeof IN_PROGRESS>>;

/**
 * Can data written with `writer` be read with `reader`? A port of Avro Java's
 * `SchemaCompatibility.checkReaderWriterCompatibility`, the check Confluent Schema Registry runs
 * for Avro: same traversal, same memoization (which is what makes recursive types terminate,
 * and what gives nested union checks a location of their own), same locations and messages.
 * Returns every incompatibility; none means compatible.
 */
export function checkReaderWriter(reader: AvroNode, writer: AvroNode): AvroIncompatibility[] {
  return new ReaderWriterChecker().check(reader, writer);
}

class ReaderWriterChecker {
  private readonly memo: Memo = new Map();
  private readonly fieldNames: string[] = [];

  check(reader: AvroNode, writer: AvroNode): AvroIncompatibility[] {
    return this.compat('', reader, writer, []);
  }

  private compat(token: string, reader: AvroNode, writer: AvroNode, location: string[]): AvroIncompatibility[] {
    location.push(token);
    let byWriter = this.memo.get(reader);
    if (!byWriter) this.memo.set(reader, (byWriter = new Map()));
    const known = byWriter.get(writer);
    let result: AvroIncompatibility[];
    if (known !== undefined) {
      // A pair already being checked higher up the stack is a recursive type: compatible
      // unless proven otherwise, as Avro Java decides.
      result = known === IN_PROGRESS ? [] : known;
    } else {
      byWriter.set(writer, IN_PROGRESS);
      result = this.calculate(reader, writer, location);
      byWriter.set(writer, result);
    }
    location.pop();
    return result;
  }

  private incompatible(
    type: AvroIncompatibilityType,
    reader: AvroNode,
    writer: AvroNode,
    avroMessage: string,
    location: readonly string[],
    pointers: { reader: string; writer: string },
    subject?: string,
  ): AvroIncompatibility[] {
    const path = '/' + location.slice(1).map(escapePointerToken).join('/');
    const named = subject ?? this.fieldNames[this.fieldNames.length - 1];
    return [
      {
        type,
        location: path,
        avroMessage,
        reader,
        writer,
        readerPointer: pointers.reader,
        writerPointer: pointers.writer,
        ...(named !== undefined ? { subject: named } : {}),
      },
    ];
  }

  private calculate(reader: AvroNode, writer: AvroNode, location: string[]): AvroIncompatibility[] {
    if (reader.kind === writer.kind) {
      switch (reader.kind) {
        case 'null':
        case 'boolean':
        case 'int':
        case 'long':
        case 'float':
        case 'double':
        case 'bytes':
        case 'string':
          return [];
        case 'array':
          return this.compat('items', reader.items, (writer as typeof reader).items, location);
        case 'map':
          return this.compat('values', reader.values, (writer as typeof reader).values, location);
        case 'fixed':
          return [...this.names(reader, writer as AvroFixed, location), ...this.fixedSize(reader, writer as AvroFixed, location)];
        case 'enum':
          return [...this.names(reader, writer as AvroEnum, location), ...this.enumSymbols(reader, writer as AvroEnum, location)];
        case 'record':
          return [...this.names(reader, writer as AvroRecord, location), ...this.recordFields(reader, writer as AvroRecord, location)];
        case 'union': {
          const out: AvroIncompatibility[] = [];
          const writerUnion = writer as typeof reader;
          writerUnion.branches.forEach((branch, i) => {
            location.push(String(i));
            // Avro Java checks each writer branch as a fresh top-level pair (sharing the memo).
            if (this.check(reader, branch).length > 0) {
              out.push(
                ...this.incompatible('MISSING_UNION_BRANCH', reader, branch, `reader union lacking writer type: ${avroTypeName(branch)}`, location, {
                  reader: reader.pointer,
                  writer: branch.pointer,
                }),
              );
            }
            location.pop();
          });
          return out;
        }
      }
    }
    if (writer.kind === 'union') {
      // A reader that can read every branch of the writer's union can read the union.
      return writer.branches.flatMap((branch, i) => this.compat(String(i), reader, branch, location));
    }
    if (reader.kind === 'union') {
      for (const branch of reader.branches) {
        if (this.check(branch, writer).length === 0) return [];
      }
      return this.incompatible('MISSING_UNION_BRANCH', reader, writer, `reader union lacking writer type: ${avroTypeName(writer)}`, location, {
        reader: reader.pointer,
        writer: writer.pointer,
      });
    }
    if (isPromotion(reader.kind, writer.kind)) return [];
    return this.incompatible(
      'TYPE_MISMATCH',
      reader,
      writer,
      `reader type: ${avroTypeName(reader)} not compatible with writer type: ${avroTypeName(writer)}`,
      location,
      { reader: reader.pointer, writer: writer.pointer },
    );
  }

  private names(reader: AvroRecord | AvroEnum | AvroFixed, writer: AvroRecord | AvroEnum | AvroFixed, location: string[]): AvroIncompatibility[] {
    if (schemaNamesMatch(reader, writer)) return [];
    location.push('name');
    const out = this.incompatible('NAME_MISMATCH', reader, writer, `expected: ${writer.fullName}`, location, {
      reader: joinPointer(reader.pointer, 'name'),
      writer: joinPointer(writer.pointer, 'name'),
    }, reader.fullName);
    location.pop();
    return out;
  }

  private fixedSize(reader: AvroFixed, writer: AvroFixed, location: string[]): AvroIncompatibility[] {
    if (reader.size === writer.size) return [];
    location.push('size');
    const out = this.incompatible('FIXED_SIZE_MISMATCH', reader, writer, `expected: ${writer.size}, found: ${reader.size}`, location, {
      reader: joinPointer(reader.pointer, 'size'),
      writer: joinPointer(writer.pointer, 'size'),
    }, reader.fullName);
    location.pop();
    return out;
  }

  private enumSymbols(reader: AvroEnum, writer: AvroEnum, location: string[]): AvroIncompatibility[] {
    const missing = [...new Set(writer.symbols)].filter((s) => !reader.symbols.includes(s)).sort();
    // A reader enum with a default reads unknown symbols as the default (Avro 1.9+).
    if (missing.length === 0 || (reader.default !== undefined && reader.symbols.includes(reader.default))) return [];
    location.push('symbols');
    const out = this.incompatible('MISSING_ENUM_SYMBOLS', reader, writer, `[${missing.join(', ')}]`, location, {
      reader: joinPointer(reader.pointer, 'symbols'),
      writer: joinPointer(writer.pointer, 'symbols'),
    }, reader.fullName);
    location.pop();
    return out;
  }

  private recordFields(reader: AvroRecord, writer: AvroRecord, location: string[]): AvroIncompatibility[] {
    const out: AvroIncompatibility[] = [];
    location.push('fields');
    reader.fields.forEach((readerField, position) => {
      location.push(String(position));
      const matches = writerFieldsFor(writer, readerField);
      const writerField = matches[0];
      if (matches.length > 1) {
        out.push(
          ...this.incompatible('READER_FIELD_AMBIGUOUS', reader, writer, matches.map((f) => `"${f.name}"`).join(', '), location, {
            reader: readerField.pointer,
            writer: joinPointer(writer.pointer, 'fields'),
          }, readerField.name),
        );
      } else if (!writerField) {
        if (!readerField.hasDefault) {
          if (readerField.type.kind === 'enum' && readerField.type.default !== undefined) {
            // Avro Java then compares the enum with the whole writer record (a quirk kept for parity).
            this.fieldNames.push(readerField.name);
            out.push(...this.compat('type', readerField.type, writer, location));
            this.fieldNames.pop();
          } else {
            out.push(
              ...this.incompatible('READER_FIELD_MISSING_DEFAULT_VALUE', reader, writer, readerField.name, location, {
                reader: readerField.pointer,
                // The writer lacks the field: its list of fields is where it would be.
                writer: joinPointer(writer.pointer, 'fields'),
              }, readerField.name),
            );
          }
        }
      } else {
        this.fieldNames.push(readerField.name);
        out.push(...this.compat('type', readerField.type, writerField.type, location));
        this.fieldNames.pop();
      }
      location.pop();
    });
    location.pop();
    return out;
  }
}

/**
 * The writer fields Avro Java's `lookupWriterField` finds for a reader field: the one with its
 * name and those with one of its aliases. More than one is a pair Avro Java throws on.
 */
export function writerFieldsFor(writer: AvroRecord, readerField: AvroField): AvroField[] {
  const matches: AvroField[] = [];
  const direct = writer.fields.find((f) => f.name === readerField.name);
  if (direct) matches.push(direct);
  for (const alias of readerField.aliases) {
    const aliased = writer.fields.find((f) => f.name === alias);
    if (aliased) matches.push(aliased);
  }
  return matches;
}
