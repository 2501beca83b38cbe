import type { Type } from 'avsc';

/** The parts of avsc's type classes the generator reads. */
interface AvscType {
  readonly typeName: string;
  readonly branchName?: string;
  readonly fields?: readonly { name: string; type: AvscType }[];
  readonly itemsType?: AvscType;
  readonly valuesType?: AvscType;
  readonly types?: readonly AvscType[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: AvscType;
  readonly precision?: number;
  readonly scale?: number;
}

/**
 * A random value of an avsc type (built by `avroType`, so in the runtime's value mapping),
 * drawn from `random`. Replaces avsc's `Type#random()`, whose generator is seeded from
 * `Math.random` and cannot be reseeded. Beyond `MAX_DEPTH` collections are empty and unions
 * take their first branch, so recursive types end.
 */
export function randomAvroValue(type: Type, random: () => number): unknown {
  return draw(type as unknown as AvscType, random, 0);
}

const MAX_DEPTH = 8;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function draw(type: AvscType, random: () => number, depth: number): unknown {
  const below = (n: number) => Math.floor(random() * n);
  const text = (length: number) => Array.from({ length }, () => LETTERS[below(LETTERS.length)]).join('');
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => below(256)));
  const count = (max: number) => (depth >= MAX_DEPTH ? 0 : below(max));
  const name = type.typeName;
  switch (name) {
    case 'null':
      return null;
    case 'boolean':
      return random() < 0.5;
    case 'int':
      return below(1000);
    case 'long':
    case 'abstract:long':
      return BigInt(below(2 ** 31));
    case 'float':
      return Math.fround(random() * 1000);
    case 'double':
      return random();
    case 'string':
      return text(below(32));
    case 'bytes':
      return bytes(below(32));
    case 'fixed':
      return bytes(type.size!);
    case 'enum':
      return type.symbols![below(type.symbols!.length)];
    case 'array':
      return Array.from({ length: count(10) }, () => draw(type.itemsType!, random, depth + 1));
    case 'map':
      return Object.fromEntries(Array.from({ length: count(10) }, () => [text(1 + below(20)), draw(type.valuesType!, random, depth + 1)]));
    case 'record':
    case 'error':
      return Object.fromEntries(type.fields!.map((field) => [field.name, draw(field.type, random, depth + 1)]));
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branch = type.types![depth >= MAX_DEPTH ? 0 : below(type.types!.length)]!;
      const value = draw(branch, random, depth + 1);
      return name === 'union:wrapped' && branch.typeName !== 'null' ? { [branch.branchName!]: value } : value;
    }
    case 'logical:timestamp-millis':
      // Within years 1970..2096, far inside the Date range.
      return new Date(below(4e12));
    case 'logical:decimal': {
      const { precision = 1, scale = 0 } = type;
      const digits = Array.from({ length: 1 + below(precision) }, () => below(10)).join('').padStart(scale + 1, '0');
      const whole = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
      const sign = random() < 0.5 && /[1-9]/.test(digits) ? '-' : '';
      return `${sign}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''}`;
    }
    default:
      throw new Error(`no random value for the avsc type ${name}`);
  }
}
