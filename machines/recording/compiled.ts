// The fast path: the lifecycle machine compiled, once, into a table of its own transitions, and
// stepped without XState's generic interpreter. XState's `transition()` creates an actor scope per
// call, and even with a reused scope its microstep machinery costs several µs per event; this
// table does the same work in a fraction of that. The machine file stays the one definition: the
// table is read from it, every construct it does not support is refused at load, and the
// model-based tests check this path against XState on every edge of the machine's graph.
import {
  type AnyStateNode,
  type AnyTransitionDefinition,
  and,
  not,
  or,
  type StateValue,
} from 'xstate';
import { recordingMachine } from '../recording.machine.js';
import { applyReaction } from './apply-reaction.js';
import { MachineCompileError, UnknownStateValueError } from './errors.js';
import type { Guard } from './guards.js';
import * as guards from './guards.js';
import type { Reactor } from './reactions.js';
import * as reactions from './reactions.js';
import type {
  RecordingContext,
  RecordingEvent,
  RecordingOptions,
  RecordingOutput,
} from './types.js';

/** A recording's state: the machine's state value, its context, and whether it has ended. */
export interface RecordingSnapshot {
  readonly value: StateValue;
  readonly context: RecordingContext;
  readonly status: 'active' | 'done';
}

/** One transition, ready to run: its guard, its reactions, and where it leads (null: nowhere). */
export interface Transition {
  readonly guard: Guard | null;
  readonly actions: readonly Reactor[];
  readonly target: Leaf | null;
  /** Entry reactions of the states it enters, outermost first. */
  readonly entry: readonly Reactor[];
}

/** An atomic state: the only kind the machine rests in (it has no parallel states). */
export interface Leaf {
  readonly id: string;
  readonly value: StateValue;
  readonly final: boolean;
  /** Candidates per event type, the leaf's own first, then its ancestors', in document order. */
  readonly on: Map<string, readonly Transition[]>;
  readonly always: readonly Transition[];
}

const GUARDS: Readonly<Record<string, Guard>> = guards;
const REACTIONS: Readonly<Record<string, Reactor>> = reactions;

function refuse(what: string): never {
  throw new MachineCompileError(what);
}

function ancestry(node: AnyStateNode): AnyStateNode[] {
  const chain: AnyStateNode[] = [];
  for (let n: AnyStateNode | undefined = node; n !== undefined; n = n.parent) chain.push(n);
  return chain;
}

function isDescendant(node: AnyStateNode, of: AnyStateNode): boolean {
  for (let n = node.parent; n !== undefined; n = n.parent) if (n === of) return true;
  return false;
}

function reactorsOf(actions: readonly unknown[], where: string): Reactor[] {
  return actions.map((action) => {
    const name = typeof action === 'string' ? action : (action as { type?: unknown }).type;
    const reactor = typeof name === 'string' ? REACTIONS[name] : undefined;
    return reactor ?? refuse(`the action ${String(name)} at ${where}`);
  });
}

/** XState's higher-order guards, told apart by the `check` their builders attach. */
const COMBINATORS = new Map<unknown, 'and' | 'or' | 'not'>([
  [checkOf(and([])), 'and'],
  [checkOf(or([])), 'or'],
  [checkOf(not('')), 'not'],
]);

function checkOf(guard: unknown): unknown {
  return (guard as { check?: unknown }).check;
}

function guardOf(definition: AnyTransitionDefinition, where: string): Guard | null {
  const { guard } = definition;
  return guard === undefined ? null : compileGuard(guard, where);
}

