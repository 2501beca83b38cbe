import type { StringNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import { compareBound } from './bounds.js';

/** String constraints: a longer max or shorter min accepts more; a pattern added or changed accepts less. */
export function compareString(ctx: DiffContext, original: StringNode, update: StringNode): void {
  compareBound(ctx, 'maxLength', original.maxLength, update.maxLength, 'MAX_LENGTH');
  compareBound(ctx, 'minLength', original.minLength, update.minLength, 'MIN_LENGTH');
  if (original.pattern === undefined && update.pattern !== undefined) ctx.add('PATTERN_ADDED', 'pattern');
  else if (original.pattern !== undefined && update.pattern === undefined) ctx.add('PATTERN_REMOVED', 'pattern');
  else if (original.pattern !== update.pattern) ctx.add('PATTERN_CHANGED', 'pattern');
}
