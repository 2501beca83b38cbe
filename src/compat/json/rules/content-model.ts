import type { JsonSchemaNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import { compareSchemas } from '../schema-diff.js';
import type { JsonDifferenceType } from '../../../diagnostics/rules.js';

/**
 * A property or tuple item that moved between an explicit schema and a partially open content
 * model (additionalProperties/additionalItems/patternProperties schema): compares the two and
 * records the differences plus whether the model covers it.
 */
export function compareCoverage(ctx: DiffContext, original: JsonSchemaNode, update: JsonSchemaNode, covered: JsonDifferenceType, notCovered: JsonDifferenceType): void {
  const sub = ctx.subcontext();
  compareSchemas(sub, original, update);
  ctx.addAll(sub.differences);
  ctx.add(sub.isCompatible() ? covered : notCovered);
}

/** The "anything else" slot of an object or array: allowed at all, and with which schema. */
export interface AdditionalSlot {
  readonly permits: boolean;
  readonly schema?: JsonSchemaNode;
}

/**
 * additionalProperties / additionalItems: allowing extras is `<NAME>_ADDED` (compatible),
 * forbidding them `_REMOVED`; a schema where there was none `_NARROWED`, none where there was
 * one `_EXTENDED`; otherwise the two schemas are compared.
 */
export function compareAdditional(ctx: DiffContext, keyword: string, name: 'ADDITIONAL_PROPERTIES' | 'ADDITIONAL_ITEMS', original: AdditionalSlot, update: AdditionalSlot): void {
  ctx.at(keyword, () => {
    if (original.permits !== update.permits) ctx.add(update.permits ? `${name}_ADDED` : `${name}_REMOVED`);
    else if (!original.schema && update.schema) ctx.add(`${name}_NARROWED`);
    else if (original.schema && !update.schema) ctx.add(`${name}_EXTENDED`);
    else compareSchemas(ctx, original.schema, update.schema);
  });
}
