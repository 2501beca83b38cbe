import { isNamed, type AvroNamed } from '../../../formats/avro/schema.js';
import type { AvroRule } from './rule.js';
import { sides } from './rule.js';

/**
 * Avro Java's `schemaNameEquals`: named types match on their unqualified name (Confluent runs
 * this, so moving a record to another namespace is compatible), or when a reader alias equals
 * the writer's full name.
 */
export function schemaNamesMatch(reader: AvroNamed, writer: AvroNamed): boolean {
  return reader.name === writer.name || reader.aliases.includes(writer.fullName);
}

/** NAME_MISMATCH: a record, enum or fixed was renamed without an alias. */
export const nameMismatch: AvroRule = {
  id: 'NAME_MISMATCH',
  explain(inc, direction, version) {
    const s = sides(direction, version);
    const readerName = isNamed(inc.reader) ? inc.reader.fullName : inc.reader.kind;
    const writerName = isNamed(inc.writer) ? inc.writer.fullName : inc.writer.kind;
    return {
      message: `type "${readerName}" of ${s.reader} was named differently from "${writerName}" of ${s.writer}`,
      hint: direction === 'backward' ? `keep the name "${writerName}", or add "aliases": ["${writerName}"] to "${readerName}"` : `keep the name "${readerName}"`,
    };
  },
};
