import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_RULES_BEGIN, README_RULES_END, rulesMarkdown } from '../../../src/cli/commands/rules.js';
import { RULES } from '../../../src/diagnostics/rules.js';
import { repoRoot } from '../../support/project.js';

const TABLE = 'src/diagnostics/rules.ts';
const ids = new Set(Object.keys(RULES));
const SCREAMING = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{4,}$/;
/** Confluent's suffixes of a numeric or "additional" keyword (src/compat/json/rules/bounds.ts, content-model.ts). */
const FAMILY_SUFFIXES = ['ADDED', 'REMOVED', 'INCREASED', 'DECREASED', 'EXTENDED', 'NARROWED'];

const isFamily = (prefix: string) => FAMILY_SUFFIXES.some((suffix) => ids.has(`${prefix}_${suffix}`));

/** A rule id the code can emit, and where it was found. */
interface Found {
  readonly id: string;
  readonly where: string;
  /** A prefix the code completes with a suffix (`MAX_LENGTH` -> MAX_LENGTH_ADDED, ...). */
  readonly family?: boolean;
}

/**
 * The rule ids a source file can emit, found statically: the first argument of `new NovaError`
 * and of any call given an id literal (`error(`, `warning(`, `report(`, `ctx.add(`, ...);
 * `rule:` and `reason:` fields; tables of ids typed `satisfies Record<string, RuleId...>`;
 * constants whose value is their own name, that end in `satisfies RuleId`, or whose doc
 * comment says "rule"; and, in the compatibility engine (src/compat), every SCREAMING_SNAKE
 * literal (its difference types, and the prefixes it completes with a suffix).
 */
function ruleIdsIn(path: string, text: string): Found[] {
  const found: Found[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const add = (id: string, index: number, family = false) => {
    if (SCREAMING.test(id)) found.push({ id, where: `${path}:${lineOf(index)}`, ...(family ? { family } : {}) });
  };
  const patterns = [
    /new NovaError\(\s*'([A-Z0-9_]+)'/g,
    // any call whose first argument is an id: error(, warning(, report(, problem(, ctx.add(, ...
    /\b[A-Za-z_$][\w$]*\(\s*'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g,
    /\b(?:rule|reason)\s*[:=]\s*'([A-Z0-9_]+)'/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) add(m[1]!, m.index!);
  // tables of ids: `{ name: 'ID', ... } as const satisfies Record<string, RuleId...>`
  for (const m of text.matchAll(/=\s*\{([^}]*)\}\s*as const satisfies Record<string, RuleId/g)) {
    for (const v of m[1]!.matchAll(/:\s*'([A-Z0-9_]+)'/g)) add(v[1]!, m.index! + v.index!);
  }
  for (const m of text.matchAll(/(\/\*\*(?:[^*]|\*(?!\/))*\*\/\s*)?(?:export )?const ([A-Z0-9_]+) = '([A-Z0-9_]+)'(\s+satisfies RuleId)?/g)) {
    const [, doc, name, value, typed] = m;
    if (name === value || typed || /\brule\b/i.test(doc ?? '')) add(value!, m.index! + (doc?.length ?? 0));
  }
  if (path.startsWith('src/compat/')) {
    for (const m of text.matchAll(/'([A-Z][A-Z0-9_]*)'/g)) {
      const literal = m[1]!;
      // a one-word literal there is a level or policy (BACKWARD, STRICT) unless it names a family (MAXIMUM)
      if (literal.includes('_') || isFamily(literal)) add(literal, m.index!, !ids.has(literal));
    }
  }
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(`${f.id} ${f.where}`) && seen.add(`${f.id} ${f.where}`));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.generated.ts') ? [full] : [];
  });
}

const scanned = sourceFiles(join(repoRoot, 'src'))
  .map((full) => relative(repoRoot, full).split('\\').join('/'))
  .filter((path) => path !== TABLE)
  .flatMap((path) => ruleIdsIn(path, readFileSync(join(repoRoot, path), 'utf8')));

describe('the rules table', () => {
  it('the scanner finds ids the ways the code writes them (and so a new one fails the next test)', () => {
    const source = [
      "/** Rule id of a lag that could not be read. */",
      "export const LAG_UNAVAILABLE = 'LAG_UNAVAILABLE';",
      "const OTHER = 'NOT_ITS_NAME' satisfies RuleId;",
      "throw new NovaError('TOPIC_MISSING', 'no topic');",
      "out.push(warning('LEGACY_TYPE_READ', file, '', 'read'));",
      "return { rule: 'METRIC_INVALID', pointer };",
      "const HEADER = 'ce_id'; const LEVELS = ['BACKWARD_TRANSITIVE'];",
    ].join('\n');
    expect(ruleIdsIn('src/metrics/lag.ts', source)).toEqual([
      { id: 'TOPIC_MISSING', where: 'src/metrics/lag.ts:4' },
      { id: 'LEGACY_TYPE_READ', where: 'src/metrics/lag.ts:5' },
      { id: 'METRIC_INVALID', where: 'src/metrics/lag.ts:6' },
      { id: 'LAG_UNAVAILABLE', where: 'src/metrics/lag.ts:2' },
      { id: 'NOT_ITS_NAME', where: 'src/metrics/lag.ts:3' },
    ]);
    // the real sources: every kind of emitter is seen
    const seen = new Set(scanned.map((f) => f.id));
    for (const id of ['UNDECODABLE_MESSAGE', 'USAGE', 'REGISTRY_BAD_RESPONSE', 'FIELD_UNDOCUMENTED', 'READER_FIELD_MISSING_DEFAULT_VALUE', 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'MAX_LENGTH']) {
      expect(seen, id).toContain(id);
    }
  });

  it('holds every rule id the code can emit', () => {
    const missing = scanned.filter((f) => !ids.has(f.id) && !(f.family && isFamily(f.id)));
    const report = missing.map((f) => `${f.id} (found at ${f.where}) is not in RULES in ${TABLE}: add it there with its severity, category, purpose and hint`);
    expect(report, report.join('\n')).toEqual([]);
  });

  it('has no entry that no code emits', () => {
    const emitted = new Set(scanned.map((f) => f.id));
    const families = scanned.filter((f) => f.family).map((f) => f.id);
    const stale = [...ids].filter((id) => !emitted.has(id) && !families.some((p) => FAMILY_SUFFIXES.some((s) => id === `${p}_${s}`)));
    expect(stale, `rule ids in ${TABLE} that nothing in src/ emits: remove them, or emit them as a constant the scan sees`).toEqual([]);
  });

  it('is documented in the README, as `nova-events rules --format markdown` prints it', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const undocumented = [...ids].filter((id) => !readme.includes(`\`${id}\``));
    expect(undocumented, `rule ids missing from README.md: run \`npx nova-events rules --format markdown\` and replace the section between its markers`).toEqual([]);
    const begin = readme.indexOf(README_RULES_BEGIN);
    const end = readme.indexOf(README_RULES_END);
    expect(begin, 'README.md has the generated rules section').toBeGreaterThan(0);
    expect(readme.slice(begin, end + README_RULES_END.length + 1), 'the README\'s rules section is stale: run `npx nova-events rules --format markdown` and replace it').toBe(rulesMarkdown());
  });

  it('gives every rule a purpose and a hint', () => {
    for (const [id, spec] of Object.entries(RULES)) {
      expect(spec.purpose.length, id).toBeGreaterThan(10);
      expect(spec.hint.length, id).toBeGreaterThan(5);
    }
  });
});
