// The inspector page: the statechart, the recordings, the timeline and the scrubber, fed by the
// server's event stream (history first, then each new step).
import { Chart } from './chart.js';
import { byId, clock, dateTime, el, throttled } from './dom.js';
import { FleetView, fleetLegend, STATE_COLOURS } from './fleet.js';
import { Pictures } from './pictures.js';
import { VirtualList } from './timeline.js';
import type {
  WireDecided,
  WireDecisionKind,
  WireFleet,
  WireHistory,
  WireRecording,
  WireStatechart,
  WireStep,
} from './wire.js';

const DECISIONS: readonly WireDecisionKind[] = [
  'applied',
  'duplicate',
  'held',
  'releasedAfterGap',
  'late',
  'stale',
  'unrouted',
  'ignored',
  'rejected',
];
const STATES = [
  'idle',
  'starting',
  'recording',
  'failoverPending',
  'quit',
  'restarting',
  'stopping',
  'stopped',
  'failed',
];

/** A timeline row: one decision, taken at a step. */
interface Entry {
  readonly step: number;
  readonly decided: WireDecided;
}

const model = {
  steps: [] as WireStep[],
  entries: [] as Entry[],
  pictures: new Pictures({}),
  /** The step the scrubber is on (-1: before the first input). */
  cursor: -1,
  /** Follow new steps as they arrive (the scrubber sits at the end). */
  following: true,
  recording: null as string | null,
  entry: null as number | null,
  filter: '',
  /** Timeline filters: hide ticks that reached no machine; show the selected recording only. */
  hideIdleTicks: false,
  onlySelected: false,
  /** Indices of the entries the timeline shows, in order. */
  shown: [] as number[],
};

let chart: Chart | null = null;
const fleet = new FleetView(byId('fleet'), (recording) => {
  model.recording = recording;
  if (model.onlySelected) refilter();
  render();
  document
    .querySelector(`#recordings tr[data-recording="${CSS.escape(recording)}"]`)
    ?.scrollIntoView({ block: 'nearest' });
});
/** New steps came while following: scroll the timeline to its end at the next render. */
let revealEnd = false;
const scrubber = byId<HTMLInputElement>('scrubber');
const timeline = new VirtualList(byId('timeline'), (row) => renderEntry(model.shown[row] ?? 0));
const render = throttled(renderAll);

function badge(decision: string): HTMLElement {
  return el('span', { class: `badge d-${decision}` }, decision);
}

function addStep(step: WireStep): void {
  const index = model.steps.length;
  model.steps.push(step);
  model.pictures.push(step);
  for (const decided of step.decisions) {
    model.entries.push({ step: index, decided });
    if (isShown(model.entries.length - 1)) model.shown.push(model.entries.length - 1);
  }
  if (model.following) {
    model.cursor = index;
    revealEnd = true;
  }
}

/** Whether the timeline's filters let an entry through. */
function isShown(index: number): boolean {
  const entry = model.entries[index];
  if (entry === undefined) return false;
  const { decision } = entry.decided;
  const step = model.steps[entry.step];
  const idle = decision.input === 'tick' && Object.keys(step?.changed ?? {}).length === 0;
  if (model.hideIdleTicks && idle) return false;
  if (model.onlySelected && model.recording !== null) {
    // Its own inputs, and the ticks (they name no recording) that fired its deadlines.
    const concerns =
      decision.recording === model.recording ||
      (decision.recording === undefined && step?.changed[model.recording] !== undefined);
    if (!concerns) return false;
  }
  return true;
}

function refilter(): void {
  model.shown = [];
  for (let i = 0; i < model.entries.length; i += 1) if (isShown(i)) model.shown.push(i);
}

/** Scrolls the timeline to an entry, or to the nearest one shown before it. */
function revealEntry(index: number): void {
  let row = model.shown.length - 1;
  while (row > 0 && (model.shown[row] ?? 0) > index) row -= 1;
  if (row >= 0) timeline.reveal(row);
}

function renderEntry(index: number): HTMLElement {
  const entry = model.entries[index] as Entry;
  const { decision } = entry.decided;
  const classes = ['row'];
  if (entry.step > model.cursor) classes.push('future');
  if (entry.step === model.cursor) classes.push('current');
  if (index === model.entry) classes.push('selected');
  const row = el(
    'div',
    {
      class: classes.join(' '),
      'data-index': String(index),
      'data-position': String(decision.position),
      'data-decision': decision.decision,
      title: decision.reason ?? decision.input,
    },
    el('span', {}, String(decision.position)),
    el('span', {}, clock(decision.at)),
    el('span', {}, badge(decision.decision)),
    el('span', { class: 'input' }, decision.input),
    el('span', { class: 'recording' }, decision.recording ?? ''),
    el('span', { class: 'state' }, decision.state ?? ''),
  );
  row.addEventListener('click', () => selectEntry(index));
  return row;
}

function selectEntry(index: number): void {
  const entry = model.entries[index];
  if (entry === undefined) return;
  model.entry = index;
  model.cursor = entry.step;
  model.following = entry.step === model.steps.length - 1;
  if (entry.decided.decision.recording !== undefined)
    model.recording = entry.decided.decision.recording;
  if (model.onlySelected) refilter();
  renderDetails(entry);
  render();
}

