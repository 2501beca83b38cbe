import type { Type } from 'avsc';
import { joinPointer } from '../diagnostics/json-pointer.js';
import { NovaError } from '../util/errors.js';
import { avroTypeName, resolverOptions, TIMESTAMP_MILLIS_LIMIT } from './avro-type.js';
import { UNDECODABLE } from './wire-format.js';

/** Reads one Avro payload written with a writer type into the reader type's value mapping. */
export interface AvroReader {
  /**
   * The value encoded in `message` from byte `start` to its end. Throws UNDECODABLE_MESSAGE,
   * with a pointer to the writer's field, for bytes that are not a value of the writer type.
   */
  read(message: Buffer, start: number): unknown;
}

/**
 * Items whose encoding takes no byte (`null`, an empty record, `fixed` of size 0) cannot be
 * bounded by the bytes present: a message may hold `ZERO_BYTE_ITEMS + its length` of them.
 */
export const ZERO_BYTE_ITEMS = 1024;

/** Thrown inside a generated reader; turned into a NovaError with the pointer at the top. */
class DecodeFailure extends Error {}

interface AvscType {
  readonly typeName: string;
  readonly branchName?: string;
  readonly name?: string;
  readonly types: AvscType[];
  readonly itemsType: AvscType;
  readonly valuesType: AvscType;
  readonly underlyingType: AvscType;
  readonly symbols: string[];
  readonly default?: string;
  readonly size: number;
  readonly fields: { name: string; aliases: string[]; type: AvscType; defaultValue(): unknown }[];
  createResolver(writer: AvscType, opts: object): unknown;
}

const nameOf = (t: AvscType): string => avroTypeName(t as unknown as Type);
const isUnion = (t: AvscType): boolean => t.typeName.startsWith('union:');
const isLogical = (t: AvscType): boolean => t.typeName.startsWith('logical:');

/**
 * Compiles the reader of `writer`'s bytes into `reader`'s shape (the same type for a message
 * written with the reader's own schema). Resolution follows avsc's `createResolver` (which the
 * caller runs first, so that what avsc refuses stays refused); the bytes are read by generated
 * code that checks every count, length, index and value against the bytes left and the writer's
 * type before it allocates, so a decode of an N-byte message allocates O(N) and runs in O(N).
 * `what` names the payload in messages.
 */
export function compileAvroReader(reader: Type, writer: Type, what = 'the Avro payload'): AvroReader {
  const fast = generate(reader as unknown as AvscType, writer as unknown as AvscType, false);
  let traced: Factory | undefined;
  return {
    read(message: Buffer, start: number): unknown {
      try {
        return fast(message, start);
      } catch (error) {
        if (!(error instanceof DecodeFailure)) {
          const text = error instanceof RangeError && /call stack/.test(error.message) ? 'nested too deeply' : (error as Error).message;
          throw new NovaError(UNDECODABLE, `${what} could not be decoded: ${text}`, { cause: error });
        }
        // The same bytes again with the path kept, to point at the field (failures only).
        traced ??= generate(reader as unknown as AvscType, writer as unknown as AvscType, true);
        let pointer = '';
        try {
          traced(message, start);
        } catch (again) {
          pointer = (again as { pointer?: string }).pointer ?? '';
        }
        throw new NovaError(UNDECODABLE, `${what} could not be decoded: ${pointer || '(the payload)'}: ${error.message}`, { pointer });
      }
    },
  };
}

type Factory = (message: Buffer, start: number) => unknown;

/** A fixed type's size as a number literal (the schema is untrusted text: nothing else reaches the code). */
function sizeOf(fixed: AvscType): number {
  if (!Number.isSafeInteger(fixed.size) || fixed.size < 0) throw new Error(`invalid fixed size: ${String(fixed.size)}`);
  return fixed.size;
}

/** Whether a reader union branch can read the writer type, as avsc decides it. */
function resolves(reader: AvscType, writer: AvscType): boolean {
  try {
    reader.createResolver(writer, resolverOptions());
    return true;
  } catch {
    return false;
  }
}

