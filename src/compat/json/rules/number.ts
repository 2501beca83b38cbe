import type { NumberNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import { compareBound } from './bounds.js';

/** Whether `a` is an exact multiple of `b`, in decimal (so 10 of 0.5 is, without float error). */
function isMultiple(a: number, b: number): boolean {
  if (b === 0) return false;
  const scale = 10 ** Math.max(decimals(a), decimals(b));
  return Math.round(a * scale) % Math.round(b * scale) === 0;
}

function decimals(n: number): number {
  const s = String(n);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** Number constraints, `multipleOf`, and integer <-> number (widening to number is TYPE_EXTENDED). */
export function compareNumber(ctx: DiffContext, original: NumberNode, update: NumberNode): void {
  compareBound(ctx, 'maximum', original.maximum, update.maximum, 'MAXIMUM');
  compareBound(ctx, 'minimum', original.minimum, update.minimum, 'MINIMUM');
  compareBound(ctx, 'exclusiveMaximum', original.exclusiveMaximum, update.exclusiveMaximum, 'EXCLUSIVE_MAXIMUM');
  compareBound(ctx, 'exclusiveMinimum', original.exclusiveMinimum, update.exclusiveMinimum, 'EXCLUSIVE_MINIMUM');
  const o = original.multipleOf;
  const u = update.multipleOf;
  if (o !== u) {
    if (o === undefined) ctx.add('MULTIPLE_OF_ADDED', 'multipleOf');
    else if (u === undefined) ctx.add('MULTIPLE_OF_REMOVED', 'multipleOf');
    else if (isMultiple(u, o)) ctx.add('MULTIPLE_OF_EXPANDED', 'multipleOf');
    else if (isMultiple(o, u)) ctx.add('MULTIPLE_OF_REDUCED', 'multipleOf');
    else ctx.add('MULTIPLE_OF_CHANGED', 'multipleOf');
  }
  if (original.requiresInteger !== update.requiresInteger) ctx.add(original.requiresInteger ? 'TYPE_EXTENDED' : 'TYPE_NARROWED');
}
