// The inspector page's HTML and CSS. Its script is page/client.ts, compiled for the browser by
// the build; nothing comes from elsewhere (no CDN), and the page's CSP says so.

/** The page: a shell the script fills in. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>recwatch inspector</title>
<link rel="stylesheet" href="/inspector.css">
<script type="module" src="/page/client.js"></script>
</head>
<body>
<header>
  <h1>recwatch inspector</h1>
  <span id="title"></span>
  <span id="live" hidden>live</span>
  <span id="counts"></span>
  <span id="legend"></span>
</header>
<section id="scrub">
  <label for="scrubber">position</label>
  <input id="scrubber" type="range" min="0" max="0" value="0">
  <button id="step-back" title="one input back">◀</button>
  <button id="step-next" title="one input on">▶</button>
  <span id="cursor"></span>
</section>
<main>
  <section id="fleet-panel">
    <h2>Fleet <span id="fleet-counts"></span><span id="fleet-legend" class="hint"></span></h2>
    <div id="fleet" class="scroll"></div>
  </section>
  <section id="recordings-panel">
    <h2>Recordings <select id="state-filter"><option value="">every state</option></select></h2>
    <div class="scroll"><table id="recordings"><thead><tr>
      <th>recording</th><th>state</th><th>sid</th><th>uid</th><th>haAttempts</th>
      <th>filePrefix</th><th>restarts</th><th>quit reason</th>
    </tr></thead><tbody></tbody></table></div>
  </section>
  <section id="chart-panel">
    <h2>Statechart <span id="chart-caption"></span>
      <label id="zoom"><input id="zoom-fit" type="checkbox"> fit</label></h2>
    <div id="statechart" class="scroll"></div>
  </section>
  <section id="timeline-panel">
    <h2>Timeline <span class="hint">every input, the core's decision, the state after</span>
      <span class="filters"><span id="shown" class="hint"></span>
      <label><input id="hide-ticks" type="checkbox"> hide idle ticks</label>
      <label><input id="only-selected" type="checkbox"> selected recording only</label></span></h2>
    <div class="timeline-head row"><span>pos</span><span>time</span><span>decision</span><span>input</span><span>recording</span><span>state after</span></div>
    <div id="timeline"><div class="spacer"></div></div>
  </section>
  <section id="details-panel">
    <h2>Input</h2>
    <div id="details"><p class="hint">Click a timeline row to see what was received and what it produced.</p></div>
  </section>
</main>
</body>
</html>
`;

/** The page's style. Decision colours are shared by the badges, legend and row markers. */
export const PAGE_CSS = `
:root { --applied:#2e7d32; --duplicate:#757575; --held:#b7791f; --releasedAfterGap:#dd6b20;
  --late:#6b46c1; --stale:#4a6572; --unrouted:#c2185b; --ignored:#8d6e63; --rejected:#c62828; --bg:#f7f7f5;
  --panel:#fff; --line:#ddd; --ink:#222; --muted:#777; --accent:#1565c0; }
* { box-sizing: border-box; }
body { margin:0; font:12px/1.4 system-ui, sans-serif; color:var(--ink); background:var(--bg);
  height:100vh; display:flex; flex-direction:column; }
header { display:flex; gap:14px; align-items:baseline; padding:8px 14px; background:#263238; color:#fff; flex-wrap:wrap; }
header h1 { font-size:15px; margin:0; }
#title { font-weight:600; }
#live { background:#e53935; border-radius:3px; padding:0 6px; font-weight:700; }
#live.ended { background:#607d8b; }
#counts { color:#cfd8dc; }
#legend { display:flex; gap:6px; flex-wrap:wrap; margin-left:auto; }
.badge { display:inline-block; border-radius:3px; padding:0 5px; color:#fff; font-size:11px; white-space:nowrap; }
${[
  'applied',
  'duplicate',
  'held',
  'releasedAfterGap',
  'late',
  'stale',
  'unrouted',
  'ignored',
  'rejected',
]
  .map((d) => `.d-${d} { background:var(--${d}); }`)
  .join('\n')}
#scrub { display:flex; gap:8px; align-items:center; padding:6px 14px; background:#eceff1; border-bottom:1px solid var(--line); }
#scrubber { flex:1; }
#cursor { min-width:340px; font-variant-numeric:tabular-nums; }
main { flex:1; display:grid; grid-template-columns: minmax(0,1fr) minmax(0,1fr);
  grid-template-rows: minmax(0,26fr) minmax(0,22fr) minmax(0,28fr) minmax(0,24fr);
  grid-template-areas: "fleet fleet" "recordings chart" "timeline chart" "timeline details"; gap:8px; padding:8px; min-height:0; }
#fleet-panel { grid-area:fleet; } #recordings-panel { grid-area:recordings; } #chart-panel { grid-area:chart; }
#timeline-panel { grid-area:timeline; } #details-panel { grid-area:details; }
main > section { background:var(--panel); border:1px solid var(--line); border-radius:4px; display:flex; flex-direction:column; min-height:0; }
h2 { font-size:13px; margin:0; padding:6px 10px; border-bottom:1px solid var(--line); display:flex; gap:8px; align-items:center; }
.hint { color:var(--muted); font-weight:400; }
.scroll { overflow:auto; flex:1; min-height:0; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:3px 8px; border-bottom:1px solid #eee; white-space:nowrap; }
th { position:sticky; top:0; background:#fafafa; }
#recordings tbody tr { cursor:pointer; }
#recordings tbody tr:hover { background:#f1f8ff; }
#recordings tr.selected { background:#e3f2fd; }
#recordings tr.changed td.state { font-weight:700; }
td.state { color:var(--accent); }
#chart-caption { font-weight:400; }
#statechart svg { display:block; margin:auto; }
#statechart.fit { overflow:hidden; }
#statechart.fit svg { width:100%; height:100%; }
#zoom { margin-left:auto; font-weight:400; }
.filters { margin-left:auto; display:flex; gap:10px; font-weight:400; }
.node rect { fill:#fff; stroke:#90a4ae; stroke-width:1.2; }
.node.compound > rect { fill:#f5f7f8; }
.node.final > rect { stroke-width:3; stroke-dasharray:none; }
.node text { font-size:13px; fill:#37474f; }
#fleet svg { display:block; }
#fleet text { font-size:11px; fill:#37474f; }
#fleet .lane { cursor:pointer; }
#fleet .lane .hit { fill:transparent; }
#fleet .lane:hover .hit { fill:#f1f8ff; }
#fleet .lane.selected .hit { fill:#e3f2fd; }
#fleet .lane.selected .label { font-weight:700; }
#fleet .gap { fill:#c62828; }
#fleet .mark { font-size:12px; font-weight:700; }
#fleet .cursor { stroke:#e65100; stroke-width:1.5; }
#fleet-counts { display:flex; gap:10px; font-weight:400; flex-wrap:wrap; }
#fleet-legend { margin-left:auto; font-size:11px; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 3px 0 6px; vertical-align:-1px; }
.gap-key { display:inline-block; width:14px; height:4px; background:#c62828; margin-left:6px; vertical-align:2px; }
.node.active > rect { stroke:var(--accent); stroke-width:2; fill:#e3f2fd; }
.node.current > rect { fill:var(--accent); }
.node.current > text { fill:#fff; font-weight:700; }
.edge path { fill:none; stroke:#b0bec5; stroke-width:1.2; }
.edge text { font-size:11px; fill:#78909c; paint-order:stroke; stroke:#fff; stroke-width:3px; stroke-linejoin:round; }
.edge.taken path { stroke:#e65100; stroke-width:3; }
.edge.taken text { fill:#e65100; font-weight:700; font-size:12px; }
#timeline-panel { position:relative; }
.row { display:grid; grid-template-columns: 56px 96px 124px minmax(0,1fr) 90px 120px; gap:6px; align-items:center; padding:0 8px; height:24px; white-space:nowrap; }
.row > span { overflow:hidden; text-overflow:ellipsis; }
.timeline-head { font-weight:600; background:#fafafa; border-bottom:1px solid var(--line); }
#timeline { position:relative; overflow:auto; flex:1; min-height:0; }
#timeline .spacer { width:1px; }
#timeline .row { position:absolute; left:0; right:0; cursor:pointer; border-bottom:1px solid #f2f2f2; }
#timeline .row:hover { background:#f1f8ff; }
#timeline .row.future { opacity:.38; }
#timeline .row.current { background:#fff3e0; box-shadow: inset 3px 0 #e65100; }
#timeline .row.selected { background:#e3f2fd; }
#details { overflow:auto; padding:8px 10px; flex:1; min-height:0; }
#details pre { background:#263238; color:#eceff1; padding:8px; border-radius:4px; overflow:auto; white-space:pre-wrap; word-break:break-all; margin:4px 0 10px; }
#details h3 { font-size:12px; margin:8px 0 2px; }
#details ul { margin:2px 0 8px; padding-left:18px; }
#details code { font-size:11px; }
`;
