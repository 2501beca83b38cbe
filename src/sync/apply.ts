import type { Catalog } from '../model/contract.js';
import type { RegistryPort } from '../registry/rest-client.js';
import type { PlanChange, RegistrationPlan } from './plan.js';
import { schemaToRegister } from './plan.js';

/** A change that was applied, with the id the registry gave a registered version. */
export type AppliedChange = PlanChange & { readonly id?: number };

/**
 * Applies a plan's changes in order. Stops at the first failure (throwing it); what was applied
 * stays applied, and a re-run plans only the rest.
 */
export async function applyPlan(
  plan: RegistrationPlan,
  catalog: Catalog,
  registry: RegistryPort,
  onApplied: (change: AppliedChange) => void = () => undefined,
): Promise<AppliedChange[]> {
  const applied: AppliedChange[] = [];
  for (const change of plan.changes) {
    let done: AppliedChange = change;
    if (change.action === 'set-compatibility') await registry.setSubjectLevel(change.subject, change.to);
    else {
      const event = catalog.events.find((e) => e.type === change.type)!;
      done = { ...change, id: await registry.register(change.subject, schemaToRegister(event, change.version)) };
    }
    applied.push(done);
    onApplied(done);
  }
  return applied;
}
