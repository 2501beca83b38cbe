import type { PlanChange } from './plan.js';

/** One line of a plan, for people. */
export function describeChange(change: PlanChange): string {
  if (change.action === 'set-compatibility') {
    return `set level     ${change.subject}: ${change.from ?? '(global default)'} -> ${change.to}`;
  }
  return `${change.createsSubject ? 'create + reg ' : 'register     '} ${change.subject} v${change.version} (${change.file})`;
}
