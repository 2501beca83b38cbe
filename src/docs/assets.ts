/** The site's stylesheet: system fonts only, nothing fetched. */
export const SITE_CSS = `:root {
  --fg: #1d2330; --muted: #5b6475; --line: #dde2ea; --bg: #ffffff; --soft: #f5f7fa;
  --accent: #2457c5; --ok: #1f7a3f; --ok-bg: #e6f4ea; --bad: #b3261e; --bad-bg: #fce8e6; --warn-bg: #fff4d6;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.site { background: #16233d; color: #fff; padding: 0 24px; display: flex; align-items: center; gap: 24px; height: 52px; }
header.site .brand { font-weight: 650; letter-spacing: .2px; color: #fff; text-decoration: none; }
header.site nav a { color: #c9d6f2; text-decoration: none; margin-right: 18px; }
header.site nav a:hover, header.site nav a[aria-current] { color: #fff; }
main { max-width: 1320px; margin: 0 auto; padding: 24px; }
.table-wrap { overflow-x: auto; }
.nowrap { white-space: nowrap; }
#events td { font-size: 14px; }
#events td .muted { font-size: 13px; }
#events td:first-child { min-width: 260px; }
#events th, #events td { padding: 7px 8px; }
.badge.aggregate { font-weight: 500; font-size: 11px; padding: 0 6px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
a { color: var(--accent); }
p.lead { color: var(--muted); margin: 0 0 16px; }
code, pre, .mono { font-family: var(--mono); font-size: 13px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow: auto; max-height: 460px; }
pre.wrap { white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); background: var(--soft); position: sticky; top: 0; }
tbody tr:hover { background: #fafbfd; }
td.type { font-family: var(--mono); font-size: 13px; }
td .depth { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: var(--soft); border: 1px solid var(--line); color: var(--muted); white-space: nowrap; }
.badge.key { background: #e8efff; border-color: #bcd0fb; color: #1b3f91; }
.badge.ok { background: var(--ok-bg); border-color: #b7dfc3; color: var(--ok); }
.badge.bad { background: var(--bad-bg); border-color: #f3b8b2; color: var(--bad); }
.badge.kind { font-family: var(--mono); font-weight: 500; font-size: 11px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 16px 0; }
.toolbar input[type=search] { flex: 1 1 280px; padding: 8px 12px; font-size: 15px; border: 1px solid #b9c2d0; border-radius: 6px; }
.toolbar select { padding: 7px 8px; border: 1px solid #b9c2d0; border-radius: 6px; background: #fff; font-size: 14px; max-width: 210px; }
.toolbar .count { color: var(--muted); font-size: 14px; margin-left: auto; }
.empty { color: var(--muted); padding: 16px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 16px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.changes { list-style: none; padding: 0; margin: 8px 0; }
ul.changes li { padding: 4px 0; }
.step { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.step h3 { margin-top: 0; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.finding { background: var(--bad-bg); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.finding .hint { color: var(--muted); }
.warn { background: var(--warn-bg); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.muted { color: var(--muted); }
.graph { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 8px; background: #fcfdfe; }
svg.flow text { font: 13px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; fill: var(--fg); }
svg.flow text.heading { fill: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
svg.flow .edge { fill: none; stroke: #9fb0cc; stroke-width: 1.5; }
svg.flow .edge.on, svg.flow .edge:hover { stroke: var(--accent); stroke-width: 2.5; }
svg.flow .node rect { fill: #fff; stroke: #8da0c2; }
svg.flow .node.topic rect { fill: #eef3ff; stroke: #6d8fd6; }
svg.flow .node:hover rect, svg.flow .node.on rect { stroke: var(--accent); stroke-width: 2; }
h1 code, h2 code { font-size: inherit; }
table.fields td:first-child, table.fields td:nth-child(5) { white-space: nowrap; }
footer { color: var(--muted); font-size: 13px; text-align: center; padding: 24px; }
`;

/** The site's script: search-as-you-type and filters on the index, edge highlighting on the graph. */
export const SITE_JS = `(function () {
  'use strict';
  var search = document.getElementById('search');
  if (search) {
    var rows = Array.prototype.slice.call(document.querySelectorAll('#events tbody tr'));
    var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
    var shown = document.getElementById('shown');
    var empty = document.getElementById('empty');
    var params = new URLSearchParams(window.location.search);
    if (params.get('q')) search.value = params.get('q');
    selects.forEach(function (select) {
      var wanted = params.get(select.getAttribute('data-filter'));
      if (wanted !== null) select.value = wanted;
    });
    var apply = function () {
      var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var count = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute('data-search') || '';
        var ok = terms.every(function (term) { return text.indexOf(term) >= 0; });
        selects.forEach(function (select) {
          if (!ok || select.value === '') return;
          var values = (row.getAttribute('data-' + select.getAttribute('data-filter')) || '').split(' ');
          if (values.indexOf(select.value) < 0) ok = false;
        });
        row.hidden = !ok;
        if (ok) count++;
      });
      shown.textContent = String(count);
      empty.hidden = count !== 0;
    };
    search.addEventListener('input', apply);
    selects.forEach(function (select) { select.addEventListener('change', apply); });
    document.addEventListener('keydown', function (event) {
      if (event.key === '/' && document.activeElement !== search) { event.preventDefault(); search.focus(); }
    });
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll('svg.flow .node'), function (node) {
    var id = node.getAttribute('data-node');
    var edges = Array.prototype.filter.call(document.querySelectorAll('svg.flow .edge'), function (edge) {
      return edge.getAttribute('data-from') === id || edge.getAttribute('data-to') === id;
    });
    var toggle = function (on) {
      node.classList.toggle('on', on);
      edges.forEach(function (edge) { edge.classList.toggle('on', on); });
    };
    node.addEventListener('mouseenter', function () { toggle(true); });
    node.addEventListener('mouseleave', function () { toggle(false); });
  });
})();
`;

/** The site's icon (so that browsers find one and do not ask the server for /favicon.ico). */
export const SITE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#16233d"/><circle cx="9" cy="16" r="4" fill="#9fb7ff"/><circle cx="23" cy="9" r="4" fill="#fff"/><circle cx="23" cy="23" r="4" fill="#fff"/><path d="M12 14.5 20 10M12 17.5l8 4.5" stroke="#9fb7ff" stroke-width="2"/></svg>
`;
