import type { Type } from 'avsc';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same cases. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The zigzag varint of a long, as Avro writes it (any bigint: no range check, for crafting bad bytes). */
export function varint(value: bigint | number): Buffer {
  const n = BigInt(value);
  let u = n >= 0n ? n << 1n : ((-n) << 1n) - 1n;
  const out: number[] = [];
  do {
    const byte = Number(u & 0x7fn);
    u >>= 7n;
    out.push(u > 0n ? byte | 0x80 : byte);
  } while (u > 0n);
  return Buffer.from(out);
}

/** An Avro string or bytes value: its length, then its bytes. */
export function avroString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([varint(bytes.length), bytes]);
}

interface AvscType {
  readonly typeName: string;
  readonly branchName?: string;
  readonly types: AvscType[];
  readonly itemsType: AvscType;
  readonly valuesType: AvscType;
  readonly underlyingType: AvscType & { size?: number };
  readonly symbols: string[];
  readonly size: number;
  readonly fields: { name: string; type: AvscType }[];
}

const INT_EDGES = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 63, 64, -64, -65];
const LONG_EDGES = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n];

/**
 * A valid value of an avsc type in the runtime's value mapping, drawn from `random` (edges
 * included: int and long limits, empty and non-ASCII strings, timestamps at the Date limits).
 */
export function randomValue(type: Type, random: () => number, depth = 0): unknown {
  const t = type as unknown as AvscType;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const count = () => (depth > 3 ? 0 : Math.floor(random() * 4));
  switch (t.typeName) {
    case 'null':
      return null;
    case 'boolean':
      return random() < 0.5;
    case 'int':
      return random() < 0.3 ? pick(INT_EDGES) : Math.floor(random() * 2 ** 32) - 2 ** 31;
    case 'abstract:long':
      return random() < 0.3 ? pick(LONG_EDGES) : BigInt(Math.floor(random() * 2 ** 53)) * (random() < 0.5 ? -1n : 1n);
    case 'float':
      return Math.fround(random() * 1000 - 500);
    case 'double':
      return random() * 1e6 - 5e5;
    case 'string':
      return pick(['', 'a', 'sunset', 'ü€😀', 'x'.repeat(Math.floor(random() * 300))]);
    case 'bytes':
      return Buffer.from(Array.from({ length: count() * 3 }, () => Math.floor(random() * 256)));
    case 'fixed':
      return Buffer.from(Array.from({ length: t.size }, () => Math.floor(random() * 256)));
    case 'enum':
      return pick(t.symbols);
    case 'array':
      return Array.from({ length: count() }, () => randomValue(t.itemsType as unknown as Type, random, depth + 1));
    case 'map':
      return Object.fromEntries(Array.from({ length: count() }, (_, i) => [`k${i}${pick(['', 'ü'])}`, randomValue(t.valuesType as unknown as Type, random, depth + 1)]));
    case 'record':
    case 'error':
      return Object.fromEntries(t.fields.map((f) => [f.name, randomValue(f.type as unknown as Type, random, depth + 1)]));
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branch = pick(t.types);
      const value = randomValue(branch as unknown as Type, random, depth + 1);
      return t.typeName === 'union:wrapped' && branch.typeName !== 'null' ? { [branch.branchName!]: value } : value;
    }
    case 'logical:timestamp-millis':
      return new Date(random() < 0.2 ? pick([8.64e15, -8.64e15, 0]) : Math.floor(random() * 4e12));
    case 'logical:decimal':
      return String(Math.floor(random() * 1000));
    default:
      throw new Error(`no random value for ${t.typeName}`);
  }
}

/**
 * Where `value` is not a value of the avsc type in the runtime's value mapping (a pointer and
 * what is wrong), or undefined. Independent of avsc's own checks: the fuzz test's oracle.
 */
export function outsideType(type: Type, value: unknown, pointer = ''): string | undefined {
  const t = type as unknown as AvscType;
  const bad = (what: string) => `${pointer || '(root)'}: ${what}`;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date);
  switch (t.typeName) {
    case 'null':
      return value === null ? undefined : bad('not null');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : bad('not a boolean');
    case 'int':
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31 ? undefined : bad(`int ${String(value)} beyond 32 bits`);
    case 'abstract:long':
      return typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n ? undefined : bad(`long ${String(value)} beyond 64 bits`);
    case 'float':
    case 'double':
      return typeof value === 'number' ? undefined : bad('not a number');
    case 'string':
      return typeof value === 'string' ? undefined : bad('not a string');
    case 'bytes':
      return Buffer.isBuffer(value) ? undefined : bad('not a Buffer');
    case 'fixed':
      return Buffer.isBuffer(value) && value.length === t.size ? undefined : bad(`not a Buffer of ${t.size} bytes`);
    case 'enum':
      return t.symbols.includes(value as string) ? undefined : bad(`${String(value)} is not a symbol`);
    case 'array':
      if (!Array.isArray(value)) return bad('not an array');
      for (const [i, item] of value.entries()) {
        const found = outsideType(t.itemsType as unknown as Type, item, `${pointer}/${i}`);
        if (found) return found;
      }
      return undefined;
    case 'map':
      if (!isObject(value) || ![Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) return bad('not a plain object');
      for (const [key, item] of Object.entries(value)) {
        const found = outsideType(t.valuesType as unknown as Type, item, `${pointer}/${key}`);
        if (found) return found;
      }
      return undefined;
    case 'record':
    case 'error': {
      if (!isObject(value)) return bad('not an object');
      const names = t.fields.map((f) => f.name);
      if (Object.keys(value).join() !== names.join()) return bad(`fields ${Object.keys(value).join()} are not ${names.join()}`);
      for (const f of t.fields) {
        const found = outsideType(f.type as unknown as Type, value[f.name], `${pointer}/${f.name}`);
        if (found) return found;
      }
      return undefined;
    }
    case 'union:unwrapped':
      return t.types.some((b) => outsideType(b as unknown as Type, value, pointer) === undefined) ? undefined : bad('in no branch of the union');
    case 'union:wrapped': {
      if (value === null) return t.types.some((b) => b.typeName === 'null') ? undefined : bad('null is no branch');
      if (!isObject(value) || Object.keys(value).length !== 1) return bad('not a wrapped union value');
      const [name, inner] = Object.entries(value)[0]!;
      const branch = t.types.find((b) => b.branchName === name);
      return branch ? outsideType(branch as unknown as Type, inner, pointer) : bad(`${name} is no branch`);
    }
    case 'logical:timestamp-millis':
      return value instanceof Date && Number.isFinite(value.getTime()) ? undefined : bad(`${String(value)} is not a valid Date`);
    case 'logical:decimal':
      return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? undefined : bad(`${String(value)} is not a decimal string`);
    default:
      return bad(`unknown type ${t.typeName}`);
  }
}

/** How many values, items and string bytes a decoded value holds: a proxy for what it allocated. */
export function sizeOf(value: unknown): number {
  let size = 0;
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    size += 1;
    if (typeof v === 'string') size += v.length;
    else if (Buffer.isBuffer(v)) size += v.length;
    else if (Array.isArray(v)) stack.push(...v);
    else if (typeof v === 'object' && v !== null && !(v instanceof Date)) stack.push(...Object.values(v));
  }
  return size;
}
