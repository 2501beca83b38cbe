import type { DiffContext } from '../context.js';

/**
 * A numeric keyword's change as Confluent names it: `<NAME>_ADDED`, `_REMOVED`, `_INCREASED`
 * or `_DECREASED` at the keyword's path. Whether that is compatible is the policy's call.
 */
export function compareBound(ctx: DiffContext, keyword: string, original: number | undefined, update: number | undefined, name: string): void {
  if (original === update) return;
  if (original === undefined) ctx.add(`${name}_ADDED`, keyword);
  else if (update === undefined) ctx.add(`${name}_REMOVED`, keyword);
  else if (original < update) ctx.add(`${name}_INCREASED`, keyword);
  else ctx.add(`${name}_DECREASED`, keyword);
}
