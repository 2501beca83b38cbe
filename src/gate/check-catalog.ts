import { isDeepStrictEqual } from 'node:util';
import { checkCompatibility } from '../compat/check.js';
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { JsonSource } from '../diagnostics/json-source.js';
import type { JsonCompatPolicy } from '../compat/json/schema-diff.js';
import type { Catalog, EventContract } from '../model/contract.js';

function lineIn(sources: ReadonlyMap<string, JsonSource>, file: string, pointer: string): { line?: number } {
  const line = sources.get(file)?.lineOf(pointer);
  return line === undefined ? {} : { line };
}

/**
 * Checks every version of every event against the versions before it, under the event's
 * level, as the registry would when the versions are registered in order. Pure.
 */
export function checkCatalogCompatibility(
  catalog: Catalog,
  sources: ReadonlyMap<string, JsonSource> = new Map(),
  policy: JsonCompatPolicy = 'STRICT',
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const event of catalog.events) {
    for (let index = 1; index < event.versions.length; index++) {
      const candidate = event.versions[index];
      if (!candidate) continue;
      const result = checkCompatibility({
        schemaType: event.schemaType,
        level: event.compatibility,
        previous: event.versions.slice(0, index).map((v) => v.schema as object),
        candidate: candidate.schema as object,
        policy,
      });
      for (const finding of result.findings) {
        // The finding is about the candidate, in the candidate's file: it carries the candidate's
        // version (as every other finding on a version file does); the message names the older one.
        out.push(
          error(finding.rule, candidate.file, finding.path, `${event.type} v${candidate.version} (${event.compatibility}): ${finding.message}`, {
            ...lineIn(sources, candidate.file, finding.path),
            ...(finding.hint !== undefined ? { hint: finding.hint } : {}),
            version: candidate.version,
            details: { eventType: event.type, level: event.compatibility, ...(finding.version !== undefined ? { against: finding.version } : {}), ...finding.details },
          }),
        );
      }
    }
  }
  return out;
}

/**
 * Compares the catalog with the one published at a git ref: a published version must not be
 * edited or deleted, an event must not disappear, and its topic and key must stay (changing
 * them splits an aggregate's history). A relaxed level is worth a reviewer's look. Pure.
 */
export function checkPublishedVersions(
  published: Catalog,
  current: Catalog,
  ref: string,
  sources: ReadonlyMap<string, JsonSource> = new Map(),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byType = new Map<string, EventContract>(current.events.map((e) => [e.type, e]));
  for (const before of published.events) {
    const now = byType.get(before.type);
    if (!now) {
      out.push(
        error('EVENT_REMOVED', before.file, '', `event "${before.type}" exists at ${ref} but was removed`, {
          hint: 'published events stay: consumers may still read them; deprecate instead of deleting',
          details: { eventType: before.type, ref },
        }),
      );
      continue;
    }
    if (now.topic !== before.topic) {
      out.push(error('TOPIC_CHANGED', now.file, '/topic', `topic of "${now.type}" changed from "${before.topic}" at ${ref} to "${now.topic}"`, {
        ...lineIn(sources, now.file, '/topic'),
        hint: 'keep the topic; list the old one under legacy.topics if the event really moves',
        details: { eventType: now.type, ref, from: before.topic, to: now.topic },
      }));
    }
    if (now.key !== before.key) {
      out.push(error('KEY_FIELD_CHANGED', now.file, '/key', `key of "${now.type}" changed from "${before.key}" at ${ref} to "${now.key}", which reorders its events across partitions`, {
        ...lineIn(sources, now.file, '/key'),
        hint: 'keep the partition key of a published event',
        details: { eventType: now.type, ref, from: before.key, to: now.key },
      }));
    }
    if (now.compatibility !== before.compatibility) {
      out.push(warning('COMPATIBILITY_LEVEL_CHANGED', now.file, '/compatibility', `level of "${now.type}" changed from ${before.compatibility} at ${ref} to ${now.compatibility}`, {
        ...lineIn(sources, now.file, '/compatibility'),
        hint: 'a level change also changes the registry subject\'s setting: make sure the consumers agree',
        details: { eventType: now.type, ref, from: before.compatibility, to: now.compatibility },
      }));
    }
    for (const version of before.versions) {
      const same = now.versions[version.version - 1];
      if (!same) {
        out.push(error('PUBLISHED_VERSION_DELETED', now.file, '/versions', `version ${version.version} of "${now.type}" exists at ${ref} but was deleted`, {
          ...lineIn(sources, now.file, '/versions'),
          version: version.version,
          hint: 'published versions are immutable: restore it, and add changes as a new version',
          details: { eventType: now.type, ref },
        }));
      } else if (!isDeepStrictEqual(same.schema, version.schema)) {
        out.push(error('PUBLISHED_VERSION_EDITED', same.file, '', `version ${version.version} of "${now.type}" differs from the one published at ${ref}`, {
          ...lineIn(sources, same.file, ''),
          version: version.version,
          hint: `restore ${same.file} as it is at ${ref}, and make the change in version ${now.versions.length + 1}`,
          details: { eventType: now.type, ref },
        }));
      }
    }
  }
  return out;
}
