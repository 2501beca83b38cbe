import type { JsonSchemaNode } from '../../formats/json-schema/model.js';
import type { JsonDifference } from './differences.js';
import type { JsonDifferenceType } from '../../diagnostics/rules.js';

/**
 * The state of one JSON Schema comparison, as Confluent's `Context`: the path being compared,
 * the differences found, the policy's compatible set, and (shared by every subcontext) the
 * memo and the pairs in progress that let recursive schemas terminate.
 */
export class DiffContext {
  private readonly path: string[];
  readonly differences: JsonDifference[] = [];

  constructor(
    readonly compatibleChanges: ReadonlySet<JsonDifferenceType>,
    private readonly memo: Map<JsonSchemaNode, Map<JsonSchemaNode, readonly JsonDifference[]>> = new Map(),
    private readonly inProgress: Map<JsonSchemaNode, Set<JsonSchemaNode>> = new Map(),
    path: readonly string[] = [],
  ) {
    this.path = [...path];
  }

  /** A context at the same path with no differences yet, sharing memo and recursion state. */
  subcontext(): DiffContext {
    return new DiffContext(this.compatibleChanges, this.memo, this.inProgress, this.path);
  }

  /** Runs `body` with `token` appended to the path. */
  at(token: string, body: () => void): void {
    this.path.push(token);
    try {
      body();
    } finally {
      this.path.pop();
    }
  }

  /** Records a difference at the current path (or at `attribute` below it). */
  add(type: JsonDifferenceType, attribute?: string): void {
    const tokens = attribute === undefined ? this.path : [...this.path, attribute];
    this.differences.push({ type, path: `#/${tokens.join('/')}` });
  }

  /** Appends differences found by another context. */
  addAll(differences: readonly JsonDifference[]): void {
    this.differences.push(...differences);
  }

  /** True when every difference so far is in the policy's compatible set. */
  isCompatible(): boolean {
    return this.differences.every((d) => this.compatibleChanges.has(d.type));
  }

  /**
   * Compares a pair once: a pair already compared reuses its differences (rebased onto this
   * path); a pair still being compared further up is a recursive cycle, treated as compatible.
   */
  memoized(original: JsonSchemaNode, update: JsonSchemaNode, compare: (ctx: DiffContext) => void): void {
    const cached = this.memo.get(original)?.get(update);
    let relative: readonly JsonDifference[];
    if (cached) relative = cached;
    else {
      let pending = this.inProgress.get(original);
      if (!pending) this.inProgress.set(original, (pending = new Set()));
      if (pending.has(update)) return;
      pending.add(update);
      try {
        const fresh = new DiffContext(this.compatibleChanges, this.memo, this.inProgress);
        compare(fresh);
        relative = fresh.differences;
        let byUpdate = this.memo.get(original);
        if (!byUpdate) this.memo.set(original, (byUpdate = new Map()));
        byUpdate.set(update, relative);
      } finally {
        pending.delete(update);
      }
    }
    const prefix = `#/${this.path.join('/')}`;
    for (const d of relative) {
      this.differences.push({ type: d.type, path: d.path.length <= 2 ? prefix : this.path.length === 0 ? d.path : `${prefix}/${d.path.slice(2)}` });
    }
  }
}