/** The fewest bytes a value of the writer type takes (0 for a cycle: bounded by the budget). */
function minimumSize(type: AvscType, visiting = new Set<AvscType>()): number {
  switch (type.typeName) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return sizeOf(type);
    case 'record':
    case 'error': {
      if (visiting.has(type)) return 0;
      visiting.add(type);
      const size = type.fields.reduce((sum, f) => sum + minimumSize(f.type, visiting), 0);
      visiting.delete(type);
      return size;
    }
    default:
      if (isUnion(type)) return 1 + Math.min(...type.types.map((t) => minimumSize(t, visiting)));
      if (isLogical(type)) return minimumSize(type.underlyingType, visiting);
      return 1;
  }
}

/** Node's unchecked UTF-8 slice when it has one (as avsc uses), else the public toString. */
const UTF8 = typeof (Buffer.prototype as { utf8Slice?: unknown }).utf8Slice === 'function' ? 'buf.utf8Slice(s, pos)' : "buf.toString('utf8', s, pos)";

function generate(readerRoot: AvscType, writerRoot: AvscType, trace: boolean): Factory {
  const constants: unknown[] = [];
  const functions: string[] = [];
  const records = new Map<AvscType, Map<AvscType, string>>();
  let counter = 0;

  const constant = (value: unknown): string => {
    constants.push(value);
    return `K[${constants.length - 1}]`;
  };
  const define = (prefix: string, body: string): string => {
    const name = `${prefix}${counter++}`;
    functions.push(`function ${name}() {\n${body}\n}`);
    return name;
  };
  /** `expr` evaluated with `segment` on the path (trace mode only). */
  const at = (segment: string, expr: string): string => (trace ? `(path.push(${segment}), pop(${expr}))` : expr);

  /** An expression reading the writer's bytes as a value of the reader type. */
  function plan(r: AvscType, w: AvscType): string {
    if (r !== w && !isUnion(r) && !isLogical(r) && isLogical(w)) return plan(r, w.underlyingType);
    if (isUnion(w)) return unionOfWriter(r, w);
    return update(r, w);
  }

  function unionOfWriter(r: AvscType, w: AvscType): string {
    if (w.types.length === 2) {
      // The common optional field (["null", T]): one expression, no function of its own.
      const [first, second] = w.types.map((branch) => (r === w ? wrapped(r, branch, plan(branch, branch)) : plan(r, branch)));
      return `(readBranch(2) === 0 ? ${first} : ${second})`;
    }
    const cases = w.types.map((branch, i) => {
      // A message written with the reader's own union keeps its branch (no promotion).
      const value = r === w ? wrapped(r, branch, plan(branch, branch)) : plan(r, branch);
      return `case ${i}: return ${value};`;
    });
    return `${define('u', `const i = readIndex();\nswitch (i) {\n${cases.join('\n')}\ndefault: fail('union branch index ' + i + ' is not one of the ${w.types.length} branches');\n}`)}()`;
  }

  /** A reader union's value: wrapped unions carry the branch name (`{ "ns.Name": value }`). */
  function wrapped(union: AvscType, branch: AvscType, value: string): string {
    if (union.typeName !== 'union:wrapped' || branch.typeName === 'null') return value;
    return `{ ${JSON.stringify(branch.branchName)}: ${value} }`;
  }

  function update(r: AvscType, w: AvscType): string {
    if (isUnion(r)) {
      const branch = r.types.find((t) => resolves(t, w));
      if (!branch) throw new Error(`cannot read ${nameOf(w)} as ${nameOf(r)}`);
      return wrapped(r, branch, plan(branch, w));
    }
    if (isLogical(r)) return logical(r, w);
    const writerKind = w.typeName === 'abstract:long' ? 'long' : w.typeName;
    switch (r.typeName) {
      case 'null':
        if (writerKind === 'null') return 'null';
        break;
      case 'boolean':
        if (writerKind === 'boolean') return 'readBoolean()';
        break;
      case 'int':
        if (writerKind === 'int') return 'readInt()';
        break;
      case 'abstract:long':
        if (writerKind === 'int') return 'BigInt(readInt())';
        if (writerKind === 'long') return 'readLong()';
        break;
      case 'float':
        if (writerKind === 'float') return 'readFloat()';
        if (writerKind === 'int') return 'readInt()';
        if (writerKind === 'long') return 'Number(readLong())';
        break;
      case 'double':
        if (writerKind === 'double') return 'readDouble()';
        if (writerKind === 'float') return 'readFloat()';
        if (writerKind === 'int') return 'readInt()';
        if (writerKind === 'long') return 'Number(readLong())';
        break;
      case 'string':
        if (writerKind === 'string' || writerKind === 'bytes') return 'readString()';
        break;
      case 'bytes':
        if (writerKind === 'string' || writerKind === 'bytes') return 'readBytes()';
        break;
      case 'fixed':
        if (writerKind === 'fixed' && w.size === r.size) return `readFixed(${sizeOf(w)})`;
        break;
      case 'enum':
        if (writerKind === 'enum') return enumOf(r, w);
        break;
      case 'array':
        if (writerKind === 'array') return collection(w.itemsType, plan(r.itemsType, w.itemsType), false);
        break;
      case 'map':
        if (writerKind === 'map') return collection(w.valuesType, plan(r.valuesType, w.valuesType), true);
        break;
      case 'record':
      case 'error':
        if (writerKind === 'record' || writerKind === 'error') return `${record(r, w)}()`;
        break;
    }
    throw new Error(`cannot read ${nameOf(w)} as ${nameOf(r)}`);
  }

  function enumOf(r: AvscType, w: AvscType): string {
    // A writer symbol the reader lacks reads as the reader's default (LazyEnumType in avro-type.ts).
    const symbols = w.symbols.map((s) => (r.symbols.includes(s) ? s : r.default));
    return `enumSymbol(${constant(symbols)}, ${JSON.stringify(nameOf(w))})`;
  }

  function logical(r: AvscType, w: AvscType): string {
    if (r.typeName === 'logical:timestamp-millis') {
      if (w.typeName === 'logical:timestamp-millis' || w.typeName === 'long' || w.typeName === 'abstract:long') return 'readTimestamp()';
      if (w.typeName === 'int') return 'new Date(readInt())';
    }
    if (r.typeName === 'logical:decimal' && w.typeName === 'logical:decimal' && resolves(r, w)) {
      const underlying = w.underlyingType;
      const bytes = underlying.typeName === 'fixed' ? `readFixed(${sizeOf(underlying)})` : 'readBytes()';
      return `decimal(${constant(w)}, ${bytes})`;
    }
    if (r === w) return plan(r.underlyingType, r.underlyingType);
    throw new Error(`cannot read ${nameOf(w)} as ${nameOf(r)}`);
  }

  function collection(writerItem: AvscType, item: string, map: boolean): string {
    const size = minimumSize(writerItem) + (map ? 1 : 0);
    const what = map ? 'map' : 'array';
    const bound =
      size > 0
        ? `if (n * ${size} > end - pos) fail('a block of ' + n + ' ${what} items cannot fit in the ' + (end - pos) + ' bytes left (the payload is truncated or corrupt)');`
        : `budget -= n; if (budget < 0) fail('a block of ' + n + ' ${what} items of zero bytes each exceeds the ${ZERO_BYTE_ITEMS} + message length allowed');`;
    const put = map
      ? `const key = readString();\nconst value = ${at('key', item)};\nif (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });\nelse out[key] = value;`
      : `out.push(${at('out.length', item)});`;
    return `${define(map ? 'm' : 'a', `const out = ${map ? '{}' : '[]'};
for (;;) {
  let n = readLongNumber();
  if (n === 0) return out;
  if (n < 0) {
    n = -n;
    const bytes = readLongNumber();
    if (bytes < 0 || bytes > end - pos) fail('a block size of ' + bytes + ' bytes is ' + (bytes < 0 ? 'negative' : 'beyond the ' + (end - pos) + ' bytes left (the payload is truncated or corrupt)'));
  }
  ${bound}
  for (let i = 0; i < n; i++) {
${put}
  }
}`)}()`;
  }

  function record(r: AvscType, w: AvscType): string {
    let byWriter = records.get(r);
    if (!byWriter) records.set(r, (byWriter = new Map()));
    const known = byWriter.get(w);
    if (known) return known;
    const name = `r${counter++}`;
    byWriter.set(w, name);
    const writerIndex = new Map(w.fields.map((f, i) => [f.name, i]));
    // Reader field -> the writer field it reads (by name, then by the reader's aliases).
    const source = r.fields.map((field) => [field.name, ...field.aliases].map((n) => writerIndex.get(n)).find((i) => i !== undefined));
    const lines: string[] = [];
    w.fields.forEach((field, i) => {
      const readers = r.fields.map((_, j) => j).filter((j) => source[j] === i);
      if (readers.length === 0) {
        lines.push(`${at(JSON.stringify(field.name), plan(field.type, field.type))};`);
        return;
      }
      readers.forEach((j, k) => {
        // Two reader fields aliasing one writer field read it twice (avsc's _peek).
        if (k > 0) lines.push(`pos = start${i};`);
        else if (readers.length > 1) lines.push(`const start${i} = pos;`);
        lines.push(`const f${j} = ${at(JSON.stringify(field.name), plan(r.fields[j]!.type, field.type))};`);
      });
    });
    const values = r.fields.map((field, j) => `${JSON.stringify(field.name)}: ${source[j] !== undefined ? `f${j}` : defaultOf(field)}`);
    functions.push(`function ${name}() {\n${lines.join('\n')}\nreturn { ${values.join(', ')} };\n}`);
    return name;
  }

  function defaultOf(field: AvscType['fields'][number]): string {
    const value = field.defaultValue();
    if (value === null || typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return JSON.stringify(value);
    if (typeof value === 'bigint') return constant(value);
    // Objects (arrays, maps, records, Buffers, Dates) are fresh for every message.
    return `${constant(field)}.defaultValue()`;
  }

  const root = plan(readerRoot, writerRoot);
  const source = `
let buf, pos, end, budget${trace ? ', path' : ''};
${trace ? 'function pop(value) { path.pop(); return value; }' : ''}
function fail(message) {
  const error = new Failure(message);
  ${trace ? "error.pointer = joinPointer('', ...path);" : ''}
  throw error;
}
function truncated() { fail('the payload is truncated'); }
function failLength(n) {
  fail(n < 0 ? 'a length of ' + n + ' bytes is negative' : 'a length of ' + n + ' bytes is beyond the ' + (end - pos) + ' bytes left (the payload is truncated or corrupt)');
}
function readIndex() {
  const b = buf[pos];
  if (b < 0x80) { pos++; return b >>> 1 ^ -(b & 1); }
  return readIntSlow('index');
}
function readBranch(count) {
  const i = readIndex();
  if (i >= 0 && i < count) return i;
  fail('union branch index ' + i + ' is not one of the ' + count + ' branches');
}
function readInt() {
  const b = buf[pos];
  if (b < 0x80) { pos++; return b >>> 1 ^ -(b & 1); }
  return readIntSlow('int');
}
function readIntSlow(what) {
  let n = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end) truncated();
    const b = buf[pos++];
    if (shift === 28) {
      // The fifth byte holds bits 28-31 and ends the varint: anything more is beyond 32 bits.
      if (b > 0x0f) fail('an ' + what + ' varint is longer than 5 bytes or beyond 32 bits');
      n |= b << 28;
      break;
    }
    n |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  return n >>> 1 ^ -(n & 1);
}
function readLong() {
  const b = buf[pos];
  if (b < 0x80) { pos++; return BigInt(b >>> 1 ^ -(b & 1)); }
  const v = small();
  return v === undefined ? large() : BigInt(v);
}
function readLongNumber() {
  const b = buf[pos];
  if (b < 0x80) { pos++; return b >>> 1 ^ -(b & 1); }
  const v = small();
  return v === undefined ? Number(large()) : v;
}
// Up to 7 bytes (49 bits) in exact double arithmetic; undefined, with the low bits in carry, beyond.
let carry = 0;
function small() {
  let n = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= end) truncated();
    const b = buf[pos++];
    n += (b & 0x7f) * scale;
    if (b < 0x80) return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
    scale *= 128;
  }
  carry = n;
  return undefined;
}
function large() {
  let u = BigInt(carry);
  for (let shift = 49n; ; shift += 7n) {
    if (pos >= end) truncated();
    const b = buf[pos++];
    if (shift === 63n) {
      // The tenth byte holds bit 63 and ends the varint: anything more is beyond 64 bits.
      if (b > 0x01) fail('a long varint is longer than 10 bytes or beyond 64 bits');
      u |= BigInt(b) << 63n;
      break;
    }
    u |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  return (u >> 1n) ^ -(u & 1n);
}
function readLength() {
  const n = readLongNumber();
  if (n < 0 || n > end - pos) failLength(n);
  return n;
}
function readBoolean() {
  const b = buf[pos++];
  if (b === 0) return false;
  if (b === 1) return true;
  if (b === undefined) truncated();
  fail('a boolean byte is ' + b + ', not 0 or 1');
}
function readFloat() {
  if (end - pos < 4) truncated();
  const v = buf.readFloatLE(pos);
  pos += 4;
  return v;
}
function readDouble() {
  if (end - pos < 8) truncated();
  const v = buf.readDoubleLE(pos);
  pos += 8;
  return v;
}
function readString() {
  let n = buf[pos];
  if (n < 0x80) { pos++; n = n >>> 1 ^ -(n & 1); } else n = readLongNumber();
  if (n < 0 || n > end - pos) failLength(n);
  const s = pos;
  pos += n;
  return ${UTF8};
}
function readBytes() {
  const n = readLength();
  const out = Buffer.allocUnsafe(n);
  buf.copy(out, 0, pos, pos + n);
  pos += n;
  return out;
}
function readFixed(size) {
  if (end - pos < size) truncated();
  const out = Buffer.allocUnsafe(size);
  buf.copy(out, 0, pos, pos + size);
  pos += size;
  return out;
}
function readTimestamp() {
  const v = readLongNumber();
  if (!(v >= -${TIMESTAMP_MILLIS_LIMIT} && v <= ${TIMESTAMP_MILLIS_LIMIT})) fail('a timestamp-millis of ' + v + ' is outside the Date range (±${TIMESTAMP_MILLIS_LIMIT} ms)');
  return new Date(v);
}
function enumSymbol(symbols, name) {
  const i = readIndex();
  const s = symbols[i];
  if (s === undefined) fail('enum ' + name + ' has no symbol ' + i + (i >= 0 && i < symbols.length ? ' the reader knows (and no default)' : ''));
  return s;
}
function decimal(type, bytes) {
  const value = type.decodeBounded(bytes);
  if (value === undefined) fail('a decimal has more digits than its precision');
  return value;
}
${functions.join('\n')}
return function read(message, start) {
  buf = message;
  pos = start;
  end = message.length;
  budget = ${ZERO_BYTE_ITEMS} + (end - start);
  ${trace ? 'path = [];' : ''}
  const value = ${root};
  if (pos !== end) fail('the payload has ' + (end - pos) + ' trailing bytes');
  return value;
};`;
  return new Function('K', 'Failure', 'joinPointer', source)(constants, DecodeFailure, joinPointer) as Factory;
}
