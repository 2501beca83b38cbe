/** Escapes one reference token for an RFC 6901 JSON pointer. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends reference tokens to a JSON pointer: `joinPointer('/fields', 2, 'type')` is `/fields/2/type`. */
export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapePointerToken(t)}`).join('');
}

/** Splits a JSON pointer into its unescaped reference tokens. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
