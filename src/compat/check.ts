import { splitPointer, joinPointer } from '../diagnostics/json-pointer.js';
import { parsedAvroSchema, typeLabel, type AvroNode } from '../formats/avro/schema.js';
import { loadedJsonSchema, type JsonSchemaNode } from '../formats/json-schema/model.js';
import { jsonValueProblem } from '../formats/json-value.js';
import type { CompatibilityLevel, SchemaType } from '../model/contract.js';
import { checkReaderWriter } from './avro/checker.js';
import { AVRO_RULES } from './avro/rules/index.js';
import type { CompatFinding, CompatResult, Direction } from './finding.js';
import { explainJsonDifference } from './json/explain.js';
import { diffJsonSchemas, type JsonCompatPolicy } from './json/schema-diff.js';
import type { ErrorRuleId } from '../diagnostics/rules.js';

/** A schema as JSON text or an already parsed value. */
export type SchemaInput = string | object;

/** A previous schema of another type than the candidate's (always incompatible). */
export interface TypedSchemaInput {
  readonly schemaType: SchemaType;
  readonly schema: SchemaInput;
}

/** Input of `checkCompatibility`. */
export interface CheckCompatibilityInput {
  readonly schemaType: SchemaType;
  readonly level: CompatibilityLevel;
  /** Registered versions, oldest first. */
  readonly previous: ReadonlyArray<SchemaInput | TypedSchemaInput>;
  readonly candidate: SchemaInput;
  /** JSON Schema policy; STRICT (Confluent's default) unless LENIENT is asked for. */
  readonly policy?: JsonCompatPolicy;
}

type Parsed = { ok: true; value: unknown } | { ok: false; rule: ErrorRuleId; path: string; message: string; hint?: string };

/**
 * The schema as a JSON value, refused (as a finding, never a throw) when it is not JSON text,
 * holds values JSON cannot, or is nested beyond the depth every later walk is safe for.
 */
