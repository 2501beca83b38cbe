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

/** The largest |milliseconds| a JavaScript Date holds (ECMA-262 time values): ±100,000,000 days. */
export const TIMESTAMP_MILLIS_LIMIT = 8.64e15;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const bigLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(0),
  toBuffer: (value: bigint | number) => {
    const buf = Buffer.allocUnsafe(8);
    buf.writeBigInt64LE(BigInt(value), 0);
    return buf;
  },
  fromJSON: (json: unknown) => BigInt(json as string | number),
  toJSON: (value: bigint) => (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value)),
  isValid: (value: unknown) => (typeof value === 'bigint' ? value >= LONG_MIN && value <= LONG_MAX : Number.isSafeInteger(value)),
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

function logicalName(type: Type): string | undefined {
  const name = type.typeName;
  return name.startsWith('logical:') ? name.slice('logical:'.length) : undefined;
}

/** A Date of `millis`; throws for a value no Date holds (it would be an Invalid Date). */
function dateOf(millis: number): Date {
  if (!(millis >= -TIMESTAMP_MILLIS_LIMIT && millis <= TIMESTAMP_MILLIS_LIMIT)) {
    throw new Error(`a timestamp-millis of ${millis} is outside the Date range`);
  }
  return new Date(millis);
}

function isTimestampMillis(value: unknown): value is number {
  return Number.isSafeInteger(value) && Math.abs(value as number) <= TIMESTAMP_MILLIS_LIMIT;
}

class TimestampMillisType extends avro.types.LogicalType {
  constructor(schema: Schema, opts: object) {
    super(schema, opts);
    // Invalid (on a string, say): avsc then reads the underlying type, as Avro Java and codegen do.
    if (avroLogicalTypeProblem(schema as Record<string, unknown>)) throw new Error('invalid timestamp-millis');
  }
  // avsc's own reads (the codec reads with avro-reader.ts): one call instead of LogicalType's
  // read-then-convert indirection.
  _read(tap: { readLong(): number }): Date {
    return dateOf(tap.readLong());
  }
  protected override _fromValue(value: number | bigint): Date {
    return dateOf(Number(value));
  }
  protected override _toValue(value: unknown): number | undefined {
    // An Invalid Date (beyond ±8.64e15 ms) has no timestamp: refused, not written as NaN.
    const millis = value instanceof Date ? value.getTime() : value;
    return isTimestampMillis(millis) ? millis : undefined;
  }
  protected override _resolve(writer: Type): ((value: unknown) => Date) | undefined {
    if (logicalName(writer) === 'timestamp-millis') return (value) => value as Date;
    if (writer.typeName === 'long' || writer.typeName === 'abstract:long' || writer.typeName === 'int') {
      return (value) => dateOf(Number(value));
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

  /**
   * The decimal string of the unscaled bytes read from a message, or undefined when they hold
   * more digits than the precision (checked on the length first: the conversion is quadratic).
   */
  decodeBounded(bytes: Buffer): string | undefined {
    let first = 0;
    while (first < bytes.length - 1 && ((bytes[first] === 0 && bytes[first + 1]! < 0x80) || (bytes[first] === 0xff && bytes[first + 1]! >= 0x80))) first++;
    if (bytes.length - first > Math.ceil((this.precision * Math.log2(10) + 1) / 8)) return undefined;
    const value = this._fromValue(bytes);
    return value.replace(/[-.]/g, '').replace(/^0+(?=\d)/, '').length > this.precision ? undefined : value;
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

/**
 * A map written only from a plain object: avsc takes any object's own keys, so a `Map`, a Date
 * or a class instance would be written as `{}`.
 */
class PlainMapType extends (avro.types.MapType as unknown as new (schema: Schema, opts: object) => Type) {
  _check(value: unknown, flags: unknown, hook?: (value: unknown, type: Type) => void, path?: string[]): boolean {
    if (!isPlainObject(value)) {
      hook?.(value, this);
      return false;
    }
    return (avro.types.MapType.prototype as unknown as { _check: (...a: unknown[]) => boolean })._check.call(this, value, flags, hook, path);
  }
  _write(tap: unknown, value: unknown): void {
    if (!isPlainObject(value)) throw new Error('a map is written from a plain object');
    (avro.types.MapType.prototype as unknown as { _write: (t: unknown, v: unknown) => void })._write.call(this, tap, value);
  }
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An int that refuses a bigint (or anything but a 32-bit integer) instead of a TypeError. */
class StrictIntType extends (avro.types.IntType as unknown as new () => Type) {
  _check(value: unknown, _flags: unknown, hook?: (value: unknown, type: Type) => void): boolean {
    const ok = typeof value === 'number' && value === (value | 0);
    if (!ok) hook?.(value, this);
    return ok;
  }
  _write(tap: { writeInt(n: number): void }, value: unknown): void {
    if (typeof value !== 'number' || value !== (value | 0)) throw new Error('an int is a 32-bit integer');
    tap.writeInt(value);
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

function isPlainInt(schema: unknown): boolean {
  if (schema === 'int') return true;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
  const { type, logicalType } = schema as { type?: unknown; logicalType?: unknown };
  return type === 'int' && !(typeof logicalType === 'string' && logicalType in LOGICAL_TYPES);
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
      if (isPlainInt(s)) return new StrictIntType();
      if (typeof s === 'object' && s !== null && (s as { type?: unknown }).type === 'enum') return new LazyEnumType(s, opts);
      if (typeof s === 'object' && s !== null && (s as { type?: unknown }).type === 'map') return new PlainMapType(s, opts);
      return undefined;
    },
  });
}

/**
 * An Avro type's name as a schema spells it (`long`, `timestamp-millis`, `int`, `nova.post.PostStatus`),
 * never avsc's internal class or `logical:`/`abstract:` names.
 */
export function avroTypeName(type: Type): string {
  const typeName = type.typeName;
  if (typeName.startsWith('logical:')) return typeName.slice('logical:'.length);
  if (typeName.startsWith('union:')) return `union [${(type as unknown as { types: Type[] }).types.map(avroTypeName).join(', ')}]`;
  if (typeName === 'abstract:long') return 'long';
  return type.name ?? typeName;
}
