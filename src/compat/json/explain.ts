import { splitPointer } from '../../diagnostics/json-pointer.js';
import { RULES, type JsonDifferenceType } from '../../diagnostics/rules.js';
import type { Direction } from '../finding.js';

function humanize(type: JsonDifferenceType): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

/** A past-tense message and hint for one incompatible JSON Schema difference at `path`. */
export function explainJsonDifference(type: JsonDifferenceType, path: string, direction: Direction, version: string): { message: string; hint: string } {
  const tokens = splitPointer(path);
  const property = tokens[tokens.length - 2] === 'properties' ? tokens[tokens.length - 1] : undefined;
  const where = property !== undefined ? `property "${property}"` : path === '' ? 'the schema' : `"${path}"`;
  const consequence = direction === 'backward' ? `data valid under ${version} may be rejected by the new schema` : `data valid under the new schema may be rejected by ${version}`;
  return {
    message: `${where}: ${humanize(type)}, so ${consequence}`,
    hint: RULES[type].hint,
  };
}