/** A named guard, or `and`/`or`/`not` over compiled guards; anything else is refused. */
function compileGuard(guard: unknown, where: string): Guard {
  if (typeof guard === 'string') return GUARDS[guard] ?? refuse(`the guard ${guard} at ${where}`);
  const combinator = typeof guard === 'function' ? COMBINATORS.get(checkOf(guard)) : undefined;
  const operands = (guard as { guards?: unknown }).guards;
  if (combinator === undefined || !Array.isArray(operands))
    return refuse(`an inline or parameterized guard at ${where}`);
  const parts = operands.map((operand) => compileGuard(operand, where));
  if (combinator === 'not') {
    const [negated] = parts as [Guard];
    return (c, e, o) => !negated(c, e, o);
  }
  if (combinator === 'and') return (c, e, o) => parts.every((part) => part(c, e, o));
  return (c, e, o) => parts.some((part) => part(c, e, o));
}

/** The leaf a compound target settles in: its initial child, recursively. */
function settle(node: AnyStateNode, entered: AnyStateNode[]): AnyStateNode {
  let current = node;
  while (current.type === 'compound') {
    const initial = current.initial?.target?.[0];
    if (initial === undefined) refuse(`a compound state without initial: ${current.id}`);
    entered.push(initial);
    current = initial;
  }
  if (current.type !== 'atomic' && current.type !== 'final')
    refuse(`a ${current.type} state: ${current.id}`);
  return current;
}

/** XState's transition domain: the source itself for an internal move to a descendant, else the LCCA. */
function domainOf(source: AnyStateNode, target: AnyStateNode, reenter: boolean): AnyStateNode {
  if (!reenter && (target === source || isDescendant(target, source))) return source;
  for (const candidate of ancestry(source).slice(1)) {
    if (isDescendant(target, candidate)) return candidate;
  }
  return ancestry(source).at(-1) as AnyStateNode;
}

function stateValueOf(leaf: AnyStateNode): StateValue {
  const path = ancestry(leaf)
    .reverse()
    .slice(1)
    .map((n) => n.key);
  let value: StateValue = path.at(-1) as string;
  for (let i = path.length - 2; i >= 0; i -= 1) value = { [path[i] as string]: value };
  return value;
}

/**
 * The transition table of a machine built with the lifecycle's guards and reactions. Throws
 * `MachineCompileError` for any construct this stepper does not run as XState would.
 * @example compileMachine(recordingMachine).initial.value // 'idle'
 */
export function compileMachine(machine: { readonly root: AnyStateNode }): {
  leaves: Map<string, Leaf>;
  initial: Leaf;
} {
  const all: AnyStateNode[] = [];
  const collect = (node: AnyStateNode) => {
    if (node.type === 'parallel' || node.type === 'history')
      refuse(`a ${node.type} state: ${node.id}`);
    if (node.exit.length > 0) refuse(`exit actions: ${node.id}`);
    if (node.after.length > 0 || node.invoke.length > 0)
      refuse(`delays or invocations: ${node.id}`);
    all.push(node);
    for (const child of Object.values(node.states)) collect(child);
  };
  collect(machine.root);
  const atomic = all.filter((node) => node.type === 'atomic' || node.type === 'final');
  const leaves = new Map<string, Leaf>();

  // Leaves first (targets point at them), then their transition tables.
  const shells = new Map<AnyStateNode, { on: Map<string, Transition[]>; always: Transition[] }>();
  for (const node of atomic) {
    const shell = { on: new Map<string, Transition[]>(), always: [] as Transition[] };
    shells.set(node, shell);
    leaves.set(node.id, {
      id: node.id,
      value: stateValueOf(node),
      final: node.type === 'final',
      on: shell.on,
      always: shell.always,
    });
  }
  const leafOfNode = (node: AnyStateNode) => leaves.get(node.id) as Leaf;

  const build = (definition: AnyTransitionDefinition, where: string): Transition => {
    const targets = definition.target ?? [];
    if (targets.length > 1) refuse(`multiple targets at ${where}`);
    const target = targets[0];
    const actions = reactorsOf(definition.actions, where);
    const guard = guardOf(definition, where);
    if (target === undefined) return { guard, actions, target: null, entry: [] };
    const domain = domainOf(definition.source, target, definition.reenter);
    const entered = ancestry(target)
      .filter((n) => n !== domain && isDescendant(n, domain))
      .reverse();
    const leaf = settle(target, entered);
    const entry = entered.flatMap((n) => reactorsOf(n.entry, `entry of ${n.id}`));
    return { guard, actions, target: leafOfNode(leaf), entry };
  };

  for (const node of atomic) {
    const shell = shells.get(node) as { on: Map<string, Transition[]>; always: Transition[] };
    for (const owner of ancestry(node)) {
      for (const [eventType, definitions] of owner.transitions) {
        if (eventType.includes('*') || eventType.includes('.'))
          refuse(`the event descriptor ${eventType}`);
        const list = shell.on.get(eventType) ?? [];
        for (const [i, d] of definitions.entries())
          list.push(build(d, `${owner.id}:${eventType}#${i}`));
        shell.on.set(eventType, list);
      }
      for (const [i, d] of (owner.always ?? []).entries()) {
        shell.always.push(build(d, `${owner.id}:always#${i}`));
      }
    }
  }
  const initialEntered: AnyStateNode[] = [];
  const initial = leafOfNode(settle(machine.root, initialEntered));
  if (initialEntered.some((n) => n.entry.length > 0)) refuse('entry actions on initial states');
  return { leaves, initial };
}