function renderDetails(entry: Entry): void {
  const { decision, outputs } = entry.decided;
  const received = model.steps.find((s) => s.position === decision.position)?.received;
  const details = byId('details');
  details.replaceChildren();
  const why = [decision.reason, decision.gap && `gap ${decision.gap.from}..${decision.gap.to}`]
    .filter(Boolean)
    .join('; ');
  details.append(
    el(
      'p',
      {},
      `position ${decision.position} · ${dateTime(decision.at)} · `,
      badge(decision.decision),
      why === '' ? '' : ` ${why}`,
    ),
    el('p', {}, el('strong', {}, decision.input)),
  );
  if (decision.recording !== undefined) {
    details.append(el('p', {}, `${decision.recording}: ${decision.state ?? ''}`));
  }
  const body = bodyOf(received);
  if (body !== null) {
    details.append(el('h3', {}, 'Raw body, as received'), el('pre', { class: 'raw-body' }, body));
  }
  details.append(
    el('h3', {}, 'Received'),
    el('pre', { class: 'received' }, JSON.stringify(received ?? null, null, 2)),
    el('h3', {}, `Outputs (${outputs.length})`),
  );
  const list = el('ul', { class: 'outputs' });
  for (const output of outputs) {
    const { kind, type, recording, ...fields } = output as unknown as Record<string, unknown>;
    list.append(
      el(
        'li',
        { 'data-kind': String(kind), 'data-type': String(type) },
        el('strong', {}, `${kind} ${type}`),
        ` ${recording} `,
        el('code', {}, JSON.stringify(fields)),
      ),
    );
  }
  if (outputs.length === 0) list.append(el('li', { class: 'hint' }, 'none'));
  details.append(list);
}

/** A notification's body exactly as it came, when the input carried one. */
function bodyOf(received: unknown): string | null {
  if (received === null || typeof received !== 'object') return null;
  const line = received as { kind?: string; record?: { body?: unknown }; raw?: unknown };
  const body = line.kind === 'input' ? line.record?.body : undefined;
  if (typeof body === 'string') return body;
  if (body !== undefined) return JSON.stringify(body, null, 2);
  if (line.kind === 'reject')
    return typeof line.raw === 'string' ? line.raw : JSON.stringify(line.raw);
  return null;
}

function renderAll(): void {
  const last = model.steps.length - 1;
  scrubber.max = String(last + 1);
  scrubber.value = String(model.cursor + 1);
  const step = model.steps[model.cursor];
  // One counter: the log's position (a bounded live feed keeps only its latest steps).
  const lastPosition = model.steps.at(-1)?.position ?? 0;
  byId('cursor').textContent =
    step === undefined
      ? `before the first input · ${lastPosition} inputs`
      : `position ${step.position} of ${lastPosition} · ${dateTime(step.at)}`;
  const firstPosition = model.steps[0]?.position ?? 1;
  byId('counts').textContent =
    firstPosition > 1
      ? `inputs ${firstPosition}–${lastPosition} kept · ${model.entries.length} decisions`
      : `${model.steps.length} inputs · ${model.entries.length} decisions`;
  byId('shown').textContent =
    model.shown.length === model.entries.length ? '' : `${model.shown.length} shown`;
  const view = model.pictures.at(model.cursor);
  renderCounts(view);
  fleet.render(model.recording, step?.at ?? null);
  renderRecordings(view, step);
  renderChart(view);
  timeline.update(model.shown.length);
  if (revealEnd) {
    revealEnd = false;
    timeline.reveal(model.shown.length - 1);
  }
}

/** How many recordings are in each state at the scrubber's position. */
function renderCounts(view: Readonly<Record<string, WireRecording>>): void {
  const counts: Record<string, number> = {};
  for (const r of Object.values(view)) counts[r.state] = (counts[r.state] ?? 0) + 1;
  byId('fleet-counts').replaceChildren(
    ...STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) =>
      el(
        'span',
        { class: 'count', 'data-state': s, 'data-count': String(counts[s]) },
        el('span', { class: 'swatch', style: `background:${STATE_COLOURS[s] ?? '#999'}` }),
        `${s} ${counts[s]}`,
      ),
    ),
  );
}

/** Shows the fleet's lanes; while the feed is live, asks again every 2 s until its run ends. */
function loadFleet(): void {
  fetch('/api/fleet')
    .then((response) => response.json() as Promise<WireFleet>)
    .then((data) => {
      fleet.update(data);
      const badge = byId('live');
      if (data.endedAt !== null) {
        badge.hidden = false;
        badge.classList.add('ended');
        badge.textContent = `run ended ${clock(data.endedAt)}`;
      }
      document.body.dataset.fleet = 'true';
      render();
      if (data.live) setTimeout(loadFleet, 2000);
    })
    .catch(() => setTimeout(loadFleet, 5000));
}

