import avro from 'avsc';
import type { ForSchemaOptions, Schema, Type } from 'avsc';
import { avroLogicalTypeProblem } from '../formats/avro/logical-types.js';

/**
 * How the runtime represents Avro values; the generated TypeScript types follow the same table
 * (`src/codegen/avro-to-ts.ts`):
 * - `long` -> `bigint` (exact beyond 2^53; a safe-integer `number` is accepted on write)
 * - `timestamp-millis` -> `Date`; `decimal` -> `string` ("-12.30", exact)
 * - `uuid` -> `string`: no conversion, so avsc reads it as the plain string it is (no wrapper cost)
 * - `bytes` and `fixed` -> `Buffer`; enums -> their symbol strings; maps -> plain objects
 * - unions of distinct kinds are unwrapped; ambiguous unions are wrapped (`{ "ns.Name": value }`)
 * Other logical types read as their underlying type, as the Avro specification says.
 */
export const AVRO_VALUE_MAPPING = 'long=bigint; timestamp-millis=Date; uuid=string; decimal=string' as const;

const bigLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(0),
  toBuffer: (value: bigint | number) => {
    const buf = Buffer.allocUnsafe(8);
    buf.writeBigInt64LE(BigInt(value), 0);
    return buf;
  },
  fromJSON: (json: unknown) => BigInt(json as string | number),
  toJSON: (value: bigint) => (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value)),
  isValid: (value: unknown) => typeof value === 'bigint' || Number.isSafeInteger(value),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

function logicalName(type: Type): string | undefined {
  const name = type.typeName;
  return name.startsWith('logical:') ? name.slice('logical:'.length) : undefined;
}

class TimestampMillisType extends avro.types.LogicalType {
  constructor(schema: Schema, opts: object) {
    super(schema, opts);
    // Invalid (on a string, say): avsc then reads the underlying type, as Avro Java and codegen do.
    if (avroLogicalTypeProblem(schema as Record<string, unknown>)) throw new Error('invalid timestamp-millis');
  }
  // The hot path: one call instead of LogicalType's read-then-convert indirection.
  _read(tap: { readLong(): number }): Date {
    return new Date(tap.readLong());
  }
  protected override _fromValue(value: number | bigint): Date {
    return new Date(Number(value));
  }
  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return value.getTime();
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
  }
  protected override _resolve(writer: Type): ((value: unknown) => Date) | undefined {
    if (logicalName(writer) === 'timestamp-millis') return (value) => value as Date;
    if (writer.typeName === 'long' || writer.typeName === 'abstract:long' || writer.typeName === 'int') {
      return (value) => new Date(Number(value));
    }
    return undefined;
  }
}

/** `decimal` on bytes or fixed: the unscaled two's-complement big-endian integer, as a decimal string. */
class DecimalType extends avro.types.LogicalType {
  private readonly scale: number;
  private readonly precision: number;
  private readonly fixedSize: number | undefined;

  constructor(schema: Schema, opts: object) {
    super(schema, opts);
    const attrs = schema as { scale?: number; precision?: number; size?: number; type?: unknown };
    this.precision = attrs.precision ?? 0;
    this.scale = attrs.scale ?? 0;
    if (avroLogicalTypeProblem(schema as Record<string, unknown>)) throw new Error('invalid decimal precision or scale');
    this.fixedSize = this.underlyingType.typeName === 'fixed' ? (this.underlyingType as unknown as { size: number }).size : undefined;
  }

  protected override _fromValue(bytes: Buffer): string {
    let unscaled = 0n;
    for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
    if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    const fraction = digits.slice(digits.length - this.scale);
    return `${negative ? '-' : ''}${whole}${this.scale > 0 ? `.${fraction}` : ''}`;
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    if (typeof value !== 'string') return undefined;
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
    if (!match) return undefined;
    const fraction = match[3] ?? '';
    if (fraction.length > this.scale) return undefined;
    const digits = `${match[2]}${fraction.padEnd(this.scale, '0')}`.replace(/^0+(?=\d)/, '');
    if (digits.length > this.precision) return undefined;
    let unscaled = BigInt(digits) * (match[1] === '-' ? -1n : 1n);
    const size = this.fixedSize ?? byteLength(unscaled);
    const out = Buffer.alloc(size);
    for (let i = size - 1; i >= 0; i--) {
      out[i] = Number(unscaled & 0xffn);
      unscaled >>= 8n;
    }
    return out;
  }

  protected override _resolve(writer: Type): ((value: unknown) => string) | undefined {
    if (logicalName(writer) !== 'decimal') return undefined;
    const other = writer as unknown as DecimalType;
    return other.scale === this.scale && other.precision === this.precision ? (value) => value as string : undefined;
  }
}

function byteLength(value: bigint): number {
  let bytes = 1;
  let limit = 128n;
  while (value >= limit || value < -limit) {
    bytes++;
    limit <<= 8n;
  }
  return bytes;
}

interface EnumLike {
  readonly typeName: string;
  readonly name: string | undefined;
  readonly symbols: readonly string[];
  readonly default: string | undefined;
}

/**
 * An enum resolved as Avro Java resolves it: a writer symbol the reader lacks becomes the
 * reader's default, and without a default fails only when a message actually holds it (avsc
 * refuses the whole resolver up front).
 */
class LazyEnumType extends (avro.types.EnumType as unknown as new (schema: Schema, opts: object) => Type) {
  _update(resolver: { _read?: unknown; symbols?: unknown }, writer: Type, opts: object): void {
    (avro.types.EnumType.prototype as unknown as { _update: (r: unknown, w: Type, o: object) => void })._update.call(this, resolver, writer, opts);
    if (resolver._read || writer.typeName !== 'enum') return;
    const reader = this as unknown as EnumLike;
    const other = writer as unknown as EnumLike;
    if (unqualified(reader.name) !== unqualified(other.name)) return;
    resolver.symbols = other.symbols.map((symbol) => (reader.symbols.includes(symbol) ? symbol : reader.default));
    resolver._read = (writer as unknown as { _read: unknown })._read;
  }
}

function unqualified(name: string | undefined): string | undefined {
  return name?.slice(name.lastIndexOf('.') + 1);
}

const LOGICAL_TYPES = {
  'timestamp-millis': TimestampMillisType,
  decimal: DecimalType,
} as unknown as NonNullable<ForSchemaOptions['logicalTypes']>;

function isPlainLong(schema: unknown): boolean {
  if (schema === 'long') return true;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
  const { type, logicalType } = schema as { type?: unknown; logicalType?: unknown };
  return type === 'long' && logicalType !== 'timestamp-millis';
}

/**
 * Options of a resolver: names match unqualified, as in Avro Java. A fresh object each time,
 * because avsc keeps its per-resolution registry in the options object.
 */
export function resolverOptions(): { ignoreNamespaces: true } {
  return { ignoreNamespaces: true };
}

/** Parses an Avro schema into an avsc type with the runtime's value mapping. */
export function avroType(schema: unknown): Type {
  return avro.Type.forSchema(schema as Schema, {
    logicalTypes: LOGICAL_TYPES,
    wrapUnions: 'auto',
    typeHook: (s, opts) => {
      if (isPlainLong(s)) return bigLong as unknown as Type;
      if (typeof s === 'object' && s !== null && (s as { type?: unknown }).type === 'enum') return new LazyEnumType(s, opts);
      return undefined;
    },
  });
}