const { leaves, initial } = compileMachine(recordingMachine);
const byValue = new Map<string, Leaf>();
for (const leaf of leaves.values()) byValue.set(JSON.stringify(leaf.value), leaf);

// Snapshots made here share their leaf's value object, so most lookups are by identity.
const byIdentity = new WeakMap<object, Leaf>();
for (const leaf of leaves.values())
  if (typeof leaf.value === 'object') byIdentity.set(leaf.value, leaf);

function leafOf(value: StateValue): Leaf {
  const known = typeof value === 'object' ? byIdentity.get(value) : byValue.get(`"${value}"`);
  if (known !== undefined) return known;
  const leaf = byValue.get(JSON.stringify(value));
  if (leaf === undefined) throw new UnknownStateValueError(value);
  if (typeof value === 'object') byIdentity.set(value, leaf);
  return leaf;
}

/**
 * Whether a state value names one of the machine's final states (an unknown value throws).
 * @example isFinalValue('stopped') // true
 */
export function isFinalValue(value: StateValue): boolean {
  return leafOf(value).final;
}

/** The state value of a new recording. */
export const INITIAL_VALUE: StateValue = initial.value;

/**
 * One step, as XState's `transition()` would take it: the first enabled transition from the leaf
 * up, its reactions, the entry reactions of the states it enters, then eventless transitions.
 */
export function stepCompiled(
  snapshot: RecordingSnapshot,
  event: RecordingEvent,
  options: RecordingOptions,
): { snapshot: RecordingSnapshot; outputs: RecordingOutput[] } {
  if (snapshot.status !== 'active') return { snapshot, outputs: [] };
  let leaf = leafOf(snapshot.value);
  let context = snapshot.context;
  const chosen = pick(leaf.on.get(event.type), context, event, options);
  if (chosen === undefined) return { snapshot, outputs: [] };
  const outputs: RecordingOutput[] = [];
  // Loops, not a closure per step (this runs for every event of every recording).
  for (let transition: Transition | undefined = chosen; transition !== undefined; ) {
    for (const reactor of transition.actions)
      context = applyReaction(reactor, context, event, options, outputs);
    if (transition.target !== null) {
      leaf = transition.target;
      for (const reactor of transition.entry)
        context = applyReaction(reactor, context, event, options, outputs);
    }
    if (leaf.final) break;
    transition = pick(leaf.always, context, event, options);
  }
  return {
    snapshot: { value: leaf.value, context, status: leaf.final ? 'done' : 'active' },
    outputs,
  };
}

function pick(
  candidates: readonly Transition[] | undefined,
  context: RecordingContext,
  event: RecordingEvent,
  options: RecordingOptions,
): Transition | undefined {
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) {
    if (candidate.guard === null || candidate.guard(context, event, options)) return candidate;
  }
  return undefined;
}
