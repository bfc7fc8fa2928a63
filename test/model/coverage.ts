// Which states and transitions of the machine a set of paths visits, computed from the machine's
// own definition so that a newly added, unvisited state or transition fails the check.
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { recordingMachine } from '../../machines/index.js';

export interface TransitionId {
  readonly id: string;
  readonly definition: AnyTransitionDefinition;
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child) => allNodes(child))];
}

/** Every state node id except the root. */
export function allStateIds(): string[] {
  return allNodes(recordingMachine.root)
    .filter((node) => node !== recordingMachine.root)
    .map((node) => node.id);
}

/** Every transition: `source:event#index`, `always` transitions included. */
export function allTransitions(): TransitionId[] {
  const ids: TransitionId[] = [];
  for (const node of allNodes(recordingMachine.root)) {
    for (const [eventType, definitions] of node.transitions) {
      definitions.forEach((definition, index) => {
        ids.push({ id: `${node.id}:${eventType}#${index}`, definition });
      });
    }
    (node.always ?? []).forEach((definition, index) => {
      ids.push({ id: `${node.id}:always#${index}`, definition });
    });
  }
  return ids;
}
