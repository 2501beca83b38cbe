import { joinPointer } from './json-pointer.js';

/** A JSON document parsed from text, with the line of every value by JSON pointer. */
export interface JsonSource {
  readonly value: unknown;
  /** 1-based line of the value at `pointer`, or of its nearest ancestor that has one. */
  lineOf(pointer: string): number;
}

/** Why a JSON text failed to parse, with the 1-based line and column. */
export interface JsonSyntaxError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** Parses JSON text; returns the value with a pointer-to-line map, or the syntax error. */
export function parseJsonSource(text: string): { ok: true; source: JsonSource } | { ok: false; error: JsonSyntaxError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const { line, column } = lineColumnAt(text, offset);
    return { ok: false, error: { message: message.replace(/^JSON\.parse: /, ''), line, column } };
  }
  // Scanned on the first lookup: most files have no finding, and the scan is most of a load.
  let lines: Map<string, number> | undefined;
  return {
    ok: true,
    source: {
      value,
      lineOf(pointer: string): number {
        if (lines === undefined) scanLines(text, (lines = new Map()));
        let p = pointer;
        for (;;) {
          const line = lines.get(p);
          if (line !== undefined) return line;
          if (p === '') return 1;
          p = p.slice(0, p.lastIndexOf('/'));
        }
      },
    },
  };
}

/** The 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Values nested deeper than this take their ancestor's line: it bounds the pointers kept to a
 * multiple of the text's size (schemas that deep are refused with a finding anyway).
 */
const MAX_TRACKED_DEPTH = 512;

interface OpenContainer {
  /** Undefined below `MAX_TRACKED_DEPTH`, where no lines are recorded. */
  readonly pointer: string | undefined;
  readonly array: boolean;
  index: number;
}

/**
 * Records the line each value starts on; `text` is known to be valid JSON. Iterative (an
 * explicit stack of open containers), so any nesting `JSON.parse` accepts is scanned.
 */
function scanLines(text: string, lines: Map<string, number>): void {
  let i = 0;
  let line = 1;
  const skipWhitespace = (): void => {
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const open: OpenContainer[] = [];
  // Reads one value at `pointer`: a scalar is consumed, a container is opened.
  const startValue = (pointer: string | undefined): void => {
    skipWhitespace();
    if (pointer !== undefined) lines.set(pointer, line);
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      open.push({ pointer: open.length < MAX_TRACKED_DEPTH ? pointer : undefined, array: c === '[', index: 0 });
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    }
  };
  startValue('');
  while (open.length > 0) {
    const top = open[open.length - 1] as OpenContainer;
    skipWhitespace();
    const c = text[i];
    if (c === '}' || c === ']') {
      i++;
      open.pop();
      continue;
    }
    if (c === ',') {
      i++;
      skipWhitespace();
    }
    if (top.array) {
      startValue(top.pointer === undefined ? undefined : joinPointer(top.pointer, top.index++));
    } else {
      const keyLine = line;
      const key = readString();
      skipWhitespace();
      i++; // ':'
      const child = top.pointer === undefined ? undefined : joinPointer(top.pointer, key);
      startValue(child);
      // A member's line is where its key stands, which is where an editor should point.
      if (child !== undefined) lines.set(child, keyLine);
    }
  }
}
