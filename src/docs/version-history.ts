import { checkCompatibility } from '../compat/check.js';
import type { CompatResult } from '../compat/finding.js';
import type { CompatibilityLevel, EventContract } from '../model/contract.js';
import { schemaChanges, type SchemaChange } from './schema-changes.js';

/** One step of an event's history: what version `to` changed from `from`, and what the gate says. */
export interface VersionStep {
  readonly from: number;
  readonly to: number;
  /** What changed, field by field. */
  readonly changes: readonly SchemaChange[];
  /** The event's level. */
  readonly level: CompatibilityLevel;
  /**
   * The engine's verdict on version `to` under the event's level, against the versions the
   * level compares it with (all older ones when transitive): what `check-compat` and the
   * registry decide.
   */
  readonly verdict: CompatResult;
  /** Does `to` read data written with `from` (BACKWARD between the pair alone)? */
  readonly readsOlder: CompatResult;
  /** Does `from` read data written with `to` (FORWARD between the pair alone)? */
  readonly olderReads: CompatResult;
}

/** The step from `versions[index - 1]` to `versions[index]` of an event. Pure. */
export function versionStep(event: Pick<EventContract, 'schemaType' | 'compatibility' | 'versions'>, index: number): VersionStep {
  const older = event.versions[index - 1];
  const newer = event.versions[index];
  if (!older || !newer) throw new RangeError(`no versions ${index} and ${index + 1}`);
  const check = (level: CompatibilityLevel, previous: readonly unknown[]): CompatResult =>
    checkCompatibility({ schemaType: event.schemaType, level, previous: previous as object[], candidate: newer.schema as object });
  return {
    from: older.version,
    to: newer.version,
    changes: schemaChanges(event.schemaType, older.schema, newer.schema),
    level: event.compatibility,
    verdict: check(event.compatibility, event.versions.slice(0, index).map((v) => v.schema)),
    readsOlder: check('BACKWARD', [older.schema]),
    olderReads: check('FORWARD', [older.schema]),
  };
}

/** Every consecutive pair of an event's versions, oldest first. Pure. */
export function versionHistory(event: Pick<EventContract, 'schemaType' | 'compatibility' | 'versions'>): VersionStep[] {
  return event.versions.slice(1).map((_, i) => versionStep(event, i + 1));
}
