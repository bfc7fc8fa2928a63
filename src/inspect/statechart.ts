// The statechart as data, read from a machine's own definition (its state nodes and transition
// tables), so the inspector draws the machine that runs, never a copy of it.
import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** One state node: its XState id (`recording.starting.probing`), key and kind. */
export interface StatechartNode {
  readonly id: string;
  readonly key: string;
  /** The enclosing state's id; null for the machine itself. */
  readonly parent: string | null;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** The id of the initial child of a compound state. */
  readonly initial: string | null;
}

/** The transitions from one state to another, whatever the event: one line in the drawing. */
export interface StatechartEdge {
  /** Stable id: `source -> target`. */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Event types that lead there, in document order; `always` for eventless transitions. */
  readonly events: readonly string[];
  /** Per event, the guard names of the candidates that lead there (none: unguarded). */
  readonly guards: Readonly<Record<string, readonly string[]>>;
}

/** A machine's states and the transitions between them. */
export interface Statechart {
  readonly id: string;
  readonly nodes: readonly StatechartNode[];
  readonly edges: readonly StatechartEdge[];
}

/** The event label of eventless (`always`) transitions. */
export const ALWAYS = 'always';

/**
 * Walks a machine's state nodes and transitions. Candidates without a target (actions only) are
 * not edges; every candidate between the same two states joins one edge.
 * @example statechartOf(recordingMachine).nodes.map((n) => n.id) // ['recording', 'recording.idle', ...]
 */
export function statechartOf(machine: AnyStateMachine): Statechart {
  const nodes: StatechartNode[] = [];
  const edges = new Map<
    string,
    { source: string; target: string; events: string[]; guards: Record<string, string[]> }
  >();
  const addEdge = (source: AnyStateNode, target: AnyStateNode, event: string, guard: unknown) => {
    const id = `${source.id} -> ${target.id}`;
    const edge = edges.get(id) ?? { source: source.id, target: target.id, events: [], guards: {} };
    if (!edge.events.includes(event)) edge.events.push(event);
    const guards = edge.guards[event] ?? [];
    edge.guards[event] = guards;
    const name = guardName(guard);
    if (name !== null && !guards.includes(name)) guards.push(name);
    edges.set(id, edge);
  };
  const visit = (node: AnyStateNode) => {
    nodes.push({
      id: node.id,
      key: node.key,
      parent: node.parent?.id ?? null,
      type: node.type,
      initial: node.initial?.target?.[0]?.id ?? null,
    });
    for (const [event, candidates] of node.transitions) {
      for (const candidate of candidates) {
        for (const target of candidate.target ?? []) addEdge(node, target, event, candidate.guard);
      }
    }
    for (const candidate of node.always ?? []) {
      for (const target of candidate.target ?? []) addEdge(node, target, ALWAYS, candidate.guard);
    }
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
  };
  visit(machine.root);
  return {
    id: machine.id,
    nodes,
    edges: [...edges].map(([id, edge]) => ({ id, ...edge })),
  };
}

function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string')
    return guard.type;
  // XState's and/or/not: a function named for its combinator, holding its operands.
  const operands = (guard as { guards?: unknown }).guards;
  if (typeof guard === 'function' && Array.isArray(operands))
    return `${guard.name}(${operands.map((operand) => guardName(operand)).join(', ')})`;
  return 'guarded';
}
