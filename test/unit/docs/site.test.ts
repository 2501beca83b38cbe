import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../../src/tooling.js';
import { loadProject } from '../../../src/contracts/load.js';
import { catalogChanges } from '../../../src/docs/catalog-changes.js';
import { flowGraph, flowGraphSvg } from '../../../src/docs/graph.js';
import { buildSite, SITE_GENERATOR_TAG } from '../../../src/docs/site.js';
import { versionHistory } from '../../../src/docs/version-history.js';
import { examplePayload } from '../../../src/docs/example.js';
import { avroType } from '../../../src/runtime/avro-type.js';
import type { Catalog, EventContract } from '../../../src/model/contract.js';
import { fixtureCatalog, repoRoot } from '../../support/project.js';

const bundled = loadProject(repoRoot).catalog;
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** Every href/src of every page that does not resolve to a file of the site (or an id on it). */
function brokenLinks(files: readonly { path: string; contents: string }[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  const broken: string[] = [];
  for (const file of files.filter((f) => f.path.endsWith('.html'))) {
    for (const [, attribute, raw] of file.contents.matchAll(/\s(href|src)="([^"]*)"/g)) {
      const link = unescape(raw!);
      if (/^[a-z]+:/i.test(link) || link.startsWith('//')) {
        broken.push(`${file.path}: ${attribute}="${link}" is not relative`);
        continue;
      }
      const [pathAndQuery, fragment] = link.split('#') as [string, string | undefined];
      const path = pathAndQuery.split('?')[0]!;
      const target = path === '' ? file.path : posix.normalize(posix.join(posix.dirname(file.path), path));
      const contents = byPath.get(target);
      if (contents === undefined) broken.push(`${file.path}: ${link} -> ${target} does not exist`);
      else if (fragment && !contents.includes(`id="${fragment}"`)) broken.push(`${file.path}: ${link} -> no id "${fragment}" in ${target}`);
    }
  }
  return broken;
}

function withEvents(catalog: Catalog, edit: (events: EventContract[]) => EventContract[]): Catalog {
  return { topics: catalog.topics, events: edit([...catalog.events]) };
}

