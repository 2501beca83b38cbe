/** Text escaped for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** A tagged template that escapes every interpolated value unless it is `Html` already. */
export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup that is already safe (built by `html` or `raw`). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Marks trusted markup (built here, never from catalog text) as safe. */
export function raw(text: string): Html {
  return new Html(text);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** The site's name for a page about one event (or one of its versions): safe as a file name. */
export function eventPage(type: string, version?: number): string {
  const safe = type.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return `events/${safe}${version === undefined ? '' : `.v${version}`}.html`;
}

/** The anchor id of a topic on the topics page. */
export function topicAnchor(topic: string): string {
  return `topic-${topic.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** Milliseconds as the largest whole unit (`30 days`, `12 hours`), or the milliseconds. */
export function duration(ms: number): string {
  if (ms < 0) return 'forever';
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}
