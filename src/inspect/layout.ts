// A statechart laid out with ELK (the layered algorithm Stately's own tools use), in Node: the
// page only draws boxes and lines at the coordinates it is given.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { Statechart, StatechartEdge, StatechartNode } from './statechart.js';

/** A laid-out state: its box in the drawing (px, top-left origin, absolute). */
export interface PlacedNode extends StatechartNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A laid-out edge: its route as points (absolute px) and where its label goes. */
export interface PlacedEdge extends StatechartEdge {
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly label: { readonly x: number; readonly y: number; readonly text: string } | null;
}

/** A statechart ready to draw. */
export interface StatechartLayout {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

type ElkConstructor = new () => { layout(graph: ElkNode): Promise<ElkNode> };

// Rough text metrics of the page's 12 px sans-serif: enough for ELK to leave room for names.
const CHAR_PX = 7;
const LABEL_HEIGHT = 16;

/**
 * Lays a statechart out (states nested in their parents, transitions routed orthogonally).
 * @example const layout = await layoutStatechart(statechartOf(recordingMachine));
 */
export async function layoutStatechart(chart: Statechart): Promise<StatechartLayout> {
  // Loaded when used: a host that never inspects never loads ELK.
  // A CommonJS module: its default import is the constructor itself.
  const ELK = (await import('elkjs/lib/elk.bundled.js')).default as unknown as ElkConstructor;
  const elk = new ELK();
  const root = chart.nodes.find((node) => node.parent === null);
  if (root === undefined) throw new RangeError('a statechart needs a root state');
  const children = new Map<string, StatechartNode[]>();
  for (const node of chart.nodes) {
    if (node.parent === null) continue;
    children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  }
  const toElk = (node: StatechartNode): ElkNode => {
    const inner = children.get(node.id) ?? [];
    const label = { text: node.key, width: node.key.length * CHAR_PX + 8, height: LABEL_HEIGHT };
    if (inner.length === 0) {
      return { id: node.id, width: Math.max(90, label.width + 24), height: 36, labels: [label] };
    }
    return {
      id: node.id,
      labels: [label],
      layoutOptions: { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' },
      children: inner.map(toElk),
    };
  };
  // Edge labels take no room in the layout (with room, this chart is twice as wide): the page
  // draws each on its edge's longest segment.
  const edges: ElkExtendedEdge[] = chart.edges.map((edge) => ({
    id: edge.id,
    sources: [edge.source],
    targets: [edge.target],
  }));
  const graph: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '25',
      'elk.spacing.edgeEdge': '8',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
      'elk.layered.spacing.edgeNodeBetweenLayers': '14',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
    },
    children: (children.get(root.id) ?? []).map(toElk),
    edges,
  };
  const laid = await elk.layout(graph);
  const placed = new Map<string, { x: number; y: number; width: number; height: number }>();
  const collect = (node: ElkNode) => {
    placed.set(node.id, {
      x: node.x ?? 0,
      y: node.y ?? 0,
      width: node.width ?? 0,
      height: node.height ?? 0,
    });
    for (const child of node.children ?? []) collect(child);
  };
  for (const child of laid.children ?? []) collect(child);
  const laidEdges = (laid.edges ?? []) as readonly ElkExtendedEdge[];
  const routes = new Map(laidEdges.map((edge) => [edge.id, edge]));
  const width = laid.width ?? 0;
  const height = laid.height ?? 0;
  return {
    id: chart.id,
    width,
    height,
    nodes: chart.nodes.map((node) =>
      node.parent === null
        ? { ...node, x: 0, y: 0, width, height }
        : { ...node, ...(placed.get(node.id) ?? { x: 0, y: 0, width: 0, height: 0 }) },
    ),
    edges: chart.edges.map((edge) => {
      const section = routes.get(edge.id)?.sections?.[0];
      const points =
        section === undefined
          ? []
          : [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      const route = points.map(({ x, y }) => ({ x, y }));
      return { ...edge, points: route, label: labelOn(route, edgeText(edge)) };
    }),
  };
}

/** Where an edge's label goes: the middle of its longest segment. */
function labelOn(points: readonly { x: number; y: number }[], text: string): PlacedEdge['label'] {
  let best: PlacedEdge['label'] = null;
  let longest = -1;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1] as { x: number; y: number };
    const b = points[i] as { x: number; y: number };
    const length = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
    if (length > longest) {
      longest = length;
      best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, text };
    }
  }
  return best;
}

/** An edge's label: its events. */
export function edgeText(edge: StatechartEdge): string {
  return edge.events.join(' · ');
}
