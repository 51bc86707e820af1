/**
 * The report's stylesheet. System fonts only (nothing from the network), and a print
 * stylesheet: no sticky bars or buttons, charts kept whole across pages, folded parts open.
 */
export const STYLES = `
:root {
  --ink: #1d1d1f; --ink-2: #4a4a4f; --ink-3: #76767c; --rule: #e3e3e8; --paper: #ffffff; --panel: #f7f7f9;
  --blue: #0072B2; --orange: #E69F00; --green: #009E73; --vermillion: #D55E00; --purple: #CC79A7; --sky: #56B4E9;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); font: 15px/1.5 var(--font); -webkit-text-size-adjust: 100%; }
body { margin: 0; }
#app { max-width: 1240px; margin: 0 auto; padding: 28px 28px 60px; }
h1 { font-size: 30px; line-height: 1.2; margin: 6px 0 10px; letter-spacing: -0.01em; overflow-wrap: anywhere; }
h2 { font-size: 21px; margin: 0 0 4px; letter-spacing: -0.005em; }
h3 { font-size: 15px; margin: 0; }
p { margin: 0 0 10px; }
code { font-family: var(--mono); font-size: 13px; }
button { font: inherit; color: inherit; }
[hidden] { display: none !important; }
.error { background: #fdece4; border: 1px solid var(--vermillion); border-radius: 6px; padding: 10px 14px; color: #7a2e00; }
.warning { background: #fff6e0; border-left: 4px solid var(--orange); padding: 8px 12px; border-radius: 4px; color: #5c4100; margin: 10px 0; }

/* Header */
.report-header { margin-bottom: 18px; }
.kicker { font-size: 13px; color: var(--ink-3); text-transform: uppercase; letter-spacing: 0.08em; }
.kicker .brand { font-weight: 700; color: var(--vermillion); }
.description { font-size: 16px; color: var(--ink-2); max-width: 880px; overflow-wrap: anywhere; }
.lesson { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; margin: 16px 0; }
.lesson-part { background: var(--panel); border-radius: 8px; padding: 12px 14px; border-top: 3px solid var(--blue); }
.lesson-look { border-top-color: var(--orange); }
.lesson-takeaway { border-top-color: var(--green); }
.lesson-label { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; color: var(--ink-3); margin-bottom: 4px; }
.lesson-part p { margin: 0; overflow-wrap: anywhere; }
details.lesson-takeaway summary { cursor: pointer; list-style: none; }
details.lesson-takeaway summary::-webkit-details-marker { display: none; }
details.lesson-takeaway:not([open]) summary::after { content: " ▸"; }
details.lesson-takeaway[open] .reveal-hint { display: none; }
.reveal-hint { font-weight: 500; text-transform: none; letter-spacing: 0; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 12px 0 8px; font-size: 13px; }
.meta dt { color: var(--ink-3); display: inline; }
.meta dd { margin: 0 0 0 5px; display: inline; font-weight: 600; overflow-wrap: anywhere; }
.meta dt::after { content: ""; }
.reproduce { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; background: #1f2328; color: #e6edf3; border-radius: 8px; padding: 8px 10px 8px 14px; }
.reproduce-label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #9aa4ae; }
.reproduce code { flex: 1; color: #e6edf3; overflow-wrap: anywhere; }
.copy { background: #30363d; color: #e6edf3; border: 1px solid #484f58; border-radius: 5px; padding: 2px 10px; cursor: pointer; font-size: 12px; }

/* Legend */
.legend { position: sticky; top: 0; z-index: 20; display: flex; align-items: center; flex-wrap: wrap; gap: 8px 16px; background: rgba(255,255,255,0.96); border-bottom: 1px solid var(--rule); padding: 8px 0; margin: 0 0 8px; backdrop-filter: blur(4px); }
.legend-title { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; color: var(--ink-3); }
.legend-items { display: flex; flex-wrap: wrap; gap: 6px; }
.legend-item { display: inline-flex; align-items: center; gap: 6px; border: 1px solid var(--rule); background: #fff; border-radius: 999px; padding: 3px 12px 3px 8px; cursor: pointer; font-weight: 600; font-size: 13px; }
.legend-item:hover { border-color: var(--ink-3); }
.legend-item.off { opacity: 0.45; text-decoration: line-through; background: var(--panel); }
.legend-keys { display: flex; gap: 14px; margin-left: auto; font-size: 12px; color: var(--ink-2); }
.legend-key { display: inline-flex; align-items: center; gap: 5px; font-size: 12px; color: var(--ink-2); }
.fault-swatch { width: 16px; height: 11px; border: 1px solid; display: inline-block; }
.warmup-swatch { width: 16px; height: 11px; display: inline-block; border: 1px solid #c8c8cc; background: repeating-linear-gradient(45deg, #eee, #eee 2px, #fff 2px, #fff 5px); }
.faulted-swatch { width: 16px; height: 11px; display: inline-block; border: 2px solid var(--vermillion); border-radius: 3px; }
.line-swatch { flex: none; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }

/* Sections */
.section { margin: 34px 0 0; padding-top: 6px; border-top: 2px solid var(--ink); }
.section > .intro { color: var(--ink-2); font-size: 14px; max-width: 900px; }
.subhead { margin: 20px 0 6px; font-size: 14px; color: var(--ink-2); display: flex; align-items: center; gap: 6px; }
.empty-note { color: var(--ink-3); font-style: italic; font-size: 14px; background: var(--panel); border-radius: 6px; padding: 10px 14px; }
.two-up { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
.small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 6px 18px; }
.small-multiples.three { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.stack > .chart { margin-bottom: 4px; }

/* Cards */
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(310px, 1fr)); gap: 14px; margin: 12px 0 18px; }
.card { border: 1px solid var(--rule); border-top: 5px solid; border-radius: 8px; padding: 12px 14px 14px; background: #fff; transition: opacity 0.15s; }
.card.off, tr.off { opacity: 0.35; }
.card-head { display: flex; align-items: center; gap: 8px; }
.card-head h3 { font-size: 17px; overflow-wrap: anywhere; }
.card-desc { font-size: 13px; color: var(--ink-2); margin: 4px 0 8px; min-height: 1.5em; overflow-wrap: anywhere; }
.card-big .metric-value { font-size: 32px; font-weight: 700; letter-spacing: -0.02em; line-height: 1.1; }
.card-grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px 12px; margin-top: 12px; }
.metric-label { font-size: 11.5px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--ink-3); cursor: help; }
.metric-value { font-size: 16px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.caption-keys { display: inline-flex; gap: 10px; flex-wrap: wrap; }
.metric-sub, .cell-sub { font-size: 11.5px; color: var(--ink-3); font-variant-numeric: tabular-nums; }
.best { color: var(--green); }
.bad { color: var(--vermillion); }
.delta { font-size: 12px; font-variant-numeric: tabular-nums; white-space: nowrap; cursor: help; }
.delta.ns { color: var(--ink-3); }
.delta.sig.better { color: var(--blue); font-weight: 650; }
.delta.sig.worse { color: var(--vermillion); font-weight: 650; }
.delta.sig.same { color: var(--ink-2); }

/* Table */
.table-wrap { overflow-x: auto; }
.comparison-table { border-collapse: collapse; width: 100%; font-size: 14px; }
.comparison-table th, .comparison-table td { padding: 8px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; }
.comparison-table thead th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--ink-3); border-bottom: 2px solid var(--ink); cursor: help; white-space: nowrap; }
.comparison-table .num { text-align: right; }
.comparison-table .variant-name { text-align: left; white-space: nowrap; overflow-wrap: anywhere; }
.comparison-table .cell-value { font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.comparison-table td.is-best { background: #eef8f4; }
.table-notes { font-size: 12.5px; color: var(--ink-3); margin-top: 8px; }

/* Charts */
.chart { margin: 8px 0 12px; break-inside: avoid; page-break-inside: avoid; }
.chart figcaption { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; margin-bottom: 2px; }
.chart-title { font-weight: 650; font-size: 14px; overflow-wrap: anywhere; }
.chart-note { color: var(--ink-3); font-size: 12px; }
.chart-body { width: 100%; }
.chart svg { display: block; max-width: 100%; height: auto; overflow: visible; }
.chart-toggle, .zoom-reset, .show-more, .download { margin-left: auto; border: 1px solid var(--rule); background: #fff; border-radius: 5px; padding: 2px 10px; cursor: pointer; font-size: 12px; }
.chart-toggle[aria-pressed="true"] { background: var(--ink); color: #fff; border-color: var(--ink); }
.zoom-bar { display: flex; align-items: center; gap: 12px; font-size: 12.5px; color: var(--ink-2); margin: 6px 0; }
.zoom-reset { margin-left: 0; }
.resolution { margin-left: auto; display: inline-flex; align-items: center; gap: 6px; }
.resolution-select { font: inherit; font-size: 12.5px; padding: 1px 4px; border: 1px solid var(--rule); border-radius: 5px; background: #fff; }
.axis text, .axis-title, .group-label, .bar-text, .guide-label, .fault-labels text, .band-labels text { font: 11px var(--font); fill: var(--ink-2); }
.axis line, .axis path, .axis .domain-line { stroke: #9a9aa0; }
.axis-title { fill: var(--ink-3); }
.grid line { stroke: #ececf0; shape-rendering: crispEdges; }
.warmup { fill: rgba(120,120,130,0.09); }
.fault-window { stroke-width: 0.8; stroke-dasharray: 3 2; }
.fault-labels text { fill: #a04400; font-weight: 600; }
.fault-edges line { stroke: var(--vermillion); stroke-width: 1; stroke-dasharray: 3 2; opacity: 0.8; pointer-events: none; }
.band-labels text { font-weight: 600; fill: var(--ink); }
.crosshair line { stroke: var(--ink); stroke-width: 1; stroke-dasharray: 3 3; pointer-events: none; }
.crosshair circle { stroke: #fff; stroke-width: 1.5; pointer-events: none; }
.hover-rule { stroke: var(--ink); stroke-dasharray: 3 3; pointer-events: none; }
.brush .selection { fill: var(--blue); fill-opacity: 0.12; stroke: var(--blue); }
.guide { stroke: #b9b9c0; stroke-dasharray: 2 3; }
.reference line { stroke: var(--ink-3); stroke-dasharray: 3 3; }
.reference text { font: 11px var(--font); fill: var(--ink-3); }
.group-label { font-weight: 600; fill: var(--ink); }
.bar-text { fill: var(--ink-2); }
.timeline.small-ops .chart-title { font-size: 13px; }

/* Topology */
.topology-picker { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 8px 0; }
.picker-label { font-size: 12px; color: var(--ink-3); text-transform: uppercase; letter-spacing: 0.05em; margin-right: 4px; }
.chip { border: 1px solid var(--rule); background: #fff; border-radius: 999px; padding: 2px 12px; cursor: pointer; font-size: 12.5px; }
.chip[aria-checked="true"], .chip[aria-selected="true"] { background: var(--ink); color: #fff; border-color: var(--ink); }
.chart.topology .chart-body { overflow-x: auto; }
.chart.topology svg { max-width: none; margin: 0 auto; }
.topology-legend, .waterfall-legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin-top: 6px; }
.node-shape { fill: #fff; stroke: #3a3a40; stroke-width: 1.4; }
.node-traffic .node-shape { fill: #eef5fb; stroke: var(--blue); }
.node-queue .node-shape { fill: #fbf2f7; stroke: #9c4f7b; }
.node-database .node-shape { fill: #f3f7f1; }
.node-cache .node-shape { stroke-dasharray: 5 3; }
.node-external .node-shape { fill: #fafafa; }
.node-rim { fill: none; stroke: #8a8a90; stroke-width: 1; }
.node.faulted .node-shape { stroke: var(--vermillion); stroke-width: 3; }
.node-name { font: 600 12.5px var(--font); fill: var(--ink); pointer-events: none; }
.node-detail { font: 10.5px var(--font); fill: var(--ink-2); pointer-events: none; }
.fault-badge { font: 600 10.5px var(--font); fill: #a04400; pointer-events: none; }
.node-hit { fill: transparent; cursor: help; }
.edge-line, .topology-legend line { fill: none; stroke: #55555b; }
.topology-legend line { stroke-width: 2; }
.edge-client, .topology-legend .edge-client { stroke: #9a9aa0; }
.edge-publish, .topology-legend .edge-publish { stroke: #9c4f7b; stroke-dasharray: 6 4; }
.edge-delivery, .topology-legend .edge-delivery { stroke: #9c4f7b; stroke-dasharray: 1.5 3.5; stroke-linecap: round; }
.edge.faulted .edge-line { stroke: var(--vermillion); }
.edge.idle .edge-line { opacity: 0.35; }
.edge.idle .edge-label { fill: var(--ink-3); font-weight: 500; }
.edge-hit { fill: none; stroke: transparent; stroke-width: 14; cursor: help; }
.edge-label { font: 600 10.5px var(--font); fill: var(--ink-2); paint-order: stroke; stroke: #fff; stroke-width: 3px; pointer-events: none; }
.edge.faulted .edge-label { fill: #a04400; }
.arrowhead { fill: #55555b; }
.arrow-client { fill: #9a9aa0; }
.arrow-publish { fill: none; stroke: #9c4f7b; stroke-width: 1.5; }
.arrow-delivery { fill: #9c4f7b; }
.arrow-faulted { fill: var(--vermillion); }

/* Waterfalls */
.waterfall-block { margin-top: 8px; }
.trace-chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
.trace-chip.cat-failed { border-color: var(--vermillion); }
.trace-chip.cat-double-processed { border-color: var(--purple); }
.wf-swatch { display: inline-block; width: 16px; height: 10px; border-radius: 2px; text-align: center; line-height: 10px; font-size: 11px; }
.wf-swatch.dashed { border: 1.5px dashed #555; }
.wf-swatch.bad { border: 2px solid var(--vermillion); }
.wf-label { font: 11.5px var(--mono); fill: var(--ink); }
.wf-label-operation { font-weight: 700; }
.wf-label.bad { fill: #a04400; }
.wf-bar.bad { stroke: var(--vermillion); stroke-width: 2; }
.wf-retry-wait, .wf-redelivery-wait { stroke: #555; stroke-dasharray: 4 3; stroke-width: 1.2; }
.wf-redelivery-wait { stroke: #9c4f7b; }
.wf-marker { font: 700 13px var(--font); }
.wf-outcome { font: 11px var(--font); fill: var(--ink-2); }
.wf-outcome.bad { fill: #a04400; font-weight: 600; }
.stripe { fill: #f6f6f8; }
.wf-cut { fill: #fff; stroke: #c9c9cf; stroke-dasharray: 2 3; }
.wf-cut-label { font: 600 10.5px var(--font); fill: var(--ink-3); }
.show-more { margin: 6px 0; }

/* Tooltip */
.tooltip { position: absolute; z-index: 50; pointer-events: none; opacity: 0; background: rgba(255,255,255,0.98); border: 1px solid #c9c9cf; border-radius: 6px; box-shadow: 0 4px 16px rgba(0,0,0,0.14); padding: 8px 10px; font-size: 12px; max-width: 380px; transition: opacity 0.08s; }
.tooltip.visible { opacity: 1; }
.tip-title { font-weight: 700; margin-bottom: 4px; overflow-wrap: anywhere; }
.tooltip table { border-collapse: collapse; }
.tooltip th { text-align: left; font-weight: 500; padding: 1px 12px 1px 0; color: var(--ink-2); overflow-wrap: anywhere; }
.tooltip td { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; white-space: nowrap; }
.tooltip .tip-head th { font-weight: 700; color: var(--ink); padding-top: 4px; }
.tooltip .tip-muted th { color: var(--ink-3); font-weight: 500; font-style: italic; }

.report-footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--rule); color: var(--ink-3); font-size: 12.5px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
.report-footer p { margin: 0; flex: 1; }
.download { margin-left: 0; }

@media (max-width: 820px) {
  #app { padding: 16px; }
  .lesson, .two-up, .small-multiples.three { grid-template-columns: minmax(0, 1fr); }
  .legend-keys { margin-left: 0; }
}

@media print {
  html { font-size: 11pt; }
  #app { max-width: none; padding: 0; }
  .legend { position: static; backdrop-filter: none; }
  .copy, .chart-toggle, .zoom-bar, .show-more, .download, .tooltip, .crosshair, .brush, .hover-rule { display: none !important; }
  .reproduce { background: none; color: var(--ink); border: 1px solid var(--rule); }
  .reproduce code { color: var(--ink); }
  .section { break-before: auto; }
  .cards, .card, .lesson, .comparison-table tr, .waterfall-block { break-inside: avoid; page-break-inside: avoid; }
  details > * { display: block !important; }
  .reveal-hint, details.lesson-takeaway summary::after { display: none !important; content: none !important; }
  .chart.topology svg { max-width: 100%; }
  .card.off, tr.off { opacity: 1; }
  a { color: inherit; text-decoration: none; }
}
`;
