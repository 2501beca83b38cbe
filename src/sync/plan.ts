import type { Catalog, CompatibilityLevel, EventContract } from '../model/contract.js';
import { eventSubject, registeredSchemaText } from '../model/contract.js';

/** What the registry holds for one contract's subject (gathered by `readRegistryState`). */
export interface SubjectState {
  readonly exists: boolean;
  /** The subject's own level; undefined when it inherits the global one. */
  readonly level: CompatibilityLevel | undefined;
  /** Contract version -> the registry's id and version, for the versions it already holds. */
  readonly registered: ReadonlyMap<number, { readonly id: number; readonly version: number }>;
}

/** One step of a registration plan. */
export type PlanChange =
  | {
      readonly action: 'register-version';
      readonly subject: string;
      readonly type: string;
      readonly version: number;
      readonly file: string;
      /** True for the subject's first version: registering it creates the subject. */
      readonly createsSubject: boolean;
    }
  | {
      readonly action: 'set-compatibility';
      readonly subject: string;
      readonly type: string;
      /** The level in force before (null: the registry's global default). */
      readonly from: CompatibilityLevel | null;
      readonly to: CompatibilityLevel;
    };

/** A version the plan cannot register without breaking the subject's order. */
export interface PlanConflict {
  readonly subject: string;
  readonly type: string;
  readonly version: number;
  readonly message: string;
}

/** What `register` would do (changes, in order) and what already matches. */
export interface RegistrationPlan {
  readonly changes: readonly PlanChange[];
  readonly conflicts: readonly PlanConflict[];
  /** Subjects that already hold every version at the contract's level. */
  readonly upToDate: readonly string[];
}

/**
 * Plans registration (pure): per subject, in subject order, its missing versions oldest first
 * and its compatibility level. The level is set before new versions are registered, so the
 * registry judges them at the contract's level; on a new subject it is set right after the
 * first version creates it. A missing version older than a registered one is a conflict: the
 * registry would append it as the newest.
 */
export function planRegistration(catalog: Catalog, state: ReadonlyMap<string, SubjectState>): RegistrationPlan {
  const changes: PlanChange[] = [];
  const conflicts: PlanConflict[] = [];
  const upToDate: string[] = [];
  const events = [...catalog.events].sort((a, b) => eventSubject(a).localeCompare(eventSubject(b)));
  for (const event of events) {
    const subject = eventSubject(event);
    const current = state.get(subject) ?? { exists: false, level: undefined, registered: new Map() };
    const missing = event.versions.filter((v) => !current.registered.has(v.version));
    const newestRegistered = Math.max(0, ...current.registered.keys());
    for (const version of missing.filter((v) => v.version < newestRegistered)) {
      conflicts.push({ subject, type: event.type, version: version.version, message: `v${version.version} is not registered but v${newestRegistered} is: registering it now would make it the newest version` });
    }
    const toRegister = missing.filter((v) => v.version > newestRegistered);
    const levelChange = current.level !== event.compatibility ? setLevel(event, subject, current.level) : undefined;
    if (toRegister.length === 0 && !levelChange) {
      if (missing.length === 0) upToDate.push(subject);
      continue;
    }
    if (current.exists && levelChange) changes.push(levelChange);
    toRegister.forEach((version, i) => {
      // A subject that does not exist holds no version, so all of them are to register.
      const createsSubject = !current.exists && i === 0;
      changes.push({ action: 'register-version', subject, type: event.type, version: version.version, file: version.file, createsSubject });
      if (createsSubject && levelChange) changes.push(levelChange);
    });
  }
  return { changes, conflicts, upToDate };
}

function setLevel(event: EventContract, subject: string, from: CompatibilityLevel | undefined): PlanChange {
  return { action: 'set-compatibility', subject, type: event.type, from: from ?? null, to: event.compatibility };
}

/** The schema text `register` sends for a contract version (so a re-run matches it exactly). */
export function schemaToRegister(event: EventContract, version: number): { schemaType: EventContract['schemaType']; schema: string } {
  const found = event.versions.find((v) => v.version === version);
  if (!found) throw new Error(`${event.type} has no v${version}`);
  return { schemaType: event.schemaType, schema: registeredSchemaText(found.schema) };
}
