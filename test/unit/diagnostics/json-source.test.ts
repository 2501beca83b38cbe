import { describe, expect, it } from 'vitest';
import { parseJsonSource } from '../../../src/diagnostics/json-source.js';
import { joinPointer, splitPointer } from '../../../src/diagnostics/json-pointer.js';
import { renderGithubActions } from '../../../src/diagnostics/render.js';
import { error } from '../../../src/diagnostics/diagnostic.js';

const text = `{
  "a": 1,
  "b/c": [
    { "x": "~" },
    {
      "y": [true, null]
    }
  ]
}`;

describe('parseJsonSource', () => {
  it.each([
    ['', 1],
    ['/a', 2],
    ['/b~1c', 3],
    ['/b~1c/0', 4],
    ['/b~1c/0/x', 4],
    ['/b~1c/1', 5],
    ['/b~1c/1/y', 6],
    ['/b~1c/1/y/1', 6],
    ['/b~1c/1/missing', 5],
  ])('puts %s on line %i', (pointer, line) => {
    const parsed = parseJsonSource(text);
    if (!parsed.ok) throw new Error('expected valid JSON');
    expect(parsed.source.lineOf(pointer)).toBe(line);
  });

  it.each([
    // A member's line is its key's: the innermost "a" stands on line 1, the innermost array item on line 2.
    ['arrays', (n: number) => '['.repeat(n) + '\n1' + ']'.repeat(n), 2],
    ['objects', (n: number) => '{"a":'.repeat(n) + '\n1' + '}'.repeat(n), 1],
  ])('scans %s nested 100,000 deep without recursion, lines kept down to the tracked depth', (_name, nested, innermostLine) => {
    const parsed = parseJsonSource(nested(100_000));
    if (!parsed.ok) throw new Error('expected valid JSON');
    expect(parsed.source.lineOf('')).toBe(1);
    const token = nested(1).startsWith('[') ? '/0' : '/a';
    expect(parsed.source.lineOf(token.repeat(100))).toBe(1);
    expect(parsed.source.lineOf(token.repeat(100_000))).toBe(1);
    const shallow = parseJsonSource(nested(3));
    if (!shallow.ok) throw new Error('expected valid JSON');
    expect(shallow.source.lineOf(token.repeat(3))).toBe(innermostLine);
  });

  it('reports the line and column of a syntax error', () => {
    const parsed = parseJsonSource('{\n  "a": 1,\n}');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.line).toBe(3);
  });
});

describe('JSON pointers', () => {
  it('escapes and splits tokens', () => {
    const pointer = joinPointer('/fields', 0, 'a/b', 'c~d');
    expect(pointer).toBe('/fields/0/a~1b/c~0d');
    expect(splitPointer(pointer)).toEqual(['fields', '0', 'a/b', 'c~d']);
  });
});

describe('github-actions rendering', () => {
  it('escapes properties and data', () => {
    const out = renderGithubActions([error('USAGE', 'a,b:c.json', '/x', '50% done\nnext', { line: 3 })]);
    expect(out).toBe('::error file=a%2Cb%3Ac.json,line=3,title=USAGE::50%25 done%0Anext (at /x)\n');
  });
});
