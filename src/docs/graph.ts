import type { Catalog } from '../model/contract.js';
import { escapeHtml } from './html.js';

/** A node of the flow graph: a producing service, a topic or a consuming service. */
export interface FlowNode {
  /** `owner:<service>`, `topic:<name>` or `subscriber:<service>`. */
  readonly id: string;
  readonly column: 0 | 1 | 2;
  readonly label: string;
  readonly href: string;
}

/** An edge owner -> topic (the owner publishes events there) or topic -> subscriber. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  /** The event types the edge carries. */
  readonly events: readonly string[];
}

/** The owner -> topic -> subscriber graph of a catalog, nodes in layout order per column. */
export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/** Where the graph's nodes link to. */
export interface FlowLinks {
  readonly topic: (topic: string) => string;
  readonly service: (role: 'owner' | 'subscriber', service: string) => string;
}

/**
 * The flow graph of a catalog. Topics are sorted by name; services are ordered by the mean
 * position of the topics they touch (one barycentre pass), which keeps most edges short and
 * uncrossed. Pure and deterministic.
 */
export function flowGraph(catalog: Catalog, links: FlowLinks): FlowGraph {
  const edges = new Map<string, { from: string; to: string; events: Set<string> }>();
  const edge = (from: string, to: string, event: string): void => {
    const key = `${from}\n${to}`;
    const found = edges.get(key) ?? { from, to, events: new Set<string>() };
    found.events.add(event);
    edges.set(key, found);
  };
  const topics = new Set<string>();
  for (const event of catalog.events) {
    topics.add(event.topic);
    edge(`owner:${event.owner}`, `topic:${event.topic}`, event.type);
    for (const subscriber of event.subscribers) edge(`topic:${event.topic}`, `subscriber:${subscriber}`, event.type);
  }
  const topicOrder = [...topics].sort();
  const position = new Map(topicOrder.map((t, i) => [`topic:${t}`, i]));
  const services = (prefix: 'owner' | 'subscriber'): string[] => {
    const touched = new Map<string, number[]>();
    for (const e of edges.values()) {
      const [service, topic] = prefix === 'owner' ? [e.from, e.to] : [e.to, e.from];
      if (!service.startsWith(`${prefix}:`)) continue;
      touched.set(service, [...(touched.get(service) ?? []), position.get(topic) ?? 0]);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [...touched.entries()]
      .sort(([a, xs], [b, ys]) => mean(xs) - mean(ys) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([id]) => id);
  };
  const nodes: FlowNode[] = [
    ...services('owner').map((id) => ({ id, column: 0 as const, label: id.slice('owner:'.length), href: links.service('owner', id.slice('owner:'.length)) })),
    ...topicOrder.map((t) => ({ id: `topic:${t}`, column: 1 as const, label: t, href: links.topic(t) })),
    ...services('subscriber').map((id) => ({ id, column: 2 as const, label: id.slice('subscriber:'.length), href: links.service('subscriber', id.slice('subscriber:'.length)) })),
  ];
  const sortedEdges = [...edges.values()]
    .map((e) => ({ from: e.from, to: e.to, events: [...e.events].sort() }))
    .sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
  return { nodes, edges: sortedEdges };
}

const ROW = 40;
const BOX = 28;
const PAD = 16;
const GAP = 200;
/** Width of one character at the graph's 13px font, generous so that labels fit any sans font. */
const CHAR = 7.6;

/**
 * The graph as inline SVG: three columns of labelled, linked boxes and curved edges, each edge
 * and node carrying `data-from`/`data-to`/`data-node` so that scripts and tests can follow it.
 */
export function flowGraphSvg(graph: FlowGraph): string {
  const columns = [0, 1, 2].map((c) => graph.nodes.filter((n) => n.column === c));
  const widths = columns.map((nodes) => Math.max(90, ...nodes.map((n) => Math.ceil(n.label.length * CHAR) + 2 * 10)));
  const xs = [PAD, PAD + widths[0]! + GAP, PAD + widths[0]! + GAP + widths[1]! + GAP];
  const height = PAD * 2 + 24 + Math.max(1, ...columns.map((c) => c.length)) * ROW;
  const width = xs[2]! + widths[2]! + PAD;
  const place = new Map<string, { x: number; y: number; w: number }>();
  columns.forEach((nodes, c) => {
    // Shorter columns are centred against the tallest.
    const offset = ((Math.max(...columns.map((n) => n.length)) - nodes.length) * ROW) / 2;
    nodes.forEach((node, i) => place.set(node.id, { x: xs[c]!, y: PAD + 24 + offset + i * ROW, w: widths[c]! }));
  });
  const headings = ['publishes (owner)', 'topic', 'subscribes'].map(
    (text, c) => `<text class="heading" x="${xs[c]! + widths[c]! / 2}" y="${PAD + 8}" text-anchor="middle">${text}</text>`,
  );
  const edges = graph.edges.map((e) => {
    const a = place.get(e.from)!;
    const b = place.get(e.to)!;
    const x1 = a.x + a.w;
    const y1 = a.y + BOX / 2;
    const x2 = b.x;
    const y2 = b.y + BOX / 2;
    const mid = (x1 + x2) / 2;
    const title = `${e.from.replace(/^\w+:/, '')} → ${e.to.replace(/^\w+:/, '')}: ${e.events.join(', ')}`;
    return `<path class="edge" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}"><title>${escapeHtml(title)}</title></path>`;
  });
  const nodes = graph.nodes.map((n) => {
    const p = place.get(n.id)!;
    const kind = n.id.slice(0, n.id.indexOf(':'));
    return (
      `<a class="node ${kind}" href="${escapeHtml(n.href)}" data-node="${escapeHtml(n.id)}">` +
      `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${BOX}" rx="6"/>` +
      `<text x="${p.x + p.w / 2}" y="${p.y + BOX / 2 + 4.5}" text-anchor="middle">${escapeHtml(n.label)}</text></a>`
    );
  });
  return (
    `<svg class="flow" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Producers, topics and subscribers" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `${headings.join('')}<g class="edges">${edges.join('')}</g><g class="nodes">${nodes.join('')}</g></svg>`
  );
}