describe('buildSite', () => {
  const files = buildSite(bundled);
  const page = (path: string) => files.find((f) => f.path === path)!.contents;

  it('gives the index, the topics page, the assets and a page per event and per version', () => {
    const expected = ['assets/icon.svg', 'assets/site.css', 'assets/site.js', 'index.html', 'topics.html', ...bundled.events.flatMap((e) => [`events/${e.type}.html`, ...e.versions.map((v) => `events/${e.type}.v${v.version}.html`)])];
    expect(files.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(files.filter((f) => f.path.endsWith('.html')).every((f) => f.contents.includes(SITE_GENERATOR_TAG))).toBe(true);
  });

  it('links only within itself, and every link resolves (with the bundled and the all-types catalogs, and with a changes page)', () => {
    expect(brokenLinks(files)).toEqual([]);
    const other = loadProject(fixtureCatalog('all-types')).catalog;
    expect(brokenLinks(buildSite(other, { against: { ref: 'main', catalog: bundled } }))).toEqual([]);
  });

  it('is the same on every build', () => {
    expect(buildSite(bundled)).toEqual(files);
  });

  it('lists every event on the index with its filter data', () => {
    const rows = [...page('index.html').matchAll(/<tr data-type="([^"]+)"[^>]*data-aggregate="([^"]+)" data-topic="([^"]+)" data-owner="([^"]+)" data-subscriber="([^"]*)"/g)];
    expect(rows.map((r) => r[1])).toEqual(bundled.events.map((e) => e.type).sort());
    const post = rows.find((r) => r[1] === 'post.created')!;
    expect(post.slice(2)).toEqual(['post', 'nova.content.events', 'content-service', 'analytics-service feed-service notification-service search-service']);
    for (const filter of ['aggregate', 'topic', 'owner', 'subscriber']) expect(page('index.html')).toContain(`<select data-filter="${filter}"`);
  });

  it('shows post.created v1 -> v2 with the rename through the alias and the verdict under BACKWARD_TRANSITIVE', () => {
    const html = page('events/post.created.html');
    const step = html.slice(html.indexOf('<section class="step" id="v1-v2"'), html.indexOf('</section>', html.indexOf('id="v1-v2"')));
    expect(step).toContain('<span class="badge ok">BACKWARD_TRANSITIVE: compatible</span>');
    expect(step).toContain('data-kind="FIELD_RENAMED" data-field="author_id"');
    expect(unescape(step)).toContain('field "user_id" was renamed to "author_id" through the alias "user_id"');
    expect(step).toContain('READER_FIELD_MISSING_DEFAULT_VALUE');
    for (const text of ['content-service', 'feed-service', 'content.post.created', 'nova.post.created', 'nova.content.events-nova.post.PostCreated', 'href="../events/post.created.v1.html"']) expect(html).toContain(text);
  });

  it('escapes catalog text everywhere', () => {
    const hostile = '<script>alert(1)</script>"\'&';
    const catalog = withEvents(bundled, (events) => events.map((e) => (e.type === 'post.created' ? { ...e, description: hostile, owner: hostile } : e)));
    const site = buildSite(catalog);
    expect(site.some((f) => f.contents.includes('<script>alert'))).toBe(false);
    expect(site.find((f) => f.path === 'events/post.created.html')!.contents).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  });

  it('gives distinct, safe file names to event types that differ only in unsafe characters', () => {
    const post = bundled.events.find((e) => e.type === 'post.created')!;
    const site = buildSite({ topics: bundled.topics, events: [{ ...post, type: 'a/b' }, { ...post, type: 'a?b' }, { ...post, type: '../x' }] });
    const pages = site.map((f) => f.path).filter((p) => p.startsWith('events/') && !/\.v\d+\.html$/.test(p));
    expect(new Set(pages).size).toBe(3);
    expect(pages.every((p) => /^events\/[A-Za-z0-9_][A-Za-z0-9._~-]*\.html$/.test(p))).toBe(true);
    expect(brokenLinks(site)).toEqual([]);
  });
});

describe('versionHistory', () => {
  it('gives the engine\'s own verdict per pair under the event\'s level', () => {
    for (const event of [...bundled.events, ...loadProject(fixtureCatalog('all-types')).catalog.events]) {
      versionHistory(event).forEach((step, i) => {
        const index = i + 1;
        expect(step.verdict).toEqual(checkCompatibility({ schemaType: event.schemaType, level: event.compatibility, previous: event.versions.slice(0, index).map((v) => v.schema as object), candidate: event.versions[index]!.schema as object }));
      });
    }
  });

  it('says when a pair is incompatible under the level, with the findings', () => {
    const post = bundled.events.find((e) => e.type === 'post.created')!;
    const steps = versionHistory({ ...post, compatibility: 'FULL' });
    expect(steps[0]!.verdict.compatible).toBe(false);
    expect(steps[0]!.verdict.findings.map((f) => f.rule)).toEqual(['READER_FIELD_MISSING_DEFAULT_VALUE']);
    expect(steps[0]!.readsOlder.compatible).toBe(true);
    expect(steps[0]!.olderReads.compatible).toBe(false);
  });
});

describe('examplePayload', () => {
  it('is valid for the newest version of every Avro event (Avro JSON encoding) and stable', () => {
    for (const event of bundled.events.filter((e) => e.schemaType === 'AVRO')) {
      const newest = event.versions.at(-1)!;
      const text = examplePayload(event.type, event.schemaType, newest)!;
      const type = avroType(newest.schema);
      expect(type.isValid(type.fromString(text)), event.type).toBe(true);
      expect(examplePayload(event.type, event.schemaType, newest)).toBe(text);
    }
    const post = JSON.parse(examplePayload('post.created', 'AVRO', bundled.events.find((e) => e.type === 'post.created')!.versions[1]!)!);
    expect(post.post_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is undefined for a schema that cannot be loaded', () => {
    expect(examplePayload('x', 'AVRO', { schema: { type: 'record', name: 'R', fields: [{ name: 'a', type: 'Nope' }] } })).toBeUndefined();
  });
});

describe('flowGraph', () => {
  const graph = flowGraph(bundled, { topic: (t) => `#${t}`, service: (role, s) => `?${role}=${s}` });

  it('links each topic to the union of its events\' subscribers, and each owner to its topics', () => {
    for (const topic of bundled.topics) {
      const on = bundled.events.filter((e) => e.topic === topic.name);
      const subscribers = [...new Set(on.flatMap((e) => e.subscribers))].sort();
      expect(graph.edges.filter((e) => e.from === `topic:${topic.name}`).map((e) => e.to.replace('subscriber:', '')).sort()).toEqual(subscribers);
      expect(graph.edges.filter((e) => e.to === `topic:${topic.name}`).map((e) => e.from.replace('owner:', '')).sort()).toEqual([...new Set(on.map((e) => e.owner))].sort());
    }
    const feed = graph.edges.find((e) => e.from === 'topic:nova.content.events' && e.to === 'subscriber:feed-service')!;
    expect(feed.events).toEqual(bundled.events.filter((e) => e.topic === 'nova.content.events' && e.subscribers.includes('feed-service')).map((e) => e.type).sort());
  });

  it('draws every node and edge in the SVG', () => {
    const svg = flowGraphSvg(graph);
    expect(svg.match(/<path class="edge"/g)!.length).toBe(graph.edges.length);
    expect(svg.match(/<a class="node /g)!.length).toBe(graph.nodes.length);
    expect(svg).toContain('data-from="topic:nova.content.events" data-to="subscriber:feed-service"');
  });
});

describe('catalogChanges', () => {
  const post = bundled.events.find((e) => e.type === 'post.created')!;
  const published = withEvents(bundled, (events) =>
    events
      .filter((e) => e.type !== 'user.blocked')
      .map((e) => (e.type === 'post.created' ? { ...post, versions: post.versions.slice(0, 1) } : e.type === 'post.liked' ? { ...e, subscribers: ['feed-service'], description: 'old' } : e)),
  );

  it('lists new events, new versions with their diffs, edited metadata and the gate\'s findings', () => {
    const changes = catalogChanges(published, bundled, 'origin/main');
    expect(changes.addedEvents.map((e) => e.type)).toEqual(['user.blocked']);
    expect(changes.newVersions.map(({ event, steps }) => [event.type, steps.map((s) => `${s.from}->${s.to}`)])).toEqual([['post.created', ['1->2']]]);
    expect(changes.newVersions[0]!.steps[0]!.changes[0]!.kind).toBe('FIELD_RENAMED');
    const liked = bundled.events.find((e) => e.type === 'post.liked')!;
    expect(changes.editedEvents.map(({ event, changes: c }) => [event.type, c.map((m) => [m.attribute, m.before, m.after])])).toEqual([
      ['post.liked', [['description', '"old"', JSON.stringify(liked.description)], ['subscribers', '["feed-service"]', JSON.stringify(liked.subscribers)]]],
    ]);
    expect(changes.gate).toEqual([]);
    expect(changes.removedEvents).toEqual([]);
  });

  it('reports removed events and edited published versions through the gate', () => {
    const edited = withEvents(bundled, (events) => events.map((e) => (e.type === 'post.created' ? { ...e, versions: [{ ...e.versions[0]!, schema: { ...(e.versions[0]!.schema as object), doc: 'changed' } }, e.versions[1]!] } : e)));
    const changes = catalogChanges(bundled, withEvents(edited, (events) => events.filter((e) => e.type !== 'user.blocked')), 'v1');
    expect(changes.removedEvents.map((e) => e.type)).toEqual(['user.blocked']);
    expect(changes.gate.map((d) => d.rule).sort()).toEqual(['EVENT_REMOVED', 'PUBLISHED_VERSION_EDITED']);
  });

  it('renders as changes.html, linked from every page', () => {
    const site = buildSite(bundled, { against: { ref: 'origin/main', catalog: published } });
    const changes = site.find((f) => f.path === 'changes.html')!.contents;
    expect(changes).toContain('user.blocked');
    expect(changes).toContain('data-kind="FIELD_RENAMED"');
    expect(site.find((f) => f.path === 'index.html')!.contents).toContain('href="changes.html"');
    expect(brokenLinks(site)).toEqual([]);
  });
});
