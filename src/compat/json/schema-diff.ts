import { isDeepStrictEqual } from 'node:util';
import type { JsonSchemaNode } from '../../formats/json-schema/model.js';
import { DiffContext } from './context.js';
import { COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT, type JsonDifference } from './differences.js';
import { compareArray } from './rules/array.js';
import { compareCombined } from './rules/combined.js';
import { compareConst, compareEnum } from './rules/enum.js';
import { compareNot } from './rules/not.js';
import { compareNumber } from './rules/number.js';
import { compareObject } from './rules/object.js';
import { compareString } from './rules/string.js';

/** Confluent's two JSON Schema compatibility policies. */
export type JsonCompatPolicy = 'STRICT' | 'LENIENT';

function deref(node: JsonSchemaNode): JsonSchemaNode {
  let current = node;
  for (let hops = 0; current.kind === 'ref' && hops < 64; hops++) current = current.referred();
  return current;
}

/**
 * Compares two JSON Schema nodes and records their differences in `ctx`: Confluent's
 * `SchemaDiff.compare`. A missing side is SCHEMA_ADDED/REMOVED, references are followed,
 * singleton and sum-type combinations are tried against the other side, and otherwise the
 * nodes must be of one kind to be compared keyword by keyword.
 */
export function compareSchemas(ctx: DiffContext, originalIn: JsonSchemaNode | undefined, updateIn: JsonSchemaNode | undefined): void {
  if (!originalIn && !updateIn) return;
  if (!originalIn) return ctx.add('SCHEMA_ADDED');
  if (!updateIn) return ctx.add('SCHEMA_REMOVED');
  // Keyed on the nodes as written (each `$ref` occurrence its own node), as Confluent keys on
  // everit's objects: a cycle is cut one reference later, so memoization cannot mask a change.
  ctx.memoized(originalIn, updateIn, (pairCtx) => compareResolved(pairCtx, deref(originalIn), deref(updateIn)));
}

function compareResolved(ctx: DiffContext, original: JsonSchemaNode, update: JsonSchemaNode): void {
  if (original.kind !== 'combined' && update.kind === 'combined') {
    if (update.subschemas.length === 1) {
      const sub = ctx.subcontext();
      compareSchemas(sub, original, update.subschemas[0]);
      if (sub.isCompatible()) return ctx.addAll(sub.differences);
    } else if (update.criterion === 'anyOf' || update.criterion === 'oneOf') {
      // A schema that became one branch of a sum type still accepts its old data.
      for (const branch of update.subschemas) {
        const sub = ctx.subcontext();
        compareSchemas(sub, original, branch);
        if (sub.isCompatible()) {
          ctx.addAll(sub.differences);
          return ctx.add('SUM_TYPE_EXTENDED');
        }
      }
    }
  } else if (original.kind === 'combined' && update.kind !== 'combined') {
    if (original.subschemas.length === 1) {
      const sub = ctx.subcontext();
      compareSchemas(sub, original.subschemas[0], update);
      if (sub.isCompatible()) return ctx.addAll(sub.differences);
    } else if (original.criterion === 'allOf') {
      // Data that matched every part of an allOf matches any one part it was narrowed to.
      for (const part of original.subschemas) {
        const sub = ctx.subcontext();
        compareSchemas(sub, part, update);
        if (sub.isCompatible()) {
          ctx.addAll(sub.differences);
          return ctx.add('PRODUCT_TYPE_NARROWED');
        }
      }
    }
  }

  // Nodes of different kinds are different everit classes: TYPE_CHANGED unless exempt below.
  if (original.kind !== update.kind) {
    // Anything may become {} or true, and false may become anything: both accept more.
    if (original.kind === 'false' || update.kind === 'empty' || update.kind === 'true') return;
    // Kafka Connect stores decimals as bytes whichever JSON type carries them.
    if (original.meta.connectType === 'bytes' && update.meta.connectType === 'bytes') return;
    return ctx.add('TYPE_CHANGED');
  }

  if (original.meta.id !== update.meta.id) ctx.add('ID_CHANGED');
  if (original.meta.title !== update.meta.title) ctx.add('TITLE_CHANGED');
  if (original.meta.description !== update.meta.description) ctx.add('DESCRIPTION_CHANGED');
  if (!isDeepStrictEqual(original.meta.default, update.meta.default)) ctx.add('DEFAULT_CHANGED');

  switch (original.kind) {
    case 'string':
      return compareString(ctx, original, update as typeof original);
    case 'number':
      return compareNumber(ctx, original, update as typeof original);
    case 'enum':
      return compareEnum(ctx, original, update as typeof original);
    case 'const':
      return compareConst(ctx, original, update as typeof original);
    case 'combined':
      return compareCombined(ctx, original, update as typeof original);
    case 'not':
      return compareNot(ctx, original, update as typeof original);
    case 'object':
      return compareObject(ctx, original, update as typeof original);
    case 'array':
      return compareArray(ctx, original, update as typeof original);
    default:
      return;
  }
}

/** Every difference from `original` to `update` under a policy, and whether all are compatible. */
export function diffJsonSchemas(
  original: JsonSchemaNode,
  update: JsonSchemaNode,
  policy: JsonCompatPolicy = 'STRICT',
): { differences: JsonDifference[]; compatible: boolean; incompatible: JsonDifference[] } {
  const compatibleSet = policy === 'LENIENT' ? COMPATIBLE_CHANGES_LENIENT : COMPATIBLE_CHANGES_STRICT;
  const ctx = new DiffContext(compatibleSet);
  compareSchemas(ctx, original, update);
  const incompatible = ctx.differences.filter((d) => !compatibleSet.has(d.type));
  return { differences: ctx.differences, compatible: incompatible.length === 0, incompatible };
}
