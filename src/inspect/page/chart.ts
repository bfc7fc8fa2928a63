// The statechart drawn as SVG at the coordinates ELK gave; highlighting is by class, so moving
// the scrubber changes classes and never redraws.
import { svg } from './dom.js';
import type { WireStatechart } from './wire.js';

type Value = string | { readonly [key: string]: unknown };

/** The id of the leaf state a state value rests in: `{ recording: 'probing' }` → `recording.recording.probing`. */
export function leafOf(machine: string, value: Value): string {
  let id = machine;
  let current: unknown = value;
  while (current !== null && current !== undefined) {
    if (typeof current === 'string') return `${id}.${current}`;
    const [key, inner] = Object.entries(current as Record<string, unknown>)[0] ?? [];
    if (key === undefined) return id;
    id = `${id}.${key}`;
    current = inner;
  }
  return id;
}

/** A state id and its ancestors' ids: `a.b.c` → `a.b.c`, `a.b`, `a`. */
export function lineage(id: string): string[] {
  const parts = id.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

/** The drawn statechart. */
export class Chart {
  readonly element: SVGElement;
  private readonly nodes = new Map<string, SVGElement>();
  private readonly edges = new Map<string, SVGElement>();

  constructor(private readonly chart: WireStatechart) {
    const pad = 10;
    this.element = svg('svg', {
      viewBox: `${-pad} ${-pad} ${chart.width + 2 * pad} ${chart.height + 2 * pad}`,
      width: chart.width + 2 * pad,
      height: chart.height + 2 * pad,
      preserveAspectRatio: 'xMidYMid meet',
      role: 'img',
      'aria-label': `statechart of ${chart.id}`,
    });
    const defs = svg('defs');
    const marker = svg('marker', {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'context-stroke' }));
    defs.append(marker);
    this.element.append(defs);
    // Outer states first, so inner ones and edges are drawn over them.
    const depth = (id: string) => id.split('.').length;
    for (const node of [...chart.nodes].sort((a, b) => depth(a.id) - depth(b.id))) {
      if (node.parent === null) continue;
      const compound = node.type === 'compound' || node.type === 'parallel';
      const group = svg('g', {
        class: `node ${compound ? 'compound' : 'atomic'} ${node.type === 'final' ? 'final' : ''}`,
        'data-id': node.id,
      });
      group.append(
        svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 6 }),
      );
      const label = svg(
        'text',
        compound
          ? { x: node.x + 8, y: node.y + 16 }
          : {
              x: node.x + node.width / 2,
              y: node.y + node.height / 2 + 4,
              'text-anchor': 'middle',
            },
      );
      label.textContent = node.key;
      group.append(label);
      const title = svg('title');
      title.textContent = node.id;
      group.append(title);
      this.element.append(group);
      this.nodes.set(node.id, group);
    }
    for (const edge of chart.edges) {
      if (edge.points.length === 0) continue;
      const group = svg('g', {
        class: 'edge',
        'data-events': edge.events.join(' '),
        'data-id': edge.id,
      });
      const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
      group.append(svg('path', { d, 'marker-end': 'url(#arrow)' }));
      if (edge.label !== null) {
        const text = svg('text', { x: edge.label.x + 3, y: edge.label.y - 3 });
        text.textContent = edge.label.text;
        group.append(text);
      }
      const title = svg('title');
      title.textContent = [
        edge.id,
        ...edge.events.map((event) => {
          const guards = edge.guards[event] ?? [];
          return guards.length === 0 ? event : `${event} [${guards.join(' | ')}]`;
        }),
      ].join('\n');
      group.append(title);
      this.element.append(group);
      this.edges.set(edge.id, group);
    }
  }

  /**
   * Highlights a recording's state (its leaf and the states around it) and the transitions that
   * led there from `previous`: one hop per event, through the states in `path`. Returns the ids
   * of the edges marked.
   */
  show(
    value: Value | null,
    previous: Value | null,
    events: readonly string[],
    path: readonly Value[],
  ): string[] {
    for (const node of this.nodes.values()) node.classList.remove('active', 'current');
    for (const edge of this.edges.values()) edge.classList.remove('taken');
    if (value === null) return [];
    const leaf = leafOf(this.chart.id, value);
    for (const id of lineage(leaf)) this.nodes.get(id)?.classList.add('active');
    this.nodes.get(leaf)?.classList.add('current');
    if (previous === null) return [];
    const taken: string[] = [];
    let from = leafOf(this.chart.id, previous);
    for (const [i, event] of events.entries()) {
      const to = leafOf(this.chart.id, path[i] ?? value);
      for (const id of this.hop(lineage(from), lineage(to), event)) {
        if (!taken.includes(id)) taken.push(id);
      }
      from = to;
    }
    for (const id of taken) this.edges.get(id)?.classList.add('taken');
    return taken;
  }

  /** The current leaf's node, to scroll it into view. */
  nodeOf(value: Value): SVGElement | undefined {
    return this.nodes.get(leafOf(this.chart.id, value));
  }

  /** The edges of one event's step from one leaf to another (with eventless steps after). */
  private hop(from: readonly string[], to: readonly string[], event: string): string[] {
    if (from[0] === to[0]) return [];
    const candidates = this.chart.edges.filter(
      (e) => e.events.includes(event) && from.includes(e.source),
    );
    const direct = candidates.filter((e) => to.includes(e.target));
    if (direct.length > 0) return direct.map((e) => e.id);
    // Eventless steps after it: quit.deciding on to restarting, restarting.delay on to its attempt.
    for (const first of candidates) {
      const then = this.eventless(first.target, to[0] ?? '', 3);
      if (then !== null) return [first.id, ...then];
    }
    return [];
  }

  /** The eventless edges from entering `state` to resting in `leaf`, or null (at most `depth`). */
  private eventless(state: string, leaf: string, depth: number): string[] | null {
    const entered = this.settle(state);
    if (entered === leaf) return [];
    if (depth === 0) return null;
    const around = lineage(entered);
    for (const edge of this.chart.edges) {
      if (!edge.events.includes('always') || !around.includes(edge.source)) continue;
      const rest = this.eventless(edge.target, leaf, depth - 1);
      if (rest !== null) return [edge.id, ...rest];
    }
    return null;
  }

  /** The leaf a state settles in when entered: its initial child, recursively. */
  private settle(state: string): string {
    let id = state;
    for (let node = this.byId(id); node?.initial != null; node = this.byId(id)) id = node.initial;
    return id;
  }

  private byId(id: string) {
    return this.chart.nodes.find((n) => n.id === id);
  }
}
