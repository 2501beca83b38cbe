import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/contracts/load.js';
import { eventSubject } from '../../../src/model/contract.js';
import { applyPlan } from '../../../src/sync/apply.js';
import { planRegistration, schemaToRegister } from '../../../src/sync/plan.js';
import { readRegistryState } from '../../../src/sync/registry-state.js';
import { MemoryRegistry } from '../../support/memory-registry.js';
import { fixtureCatalog } from '../../support/project.js';

const { catalog } = loadProject(fixtureCatalog('all-types'));
const order = catalog.events.find((e) => e.type === 'order.placed')!;
const audit = catalog.events.find((e) => e.type === 'audit.recorded')!;
const orderSubject = eventSubject(order);

async function plan(registry: MemoryRegistry) {
  return planRegistration(catalog, await readRegistryState(catalog, registry));
}

describe('the registration plan', () => {
  it('on an empty registry creates each subject with its first version, sets the level, then registers the rest', async () => {
    const { changes, conflicts } = await plan(new MemoryRegistry());
    expect(conflicts).toEqual([]);
    expect(changes.map((c) => (c.action === 'register-version' ? `${c.subject} v${c.version}${c.createsSubject ? ' (new)' : ''}` : `${c.subject} level ${c.from} -> ${c.to}`))).toEqual([
      `${eventSubject(audit)} v1 (new)`,
      `${eventSubject(audit)} level null -> BACKWARD`,
      `${orderSubject} v1 (new)`,
      `${orderSubject} level null -> BACKWARD_TRANSITIVE`,
      `${orderSubject} v2`,
    ]);
  });

  it('plans nothing after it was applied, and registers each version once', async () => {
    const registry = new MemoryRegistry();
    await applyPlan(await plan(registry), catalog, registry);
    expect(registry.registrations).toBe(3);
    expect(await plan(registry)).toEqual({ changes: [], conflicts: [], upToDate: [eventSubject(audit), orderSubject] });
  });

  it('finishes a run that stopped halfway, with no duplicate version', async () => {
    const registry = new MemoryRegistry();
    const full = await plan(registry);
    await applyPlan({ ...full, changes: full.changes.slice(0, 3) }, catalog, registry);
    const rest = await plan(registry);
    expect(rest.changes.map((c) => c.action + ' ' + c.subject)).toEqual([`set-compatibility ${orderSubject}`, `register-version ${orderSubject}`]);
    await applyPlan(rest, catalog, registry);
    expect(await registry.versions(orderSubject)).toEqual([1, 2]);
    expect((await plan(registry)).changes).toEqual([]);
  });

  it('shows a level drift as a change before registering anything', async () => {
    const registry = new MemoryRegistry();
    await applyPlan(await plan(registry), catalog, registry);
    await registry.setSubjectLevel(orderSubject, 'NONE');
    expect((await plan(registry)).changes).toEqual([{ action: 'set-compatibility', subject: orderSubject, type: 'order.placed', from: 'NONE', to: 'BACKWARD_TRANSITIVE' }]);
  });

  it('refuses to register an older version after a newer one (a conflict, not a change)', async () => {
    const registry = new MemoryRegistry();
    await registry.register(orderSubject, schemaToRegister(order, 2));
    const result = await plan(registry);
    expect(result.conflicts).toEqual([{ subject: orderSubject, type: 'order.placed', version: 1, message: 'v1 is not registered but v2 is: registering it now would make it the newest version' }]);
    expect(result.changes.filter((c) => c.subject === orderSubject && c.action === 'register-version')).toEqual([]);
  });

  it('registers the contract JSON without whitespace, the same text every run', () => {
    expect(schemaToRegister(order, 1).schema).toBe(JSON.stringify(order.versions[0]!.schema));
    expect(schemaToRegister(order, 1).schema).not.toMatch(/\n/);
  });
});
