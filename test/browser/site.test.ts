import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/contracts/load.js';
import { cli, repoRoot } from '../support/project.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from './chromium.js';

/** Screenshots go here (git-ignored). */
const OUTPUT = join(repoRoot, 'test-output', 'browser');
const catalog = loadProject(repoRoot).catalog;
const missing = chromiumMissing();
if (missing !== undefined) process.stderr.write(`browser tests SKIPPED: ${missing}\n`);

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png' };

/** A static file server on 127.0.0.1 for `root`: 200 with the file, 404 otherwise. */
function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(missing !== undefined)(`the docs site in chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Browser;
  let server: Server;
  let site: string;
  const bases: Record<string, string> = {};
  const consoleErrors: string[] = [];

  /** A page that records console errors, failed requests and uncaught exceptions. */
  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    page.on('requestfailed', (request) => {
        // Leaving a page cancels its late requests (the icon); links are checked on their own.
        if (request.failure()?.errorText !== 'net::ERR_ABORTED') consoleErrors.push(`${page.url()}: request failed ${request.url()}: ${request.failure()?.errorText}`);
      });
    const response = await page.goto(url);
    if (response && !response.ok() && !url.startsWith('file:')) throw new Error(`${url} answered ${response.status()}`);
    return page;
  }

  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'nova-events-site-'));
    const built = await cli(['docs', '--out', site]);
    expect(built.code, built.stderr).toBe(0);
    server = await serve(site);
    bases['file://'] = pathToFileURL(`${site}/`).href;
    bases['http://'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  describe.each(['file://', 'http://'])('served from %s', (scheme) => {
    it('the index lists every catalog event', async () => {
      const page = await open(`${bases[scheme]}index.html`);
      const rows = await page.locator('#events tbody tr:visible').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')));
      expect(rows).toEqual(catalog.events.map((e) => e.type).sort());
      expect(await page.locator('#shown').textContent()).toBe(String(catalog.events.length));
      if (scheme === 'http://') await page.screenshot({ path: join(OUTPUT, 'index.png'), fullPage: true });
      await page.close();
    });

    it('typing "post." filters to the post events as you type, and the filters narrow further', async () => {
      const page = await open(`${bases[scheme]}index.html`);
      await page.locator('#search').pressSequentially('post.', { delay: 20 });
      const posts = catalog.events.filter((e) => e.type.startsWith('post.')).map((e) => e.type).sort();
      const visible = () => page.locator('#events tbody tr:visible').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')));
      expect(await visible()).toEqual(posts);
      expect(await page.locator('#shown').textContent()).toBe(String(posts.length));
      await page.locator('select[data-filter="subscriber"]').selectOption('search-service');
      expect(await visible()).toEqual(catalog.events.filter((e) => e.type.startsWith('post.') && e.subscribers.includes('search-service')).map((e) => e.type).sort());
      await page.locator('#search').fill('no-such-event');
      expect(await visible()).toEqual([]);
      expect(await page.locator('#empty').isVisible()).toBe(true);
      await page.close();
    });

    it('a filter in the address (from the graph) is applied on load', async () => {
      const page = await open(`${bases[scheme]}index.html?owner=content-service`);
      const visible = await page.locator('#events tbody tr:visible').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')));
      expect(visible).toEqual(catalog.events.filter((e) => e.owner === 'content-service').map((e) => e.type).sort());
      await page.close();
    });

    it('the post.created page shows v1 -> v2 with user_id renamed to author_id through an alias', async () => {
      const page = await open(`${bases[scheme]}events/post.created.html`);
      const step = page.locator('section.step[data-from="1"][data-to="2"]');
      await expect.poll(() => step.isVisible()).toBe(true);
      expect((await step.locator('h3').textContent())!.replace(/\s+/g, ' ')).toContain('v1 → v2');
      expect(await step.locator('li[data-kind="FIELD_RENAMED"]').innerText()).toContain('field "user_id" was renamed to "author_id" through the alias "user_id"');
      expect(await page.locator('table.fields tr[data-field="author_id"]').innerText()).toContain('alias user_id');
      expect(await page.locator('table.fields tr[data-field="post_id"] .badge.key').count()).toBe(1);
      await step.locator('a', { hasText: 'v1' }).first().click();
      await page.waitForURL(/post\.created\.v1\.html$/);
      expect(await page.locator('table.fields tr[data-field="user_id"]').count()).toBe(1);
      await page.goBack();
      if (scheme === 'http://') await page.screenshot({ path: join(OUTPUT, 'post.created.png'), fullPage: true });
      await page.close();
    });

    it('the topics graph links nova.content.events to its subscribers', async () => {
      const page = await open(`${bases[scheme]}topics.html`);
      const subscribers = [...new Set(catalog.events.filter((e) => e.topic === 'nova.content.events').flatMap((e) => e.subscribers))].sort();
      const edges = await page.locator('svg.flow path.edge[data-from="topic:nova.content.events"]').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-to')));
      expect(edges.sort()).toEqual(subscribers.map((s) => `subscriber:${s}`));
      for (const s of subscribers) expect(await page.locator(`svg.flow a.node[data-node="subscriber:${s}"]`).isVisible()).toBe(true);
      const node = page.locator('svg.flow a.node[data-node="topic:nova.content.events"]');
      await node.hover();
      expect(await page.locator('svg.flow path.edge.on').count()).toBe(subscribers.length + new Set(catalog.events.filter((e) => e.topic === 'nova.content.events').map((e) => e.owner)).size);
      await node.click();
      await expect.poll(() => new URL(page.url()).hash).toBe('#topic-nova.content.events');
      if (scheme === 'http://') await page.screenshot({ path: join(OUTPUT, 'topics.png'), fullPage: false });
      await page.close();
    });

    it('every link of every page resolves, and no page logs an error', async () => {
      const seen = new Set<string>();
      const queue = [`${bases[scheme]}index.html`];
      const broken: string[] = [];
      const page = await browser.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
      page.on('requestfailed', (request) => {
        // Leaving a page cancels its late requests (the icon); links are checked on their own.
        if (request.failure()?.errorText !== 'net::ERR_ABORTED') consoleErrors.push(`${page.url()}: request failed ${request.url()}: ${request.failure()?.errorText}`);
      });
      while (queue.length > 0) {
        const url = queue.shift()!;
        const response = await page.goto(url);
        if (scheme === 'http://' && response?.status() !== 200) {
          broken.push(`${url}: ${response?.status()}`);
          continue;
        }
        const raws = await page.locator('a[href], link[href], script[src]').evaluateAll((elements) => elements.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
        for (const link of raws.map((raw) => ({ raw }))) {
          const target = new URL(link.raw, url);
          if (!target.href.startsWith(bases[scheme]!)) {
            broken.push(`${url}: ${link.raw} leaves the site`);
            continue;
          }
          if (target.hash) {
            const id = decodeURIComponent(target.hash.slice(1));
            const file = join(site, decodeURIComponent(target.pathname).slice(decodeURIComponent(new URL(bases[scheme]!).pathname).length));
            if (!readFileSync(file, 'utf8').includes(`id="${id}"`)) broken.push(`${url}: ${link.raw}: no id "${id}"`);
          }
          target.hash = '';
          target.search = '';
          if (scheme === 'file://' && !existsSync(fileURLToPath(target))) broken.push(`${url}: ${link.raw} does not exist`);
          if (target.pathname.endsWith('.html') && !seen.has(target.href)) {
            seen.add(target.href);
            queue.push(target.href);
          }
          if (scheme === 'http://' && !target.pathname.endsWith('.html') && !seen.has(target.href)) {
            seen.add(target.href);
            const asset = await page.request.get(target.href);
            if (asset.status() !== 200) broken.push(`${url}: ${link.raw}: ${asset.status()}`);
          }
        }
      }
      await page.close();
      expect(broken).toEqual([]);
      const expectedPages = 2 + catalog.events.reduce((n, e) => n + 1 + e.versions.length, 0);
      expect([...seen].filter((u) => u.endsWith('.html')).length).toBe(expectedPages);
      expect(consoleErrors).toEqual([]);
    });
  });
});
