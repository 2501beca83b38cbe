import type { NotNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import { compareSchemas } from '../schema-diff.js';

/** `not`: the excluded schemas compare in reverse; excluding less is NOT_TYPE_NARROWED (compatible). */
export function compareNot(ctx: DiffContext, original: NotNode, update: NotNode): void {
  ctx.at('not', () => {
    const sub = ctx.subcontext();
    compareSchemas(sub, update.mustNotMatch, original.mustNotMatch);
    ctx.add(sub.isCompatible() ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED');
  });
}
