import type { Catalog } from '../model/contract.js';
import { eventSubject } from '../model/contract.js';
import type { RegistryPort } from '../registry/rest-client.js';
import type { SubjectState } from './plan.js';
import { schemaToRegister } from './plan.js';

/** Reads what the registry holds for every contract's subject: its versions (by lookup) and level. */
export async function readRegistryState(catalog: Catalog, registry: RegistryPort): Promise<Map<string, SubjectState>> {
  const entries = await Promise.all(
    catalog.events.map(async (event) => {
      const subject = eventSubject(event);
      const existing = await registry.versions(subject);
      const registered = new Map<number, { id: number; version: number }>();
      if (existing.length > 0) {
        for (const version of event.versions) {
          const found = await registry.lookup(subject, schemaToRegister(event, version.version));
          if (found) registered.set(version.version, found);
        }
      }
      const level = await registry.subjectLevel(subject);
      return [subject, { exists: existing.length > 0, level, registered }] as const;
    }),
  );
  return new Map(entries);
}
