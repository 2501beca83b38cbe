import type { CombinedNode, JsonSchemaNode } from '../../../formats/json-schema/model.js';
import type { DiffContext } from '../context.js';
import type { JsonDifference } from '../differences.js';
import { compareSchemas } from '../schema-diff.js';
import type { JsonDifferenceType } from '../../../diagnostics/rules.js';

function criterionChange(original: CombinedNode, update: CombinedNode): JsonDifferenceType | undefined {
  if (original.criterion === update.criterion) return undefined;
  // Any criterion may widen to anyOf; a singleton may become oneOf, or singletons allOf.
  if (update.criterion === 'anyOf') return 'COMBINED_TYPE_EXTENDED';
  if (update.criterion === 'oneOf') {
    // A singleton may become oneOf; so may an allOf narrowed to one of its parts (a oneOf of one
    // is that part). An anyOf narrowed to one branch drops the others: changed.
    const narrowedAllOf = original.criterion === 'allOf' && update.subschemas.length === 1;
    return original.subschemas.length === 1 || narrowedAllOf ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED';
  }
  if (original.subschemas.length === 1 && update.subschemas.length === 1) return 'COMBINED_TYPE_EXTENDED';
  return 'COMBINED_TYPE_CHANGED';
}

function distinct(node: CombinedNode): JsonSchemaNode[] {
  const seen = new Set<string>();
  const out: JsonSchemaNode[] = [];
  node.subschemas.forEach((s, i) => {
    const key = node.keys[i] ?? String(i);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  });
  return out;
}

/** Maximum bipartite matching (augmenting paths) over the compatible original→update pairs. */
function maximumMatching(edges: ReadonlyArray<readonly number[]>, updateCount: number): Array<number | undefined> {
  const matchOfUpdate: Array<number | undefined> = new Array(updateCount).fill(undefined);
  const tryAssign = (o: number, visited: boolean[]): boolean => {
    for (const u of edges[o] ?? []) {
      if (visited[u]) continue;
      visited[u] = true;
      const current = matchOfUpdate[u];
      if (current === undefined || tryAssign(current, visited)) {
        matchOfUpdate[u] = o;
        return true;
      }
    }
    return false;
  };
  edges.forEach((_, o) => tryAssign(o, new Array(updateCount).fill(false)));
  return matchOfUpdate;
}

/**
 * allOf/anyOf/oneOf against the same kind: the criterion change, the size change (more anyOf
 * branches accept more; more allOf branches accept less), then every original subschema must
 * be matched to a distinct compatible update subschema, or COMBINED_TYPE_SUBSCHEMAS_CHANGED.
 */
export function compareCombined(ctx: DiffContext, original: CombinedNode, update: CombinedNode): void {
  const change = criterionChange(original, update);
  if (change) ctx.add(change);
  if (change === 'COMBINED_TYPE_CHANGED') return;
  const originals = distinct(original);
  const updates = distinct(update);
  // Growth is named after the update's criterion, shrinkage after the original's: allOf[a, b]
  // narrowed to anyOf[b] dropped a conjunct (compatible), not a branch.
  if (originals.length < updates.length) ctx.add(update.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED');
  else if (originals.length > updates.length) ctx.add(original.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED');

  const edges: number[][] = originals.map(() => []);
  const edgeDifferences = new Map<string, readonly JsonDifference[]>();
  originals.forEach((o, i) => {
    ctx.at(`${original.criterion}/${i}`, () => {
      updates.forEach((u, j) => {
        const sub = ctx.subcontext();
        compareSchemas(sub, o, u);
        if (sub.isCompatible()) {
          edges[i]?.push(j);
          edgeDifferences.set(`${i}:${j}`, sub.differences);
        }
      });
    });
  });
  const matchOfUpdate = maximumMatching(edges, updates.length);
  let matched = 0;
  const pairs = matchOfUpdate.map((o, u) => [o, u] as const).filter((p): p is readonly [number, number] => p[0] !== undefined);
  pairs.sort((a, b) => a[0] - b[0]);
  for (const [o, u] of pairs) {
    matched++;
    ctx.addAll(edgeDifferences.get(`${o}:${u}`) ?? []);
  }
  if (matched < Math.min(originals.length, updates.length)) ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED');
}
