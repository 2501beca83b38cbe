import type { RuleId } from '../../diagnostics/rules.js';
/** A logical type on a type it cannot annotate, or with bad attributes: Avro Java ignores it. */
export const AVRO_LOGICAL_TYPE_INVALID = 'AVRO_LOGICAL_TYPE_INVALID' satisfies RuleId;
/** A logical type Avro Java does not know: read as its underlying type. */
export const AVRO_LOGICAL_TYPE_UNKNOWN = 'AVRO_LOGICAL_TYPE_UNKNOWN' satisfies RuleId;

/** Logical types of Avro Java 1.12 and the underlying types each may annotate. */
const UNDERLYING: Readonly<Record<string, readonly string[]>> = {
  decimal: ['bytes', 'fixed'],
  'big-decimal': ['bytes'],
  uuid: ['string', 'fixed'],
  date: ['int'],
  'time-millis': ['int'],
  'time-micros': ['long'],
  'timestamp-millis': ['long'],
  'timestamp-micros': ['long'],
  'timestamp-nanos': ['long'],
  'local-timestamp-millis': ['long'],
  'local-timestamp-micros': ['long'],
  'local-timestamp-nanos': ['long'],
  duration: ['fixed'],
};

/** The most decimal digits a fixed of `size` bytes can hold (Avro Java's `maxPrecision`). */
function maxPrecision(size: number): number {
  return Math.floor(Math.log10(2) * (8 * size - 1));
}

/**
 * Why the logical type of a schema object is invalid, as Avro Java's `LogicalType.validate`
 * decides, or undefined when it is valid. `attrs` is the object that carries `logicalType`, its
 * `type` the underlying type's name. An invalid logical type is ignored by Avro Java and by the
 * runtime (the value reads as the underlying type), so codegen and the runtime both ask here.
 */
export function avroLogicalTypeProblem(attrs: Readonly<Record<string, unknown>>): { rule: typeof AVRO_LOGICAL_TYPE_INVALID | typeof AVRO_LOGICAL_TYPE_UNKNOWN; message: string } | undefined {
  const logical = attrs['logicalType'];
  if (typeof logical !== 'string') return undefined;
  const underlying = attrs['type'];
  const allowed = UNDERLYING[logical];
  if (!allowed) return { rule: AVRO_LOGICAL_TYPE_UNKNOWN, message: `logical type "${logical}" is not one Avro knows, so it is read as its underlying type` };
  if (typeof underlying !== 'string' || !allowed.includes(underlying)) {
    return {
      rule: AVRO_LOGICAL_TYPE_INVALID,
      message: `logical type "${logical}" cannot annotate ${typeof underlying === 'string' ? `"${underlying}"` : 'this type'} (only ${allowed.map((t) => `"${t}"`).join(' or ')}), so Avro Java and the runtime ignore it and read the underlying type`,
    };
  }
  const size = attrs['size'];
  if (logical === 'uuid' && underlying === 'fixed' && size !== 16) {
    return { rule: AVRO_LOGICAL_TYPE_INVALID, message: 'logical type "uuid" on a fixed needs "size": 16, so Avro Java and the runtime ignore it and read the fixed bytes' };
  }
  if (logical === 'duration' && size !== 12) {
    return { rule: AVRO_LOGICAL_TYPE_INVALID, message: 'logical type "duration" needs a fixed of "size": 12, so Avro Java and the runtime ignore it and read the fixed bytes' };
  }
  if (logical === 'decimal') {
    const precision = attrs['precision'];
    const scale = attrs['scale'] ?? 0;
    const ignored = 'so Avro Java and the runtime ignore the logical type and read the raw bytes';
    if (typeof precision !== 'number' || !Number.isInteger(precision) || precision <= 0) {
      return { rule: AVRO_LOGICAL_TYPE_INVALID, message: `decimal "precision" must be a positive integer, not ${JSON.stringify(precision) ?? 'missing'}, ${ignored}` };
    }
    if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0) {
      return { rule: AVRO_LOGICAL_TYPE_INVALID, message: `decimal "scale" must be a non-negative integer, not ${JSON.stringify(scale)}, ${ignored}` };
    }
    if (scale > precision) {
      return { rule: AVRO_LOGICAL_TYPE_INVALID, message: `decimal scale ${scale} is greater than its precision ${precision}, ${ignored}` };
    }
    if (underlying === 'fixed' && typeof size === 'number' && precision > maxPrecision(size)) {
      return { rule: AVRO_LOGICAL_TYPE_INVALID, message: `decimal precision ${precision} does not fit a fixed of ${size} bytes (at most ${maxPrecision(size)} digits), ${ignored}` };
    }
  }
  return undefined;
}
