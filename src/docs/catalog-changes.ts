import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkPublishedVersions } from '../gate/check-catalog.js';
import type { Catalog, EventContract, TopicSpec } from '../model/contract.js';
import { versionStep, type VersionStep } from './version-history.js';

/** One metadata attribute of an event or topic that differs from the ref. */
export interface MetadataChange {
  readonly attribute: string;
  /** JSON text of the value at the ref (undefined: it was not set). */
  readonly before?: string;
  readonly after?: string;
}

/** What the working tree changes relative to the catalog at a git ref: a PR preview. */
export interface CatalogChanges {
  readonly ref: string;
  /** Events that are not at the ref. */
  readonly addedEvents: readonly EventContract[];
  /** Events at the ref that are gone (the gate refuses this: EVENT_REMOVED). */
  readonly removedEvents: readonly EventContract[];
  /** Events with versions the ref does not have, each new version with its step from the one before. */
  readonly newVersions: readonly { readonly event: EventContract; readonly steps: readonly VersionStep[] }[];
  /** Events whose metadata changed. */
  readonly editedEvents: readonly { readonly event: EventContract; readonly changes: readonly MetadataChange[] }[];
  readonly addedTopics: readonly TopicSpec[];
  readonly removedTopics: readonly TopicSpec[];
  readonly editedTopics: readonly { readonly topic: TopicSpec; readonly changes: readonly MetadataChange[] }[];
  /** What `check-compat --against git:<ref>` finds: edited or deleted published versions, moved topics or keys. */
  readonly gate: readonly Diagnostic[];
}

const EVENT_ATTRIBUTES = ['description', 'topic', 'schemaType', 'subjectStrategy', 'key', 'compatibility', 'owner', 'subscribers', 'legacy'] as const;
const TOPIC_ATTRIBUTES = ['description', 'partitions', 'retentionMs', 'envVars'] as const;

function attributeChanges<T extends object>(before: T, after: T, attributes: readonly (keyof T & string)[]): MetadataChange[] {
  const out: MetadataChange[] = [];
  for (const attribute of attributes) {
    const a = before[attribute] === undefined ? undefined : JSON.stringify(before[attribute]);
    const b = after[attribute] === undefined ? undefined : JSON.stringify(after[attribute]);
    if (a !== b) out.push({ attribute, ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) });
  }
  return out;
}

/**
 * Compares the current catalog with the one at `ref`: new and removed events and topics, new
 * versions with their diffs and the engine's verdict, edited metadata, and the gate's own
 * findings on published versions (`checkPublishedVersions`). Pure.
 */
export function catalogChanges(published: Catalog, current: Catalog, ref: string): CatalogChanges {
  const before = new Map(published.events.map((e) => [e.type, e]));
  const now = new Map(current.events.map((e) => [e.type, e]));
  const newVersions: { event: EventContract; steps: VersionStep[] }[] = [];
  const editedEvents: { event: EventContract; changes: MetadataChange[] }[] = [];
  for (const event of current.events) {
    const old = before.get(event.type);
    const first = old ? old.versions.length : 1;
    const steps: VersionStep[] = [];
    for (let index = Math.max(1, first); index < event.versions.length; index++) steps.push(versionStep(event, index));
    if (steps.length > 0 && old) newVersions.push({ event, steps });
    if (old) {
      const changes = attributeChanges(old, event, EVENT_ATTRIBUTES);
      if (changes.length > 0) editedEvents.push({ event, changes });
    }
  }
  const topicsBefore = new Map(published.topics.map((t) => [t.name, t]));
  const topicsNow = new Map(current.topics.map((t) => [t.name, t]));
  const editedTopics: { topic: TopicSpec; changes: MetadataChange[] }[] = [];
  for (const topic of current.topics) {
    const old = topicsBefore.get(topic.name);
    if (!old) continue;
    const changes = attributeChanges(old, topic, TOPIC_ATTRIBUTES);
    if (changes.length > 0) editedTopics.push({ topic, changes });
  }
  return {
    ref,
    addedEvents: current.events.filter((e) => !before.has(e.type)),
    removedEvents: published.events.filter((e) => !now.has(e.type)),
    newVersions,
    editedEvents,
    addedTopics: current.topics.filter((t) => !topicsBefore.has(t.name)),
    removedTopics: published.topics.filter((t) => !topicsNow.has(t.name)),
    editedTopics,
    gate: checkPublishedVersions(published, current, ref),
  };
}

/** True when nothing differs from the ref. */
export function isUnchanged(changes: CatalogChanges): boolean {
  return (
    changes.addedEvents.length + changes.removedEvents.length + changes.newVersions.length + changes.editedEvents.length +
      changes.addedTopics.length + changes.removedTopics.length + changes.editedTopics.length + changes.gate.length === 0
  );
}