function renderRecordings(
  view: Readonly<Record<string, WireRecording>>,
  step: WireStep | undefined,
) {
  const ids = Object.keys(view).sort();
  if (model.recording === null || view[model.recording] === undefined)
    model.recording = ids[0] ?? null;
  const tbody = byId('recordings').querySelector('tbody') as HTMLElement;
  tbody.replaceChildren();
  for (const id of ids) {
    const r = view[id] as WireRecording;
    if (model.filter !== '' && r.state !== model.filter) continue;
    const classes = [id === model.recording ? 'selected' : '', step?.changed[id] ? 'changed' : ''];
    const row = el(
      'tr',
      { class: classes.join(' ').trim(), 'data-recording': id, 'data-state': r.state },
      el('td', {}, id),
      el('td', { class: 'state' }, r.state),
      el('td', {}, r.sid ?? '–'),
      el('td', {}, r.uid ?? '–'),
      el('td', {}, String(r.haAttempts)),
      el('td', {}, r.filePrefix === '' ? '–' : r.filePrefix),
      el('td', {}, String(r.restarts)),
      el('td', {}, r.quitReason ?? '–'),
    );
    row.addEventListener('click', () => {
      model.recording = id;
      if (model.onlySelected) refilter();
      render();
    });
    tbody.append(row);
  }
}

function renderChart(view: Readonly<Record<string, WireRecording>>): void {
  if (chart === null) return;
  const caption = byId('chart-caption');
  const id = model.recording;
  const current = id === null ? undefined : view[id];
  if (id === null || current === undefined) {
    chart.show(null, null, [], []);
    caption.textContent = 'no recording at this position';
    return;
  }
  const changedAt = model.pictures.lastChange(id, model.cursor);
  const change = model.steps[changedAt]?.changed[id];
  const before = changedAt < 0 ? undefined : model.pictures.at(changedAt - 1)[id];
  const previous = before?.value ?? (change === undefined ? null : 'idle');
  const events = change?.events ?? [];
  const taken = chart.show(current.value, previous, events, change?.path ?? []);
  const how =
    change === undefined
      ? ''
      : ` · last: ${events.join(', ')} at position ${model.steps[changedAt]?.position}` +
        (taken.length === 0 ? ' (stayed)' : '');
  caption.textContent = `${id}: ${JSON.stringify(current.value)}${how}`;
  caption.dataset.recording = id;
  if (!byId('statechart').classList.contains('fit')) {
    chart.nodeOf(current.value)?.scrollIntoView({ block: 'center', inline: 'center' });
  }
}

function moveTo(cursor: number): void {
  model.cursor = Math.max(-1, Math.min(model.steps.length - 1, cursor));
  model.following = model.cursor === model.steps.length - 1;
  model.entry = null;
  const first = model.entries.findIndex((e) => e.step === model.cursor);
  if (first >= 0) revealEntry(first);
  render();
}

function start(): void {
  byId('legend').append(...DECISIONS.map(badge));
  byId('fleet-legend').append(fleetLegend());
  const filter = byId<HTMLSelectElement>('state-filter');
  filter.append(...STATES.map((s) => el('option', { value: s }, s)));
  filter.addEventListener('change', () => {
    model.filter = filter.value;
    render();
  });
  for (const [id, key] of [
    ['hide-ticks', 'hideIdleTicks'],
    ['only-selected', 'onlySelected'],
  ] as const) {
    const box = byId<HTMLInputElement>(id);
    box.addEventListener('change', () => {
      model[key] = box.checked;
      refilter();
      revealEntry(model.entries.findIndex((e) => e.step === model.cursor));
      render();
    });
  }
  const fit = byId<HTMLInputElement>('zoom-fit');
  fit.addEventListener('change', () => byId('statechart').classList.toggle('fit', fit.checked));
  scrubber.addEventListener('input', () => moveTo(Number(scrubber.value) - 1));
  byId('step-back').addEventListener('click', () => moveTo(model.cursor - 1));
  byId('step-next').addEventListener('click', () => moveTo(model.cursor + 1));
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement && event.target !== scrubber) return;
    if (event.key === 'ArrowLeft' && event.target !== scrubber) moveTo(model.cursor - 1);
    if (event.key === 'ArrowRight' && event.target !== scrubber) moveTo(model.cursor + 1);
  });
  fetch('/api/statechart')
    .then((response) => response.json() as Promise<WireStatechart>)
    .then((layout) => {
      chart = new Chart(layout);
      byId('statechart').append(chart.element);
      render();
    })
    .catch((error: unknown) => {
      byId('statechart').textContent = `statechart unavailable: ${String(error)}`;
    });
  const events = new EventSource('/api/events');
  events.addEventListener('history', (message) => {
    const history = JSON.parse((message as MessageEvent<string>).data) as WireHistory;
    byId('title').textContent = history.title;
    byId('live').hidden = !history.live;
    model.steps = [];
    model.entries = [];
    model.shown = [];
    model.pictures = new Pictures(history.base);
    model.following = true;
    for (const step of history.steps) addStep(step);
    document.body.dataset.ready = 'true';
    render();
    loadFleet();
  });
  events.addEventListener('step', (message) => {
    addStep(JSON.parse((message as MessageEvent<string>).data) as WireStep);
    render();
  });
}

start();
