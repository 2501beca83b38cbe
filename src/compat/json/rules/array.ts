import type { ArrayNode, JsonSchemaNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import { compareSchemas } from '../schema-diff.js';
import { compareBound } from './bounds.js';
import { compareAdditional, compareCoverage } from './content-model.js';

const isEmpty = (n: JsonSchemaNode | undefined): boolean => n !== undefined && (n.kind === 'empty' || n.kind === 'true');

/** Open: items past the tuple may be anything (no additionalItems schema; unevaluatedItems absent or empty). */
function isOpenContentModel(schema: ArrayNode): boolean {
  if (!schema.permitsAdditionalItems || schema.schemaOfAdditionalItems) return false;
  return schema.unevaluatedItems === undefined || isEmpty(schema.unevaluatedItems);
}

/** Partially open: the schema items past the tuple must match. */
function partialSchema(schema: ArrayNode): JsonSchemaNode | undefined {
  if (schema.schemaOfAdditionalItems) return schema.schemaOfAdditionalItems;
  if (schema.permitsAdditionalItems && schema.unevaluatedItems && schema.unevaluatedItems.kind !== 'false' && !isEmpty(schema.unevaluatedItems)) {
    return schema.unevaluatedItems;
  }
  return undefined;
}

function compareTuple(ctx: DiffContext, original: ArrayNode, update: ArrayNode): void {
  const o = original.itemSchemas ?? [];
  const u = update.itemSchemas ?? [];
  for (let i = 0; i < Math.max(o.length, u.length); i++) {
    ctx.at(`items/${i}`, () => {
      const os = o[i];
      const us = u[i];
      if (os && us) return compareSchemas(ctx, os, us);
      if (os) {
        if (isOpenContentModel(update)) return ctx.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL');
        const partial = partialSchema(update);
        if (partial) {
          return compareCoverage(ctx, os, partial, 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
        }
        return ctx.add(os.kind === 'false' ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL');
      }
      if (us) {
        if (isOpenContentModel(original)) return ctx.add(isEmpty(us) ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL');
        const partial = partialSchema(original);
        if (partial) {
          return compareCoverage(ctx, partial, us, 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
        }
        return ctx.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL');
      }
    });
  }
}

function compareUnevaluatedItems(ctx: DiffContext, original: ArrayNode, update: ArrayNode): void {
  const o = original.unevaluatedItems;
  const u = update.unevaluatedItems;
  if (!o && !u) return;
  ctx.at('unevaluatedItems', () => {
    if (!o) ctx.add(u?.kind === 'false' ? 'UNEVALUATED_ITEMS_REMOVED' : 'UNEVALUATED_ITEMS_NARROWED');
    else if (!u) ctx.add(o.kind === 'false' ? 'UNEVALUATED_ITEMS_ADDED' : 'UNEVALUATED_ITEMS_EXTENDED');
    else if (o.kind === 'false' && u.kind !== 'false') ctx.add('UNEVALUATED_ITEMS_ADDED');
    else if (o.kind !== 'false' && u.kind === 'false') ctx.add('UNEVALUATED_ITEMS_REMOVED');
    else if (isEmpty(o) && !isEmpty(u)) ctx.add('UNEVALUATED_ITEMS_NARROWED');
    else if (!isEmpty(o) && isEmpty(u)) ctx.add('UNEVALUATED_ITEMS_EXTENDED');
    else compareSchemas(ctx, o, u);
  });
}

/** Arrays: the item schema, the tuple against the content models, additional and unevaluated items, sizes. */
export function compareArray(ctx: DiffContext, original: ArrayNode, update: ArrayNode): void {
  ctx.at('items', () => compareSchemas(ctx, original.allItemSchema, update.allItemSchema));
  compareTuple(ctx, original, update);
  compareAdditional(
    ctx,
    'additionalItems',
    'ADDITIONAL_ITEMS',
    { permits: original.permitsAdditionalItems, ...(original.schemaOfAdditionalItems ? { schema: original.schemaOfAdditionalItems } : {}) },
    { permits: update.permitsAdditionalItems, ...(update.schemaOfAdditionalItems ? { schema: update.schemaOfAdditionalItems } : {}) },
  );
  compareUnevaluatedItems(ctx, original, update);
  compareBound(ctx, 'maxItems', original.maxItems, update.maxItems, 'MAX_ITEMS');
  compareBound(ctx, 'minItems', original.minItems, update.minItems, 'MIN_ITEMS');
  if (original.uniqueItems !== update.uniqueItems) ctx.add(original.uniqueItems ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', 'uniqueItems');
  compareBound(ctx, 'maxContains', original.maxContains, update.maxContains, 'MAX_CONTAINS');
  compareBound(ctx, 'minContains', original.minContains, update.minContains, 'MIN_CONTAINS');
}
