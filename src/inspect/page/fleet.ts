// The fleet view: a swimlane per recording over time, coloured by state, with failovers,
// restarts, quits and host stops marked and the gaps of what was recorded underlined; the
// counts per state above; a click on a lane selects its recording for the views below.
import { clock, el, svg } from './dom.js';
import type { WireFleet, WireLane } from './wire.js';

/** The colour of each lifecycle state (the legend's and the lanes'). */
export const STATE_COLOURS: Readonly<Record<string, string>> = {
  idle: '#cfd8dc',
  starting: '#90caf9',
  recording: '#43a047',
  failoverPending: '#fb8c00',
  quit: '#e53935',
  restarting: '#8e24aa',
  stopping: '#b0bec5',
  stopped: '#78909c',
  failed: '#b71c1c',
};

const LABEL = 150;
const LANE = 14;
const ROW = 20;
const AXIS = 18;

/** What each mark looks like: a glyph and its colour. */
const MARKS: Readonly<Record<string, { glyph: string; colour: string; name: string }>> = {
  failover: { glyph: '▲', colour: '#e65100', name: 'failover' },
  restarted: { glyph: '↻', colour: '#4527a0', name: 'restart' },
  quit: { glyph: '✕', colour: '#b71c1c', name: 'quit' },
  hostStop: { glyph: '■', colour: '#000', name: 'host stop' },
};

/** Draws the fleet into `container`; `select` is called with a lane's recording on click. */
export class FleetView {
  private fleet: WireFleet | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly select: (recording: string) => void,
  ) {}

  /** New data from the server. */
  update(fleet: WireFleet): void {
    this.fleet = fleet;
  }

  /** Redraws: lanes, the selected one outlined, a line at the scrubber's time. */
  render(selected: string | null, cursorAt: number | null): void {
    const fleet = this.fleet;
    this.container.replaceChildren();
    if (fleet === null || fleet.lanes.length === 0) {
      this.container.append(el('p', { class: 'hint' }, 'no recording yet'));
      return;
    }
    const width = Math.max(400, this.container.clientWidth - 4);
    const span = Math.max(1, fleet.to - fleet.from);
    const x = (at: number) => LABEL + ((at - fleet.from) / span) * (width - LABEL - 8);
    const height = AXIS + fleet.lanes.length * ROW;
    const drawing = svg('svg', { width, height, role: 'img', 'aria-label': 'fleet swimlanes' });
    drawing.append(this.axis(fleet, x));
    for (const [i, lane] of fleet.lanes.entries()) {
      drawing.append(this.lane(lane, AXIS + i * ROW, x, fleet.to, lane.recording === selected));
    }
    if (cursorAt !== null) {
      drawing.append(
        svg('line', {
          class: 'cursor',
          x1: x(cursorAt),
          x2: x(cursorAt),
          y1: AXIS - 4,
          y2: height,
        }),
      );
    }
    this.container.append(drawing);
  }

  private axis(fleet: WireFleet, x: (at: number) => number): SVGElement {
    const group = svg('g', { class: 'axis' });
    for (let i = 0; i <= 4; i += 1) {
      const at = fleet.from + ((fleet.to - fleet.from) * i) / 4;
      const text = svg('text', {
        x: x(at),
        y: 12,
        'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle',
      });
      text.textContent = clock(at).slice(0, 8);
      group.append(text);
    }
    return group;
  }

  private lane(
    lane: WireLane,
    top: number,
    x: (at: number) => number,
    end: number,
    selected: boolean,
  ): SVGElement {
    const group = svg('g', {
      class: `lane${selected ? ' selected' : ''}`,
      'data-recording': lane.recording,
      'data-state': lane.state,
      'data-gaps': lane.gaps.length,
    });
    group.append(svg('rect', { class: 'hit', x: 0, y: top, width: x(end) + 8, height: ROW }));
    const label = svg('text', { class: 'label', x: 4, y: top + LANE - 2 });
    label.textContent = lane.recording;
    group.append(label);
    for (const [i, change] of lane.states.entries()) {
      const to = lane.states[i + 1]?.at ?? end;
      if (to < change.at) continue;
      const segment = svg('rect', {
        class: 'segment',
        'data-state': change.state,
        x: x(change.at),
        y: top + 2,
        width: Math.max(1, x(to) - x(change.at)),
        height: LANE - 4,
        fill: STATE_COLOURS[change.state] ?? '#999',
      });
      const title = svg('title');
      title.textContent = `${lane.recording}: ${change.state} ${clock(change.at)}–${clock(to)}`;
      segment.append(title);
      group.append(segment);
    }
    for (const gap of lane.gaps) {
      const bar = svg('rect', {
        class: 'gap',
        'data-cause': gap.cause,
        'data-from': gap.from,
        'data-to': gap.to,
        x: x(gap.from),
        y: top + LANE - 1,
        width: Math.max(2, x(gap.to) - x(gap.from)),
        height: 4,
      });
      const title = svg('title');
      title.textContent = `not recorded ${clock(gap.from)}–${clock(gap.to)}: ${gap.cause}: ${gap.detail}`;
      bar.append(title);
      group.append(bar);
    }
    for (const mark of lane.marks) {
      const look = MARKS[mark.kind];
      if (look === undefined) continue;
      const glyph = svg('text', {
        class: 'mark',
        'data-kind': mark.kind,
        x: x(mark.at),
        y: top + LANE - 3,
        'text-anchor': 'middle',
        fill: look.colour,
      });
      glyph.textContent = look.glyph;
      const title = svg('title');
      title.textContent = `${look.name} ${clock(mark.at)}${mark.detail === undefined ? '' : ` (${mark.detail})`}${mark.sid === null ? '' : ` sid ${mark.sid}`}`;
      glyph.append(title);
      group.append(glyph);
    }
    group.addEventListener('click', () => this.select(lane.recording));
    return group;
  }
}

/** The legend: the states' colours, the marks' glyphs, the gap's underline. */
export function fleetLegend(): HTMLElement {
  const legend = el('span', { class: 'fleet-legend' });
  for (const [state, colour] of Object.entries(STATE_COLOURS)) {
    legend.append(el('span', { class: 'swatch', style: `background:${colour}` }), `${state} `);
  }
  for (const look of Object.values(MARKS)) {
    legend.append(el('span', { style: `color:${look.colour}` }, look.glyph), ` ${look.name} `);
  }
  legend.append(el('span', { class: 'gap-key' }), ' not recorded');
  return legend;
}
