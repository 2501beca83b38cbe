import { splitPointer } from '../../diagnostics/json-pointer.js';
import type { Direction } from '../finding.js';

const HINTS: Record<string, string> = {
  TYPE_CHANGED: 'keep the type, or widen it with anyOf/oneOf that still includes the old type',
  TYPE_NARROWED: 'keep "number"; integer accepts fewer values',
  REQUIRED_ATTRIBUTE_ADDED: 'give the property a "default", or leave it optional',
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: 'give the property a "default", or leave it out of "required"',
  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: 'give the property a "default", or leave it out of "required"',
  PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: 'close the content model ("additionalProperties": false) before adding properties, or use the LENIENT policy',
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: 'in an open content model old data may already carry this name with any value; close the model first, or use the LENIENT policy',
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: 'keep the property (a closed model rejects old data that has it), or open the model',
  ADDITIONAL_PROPERTIES_REMOVED: 'keep "additionalProperties" open; old data may carry extra properties',
  ADDITIONAL_PROPERTIES_NARROWED: 'keep "additionalProperties" open; old data may carry extra properties',
  ENUM_ARRAY_NARROWED: 'keep every enum value old data may hold',
  ENUM_ARRAY_CHANGED: 'only add enum values',
  COMBINED_TYPE_SUBSCHEMAS_CHANGED: 'keep every old branch, and only add new ones',
  COMBINED_TYPE_CHANGED: 'keep the combination keyword (allOf/anyOf/oneOf)',
  SUM_TYPE_NARROWED: 'keep every anyOf/oneOf branch',
  PRODUCT_TYPE_EXTENDED: 'do not add allOf parts: each one rejects more data',
};

function humanize(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

/** A past-tense message and hint for one incompatible JSON Schema difference at `path`. */
export function explainJsonDifference(type: string, path: string, direction: Direction, version: string): { message: string; hint: string } {
  const tokens = splitPointer(path);
  const property = tokens[tokens.length - 2] === 'properties' ? tokens[tokens.length - 1] : undefined;
  const where = property !== undefined ? `property "${property}"` : path === '' ? 'the schema' : `"${path}"`;
  const consequence = direction === 'backward' ? `data valid under ${version} may be rejected by the new schema` : `data valid under the new schema may be rejected by ${version}`;
  return {
    message: `${where}: ${humanize(type)}, so ${consequence}`,
    hint: HINTS[type] ?? 'revert this change, or make it in a new field',
  };
}
