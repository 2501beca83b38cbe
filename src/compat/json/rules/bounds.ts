import type { DiffContext } from '../context.js';

/** The numeric keywords Confluent names as `<NAME>_ADDED`, `_REMOVED`, `_INCREASED`, `_DECREASED`. */
export type BoundKeyword =
  | 'MAX_LENGTH'
  | 'MIN_LENGTH'
  | 'MAXIMUM'
  | 'MINIMUM'
  | 'EXCLUSIVE_MAXIMUM'
  | 'EXCLUSIVE_MINIMUM'
  | 'MAX_PROPERTIES'
  | 'MIN_PROPERTIES'
  | 'MAX_ITEMS'
  | 'MIN_ITEMS'
  | 'MAX_CONTAINS'
  | 'MIN_CONTAINS';

/**
 * A numeric keyword's change as Confluent names it: `<NAME>_ADDED`, `_REMOVED`, `_INCREASED`
 * or `_DECREASED` at the keyword's path. Whether that is compatible is the policy's call.
 */
export function compareBound(ctx: DiffContext, keyword: string, original: number | undefined, update: number | undefined, name: BoundKeyword): void {
  if (original === update) return;
  if (original === undefined) ctx.add(`${name}_ADDED`, keyword);
  else if (update === undefined) ctx.add(`${name}_REMOVED`, keyword);
  else if (original < update) ctx.add(`${name}_INCREASED`, keyword);
  else ctx.add(`${name}_DECREASED`, keyword);
}
