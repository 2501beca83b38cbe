/** A key that YAML reads back as the same string without quotes. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_.$-]*$/;
/** Plain words YAML 1.1 or 1.2 would read as booleans or null. */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
/** Characters YAML does not allow (or reads as line breaks) in a scalar as written. */
const NOT_YAML_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  // A double-quoted YAML scalar accepts every JSON string escape, so JSON's quoting is YAML's,
  // plus escapes for what YAML may not hold raw (DEL, C1 controls, line and paragraph separators).
  return JSON.stringify(String(value)).replace(NOT_YAML_PRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function key(name: string): string {
  return PLAIN_KEY.test(name) && !RESERVED.test(name) ? name : scalar(name);
}

function isCollection(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function isEmpty(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function block(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isCollection(item) && !isEmpty(item)) {
        const [first = '', ...rest] = block(item, `${indent}  `);
        return [`${indent}- ${first.trimStart()}`, ...rest];
      }
      return [`${indent}- ${inline(item)}`];
    });
  }
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .flatMap(([name, v]) => (isCollection(v) && !isEmpty(v) ? [`${indent}${key(name)}:`, ...block(v, `${indent}  `)] : [`${indent}${key(name)}: ${inline(v)}`]));
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  return scalar(value);
}

/**
 * A JSON value (objects, arrays, strings, finite numbers, booleans, null) as block-style YAML
 * that any YAML 1.2 parser reads back as the same value: strings are always double-quoted with
 * JSON's escapes, keys are quoted unless plainly safe. Throws a TypeError on a non-finite number.
 */
export function toYaml(value: unknown): string {
  if (!isCollection(value) || isEmpty(value)) return `${inline(value)}\n`;
  return `${block(value, '').join('\n')}\n`;
}
