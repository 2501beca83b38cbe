import { isDeepStrictEqual } from 'node:util';
import type { ConstNode, EnumNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';

const containsAll = (haystack: readonly unknown[], needles: readonly unknown[]): boolean =>
  needles.every((n) => haystack.some((h) => isDeepStrictEqual(h, n)));

/** Enum values compared as sets: more values is ENUM_ARRAY_EXTENDED (compatible), fewer narrows. */
export function compareEnum(ctx: DiffContext, original: EnumNode, update: EnumNode): void {
  const same = containsAll(original.values, update.values) && containsAll(update.values, original.values);
  if (same) return;
  if (containsAll(update.values, original.values)) ctx.add('ENUM_ARRAY_EXTENDED', 'enum');
  else if (containsAll(original.values, update.values)) ctx.add('ENUM_ARRAY_NARROWED', 'enum');
  else ctx.add('ENUM_ARRAY_CHANGED', 'enum');
}

/** A changed `const` accepts different data: ENUM_ARRAY_CHANGED, as Confluent reports it. */
export function compareConst(ctx: DiffContext, original: ConstNode, update: ConstNode): void {
  if (!isDeepStrictEqual(original.value, update.value)) ctx.add('ENUM_ARRAY_CHANGED', 'const');
}