function parseInput(input: unknown, schemaType: SchemaType, what: string): Parsed {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      // A bare Avro primitive name is a valid schema text that is not JSON.
      if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(input.trim())) return { ok: true, value: input.trim() };
      return { ok: false, rule: 'SCHEMA_INVALID', path: '', message: `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  const problem = jsonValueProblem(value);
  if (problem) return { ok: false, rule: problem.rule, path: problem.pointer, message: `${what}: ${problem.message}`, hint: problem.hint };
  if (schemaType === 'JSON' && typeof value !== 'boolean' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return { ok: false, rule: 'SCHEMA_INVALID', path: '', message: `${what} is not a JSON Schema: a schema is an object or a boolean` };
  }
  return { ok: true, value };
}

function refusal(parsed: Extract<Parsed, { ok: false }>, version?: number): CompatFinding {
  return {
    rule: parsed.rule,
    path: parsed.path,
    message: parsed.message,
    ...(parsed.hint !== undefined ? { hint: parsed.hint } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

function isTyped(input: SchemaInput | TypedSchemaInput): input is TypedSchemaInput {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && 'schemaType' in input && 'schema' in input && Object.keys(input).length === 2;
}

/** The directions a level checks and whether it looks at every previous version. */
export function levelSemantics(level: CompatibilityLevel): { directions: Direction[]; transitive: boolean } {
  const transitive = level.endsWith('_TRANSITIVE');
  const base = level.replace('_TRANSITIVE', '');
  const directions: Direction[] = base === 'BACKWARD' ? ['backward'] : base === 'FORWARD' ? ['forward'] : base === 'FULL' ? ['backward', 'forward'] : [];
  return { directions, transitive };
}

function versionLabel(version: number): string {
  return `version ${version}`;
}

function avroFindings(candidate: AvroNode, previous: AvroNode, direction: Direction, version: number): CompatFinding[] {
  const [reader, writer] = direction === 'backward' ? [candidate, previous] : [previous, candidate];
  return checkReaderWriter(reader, writer).map((inc) => {
    const { message, hint } = AVRO_RULES[inc.type].explain(inc, direction, versionLabel(version));
    return {
      rule: inc.type,
      path: direction === 'backward' ? inc.readerPointer : inc.writerPointer,
      message,
      hint,
      version,
      details: {
        direction,
        readerType: typeLabel(inc.reader),
        writerType: typeLabel(inc.writer),
        ...(inc.subject !== undefined ? { subject: inc.subject } : {}),
      },
    };
  });
}

function jsonFindings(candidate: JsonSchemaNode, previous: JsonSchemaNode, direction: Direction, version: number, policy: JsonCompatPolicy): CompatFinding[] {
  // BACKWARD: the previous version's data must validate against the candidate.
  const [original, update] = direction === 'backward' ? [previous, candidate] : [candidate, previous];
  return diffJsonSchemas(original, update, policy).incompatible.map((d) => {
    const path = d.path === '#/' ? '' : joinPointer('', ...splitPointer(d.path.slice(1)));
    const { message, hint } = explainJsonDifference(d.type, path, direction, versionLabel(version));
    const tokens = splitPointer(path);
    const property = tokens[tokens.length - 2] === 'properties' ? tokens[tokens.length - 1] : undefined;
    return { rule: d.type, path, message, hint, version, details: { direction, ...(property !== undefined ? { property } : {}) } };
  });
}

/**
 * Is `candidate` compatible with `previous` (oldest first) under `level`, exactly as a
 * Confluent Schema Registry would judge it? Avro uses Avro Java's reader/writer check
 * (BACKWARD: candidate reads previous; FORWARD: previous reads candidate); JSON Schema uses
 * Confluent's diff rules under the STRICT or LENIENT policy. Non-transitive levels compare with
 * the latest previous version only. Returns every finding, sorted; pure and synchronous.
 */
export function checkCompatibility(input: CheckCompatibilityInput): CompatResult {
  const { directions, transitive } = levelSemantics(input.level);
  const findings: CompatFinding[] = [];
  const candidateParsed = parseInput(input.candidate, input.schemaType, 'the candidate schema');
  if (!candidateParsed.ok) return { compatible: false, findings: [refusal(candidateParsed)] };
  if (directions.length === 0 || input.previous.length === 0) return { compatible: true, findings: [] };

  const firstIndex = transitive ? 0 : input.previous.length - 1;
  const candidateAvro = input.schemaType === 'AVRO' ? parsedAvroSchema(candidateParsed.value) : undefined;
  if (candidateAvro && candidateAvro.problems.length > 0) {
    return {
      compatible: false,
      findings: candidateAvro.problems.map((p) => ({ rule: 'SCHEMA_INVALID', path: p.pointer, message: p.message, ...(p.hint ? { hint: p.hint } : {}) })),
    };
  }
  const candidateJson = input.schemaType === 'JSON' ? loadedJsonSchema(candidateParsed.value) : undefined;

  for (let index = firstIndex; index < input.previous.length; index++) {
    const version = index + 1;
    const entry = input.previous[index] as SchemaInput | TypedSchemaInput;
    const previousType = isTyped(entry) ? entry.schemaType : input.schemaType;
    if (previousType !== input.schemaType) {
      findings.push({
        rule: 'SCHEMA_TYPE_CHANGED',
        path: '',
        message: `the schema type changed from ${previousType} of ${versionLabel(version)} to ${input.schemaType}`,
        hint: 'a subject keeps one schema type; register the new format under a new subject',
        version,
        details: { from: previousType, to: input.schemaType },
      });
      continue;
    }
    const parsed = parseInput(isTyped(entry) ? entry.schema : entry, input.schemaType, versionLabel(version));
    if (!parsed.ok) {
      findings.push(refusal(parsed, version));
      continue;
    }
    for (const direction of directions) {
      if (candidateAvro) findings.push(...avroFindings(candidateAvro.root, parsedAvroSchema(parsed.value).root, direction, version));
      if (candidateJson) findings.push(...jsonFindings(candidateJson, loadedJsonSchema(parsed.value), direction, version, input.policy ?? 'STRICT'));
    }
  }
  findings.sort((a, b) => (a.version ?? 0) - (b.version ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { compatible: findings.length === 0, findings };
}
