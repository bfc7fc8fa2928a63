import { describe, expect, it } from 'vitest';
import { recordingMachine } from '../../machines/index.js';
import { layoutStatechart } from '../../src/inspect/layout.js';
import { statechartOf } from '../../src/inspect/statechart.js';

describe('the statechart read from the lifecycle machine', () => {
  const chart = statechartOf(recordingMachine);

  it('has every state of the machine, nested as in its definition', () => {
    const ids = chart.nodes.map((n) => n.id);
    for (const state of Object.keys(recordingMachine.root.states)) {
      expect(ids).toContain(`recording.${state}`);
    }
    expect(chart.nodes.find((n) => n.id === 'recording.recording.probing')?.parent).toBe(
      'recording.recording',
    );
    expect(chart.nodes.find((n) => n.id === 'recording.starting')?.initial).toBe(
      'recording.starting.attempt',
    );
    expect(chart.nodes.find((n) => n.id === 'recording.failed')?.type).toBe('final');
  });

  it('has the transitions with their events and guards, eventless ones as always', () => {
    const edge = (id: string) => chart.edges.find((e) => e.id === id);
    expect(edge('recording.idle -> recording.starting')?.events).toEqual(['start']);
    expect(edge('recording.quit.deciding -> recording.restarting')).toMatchObject({
      events: ['always'],
      guards: {
        always: ['and(not(restartExcluded), not(restartsOff), not(restartBudgetSpent))'],
      },
    });
    expect(edge('recording.recording -> recording.failoverPending')?.guards).toEqual({
      notification: ['notifiesFailover'],
    });
    expect(edge('recording.recording -> recording.failoverPending.suspected')?.guards).toEqual({
      query: ['and(queryNotFound, probingExhausted, failoverPlausible)'],
    });
    // Transitions without a target (actions only) draw nothing.
    expect(chart.edges.every((e) => e.source !== e.target || e.events.length > 0)).toBe(true);
    expect(new Set(chart.edges.map((e) => e.id)).size).toBe(chart.edges.length);
  });

  it('lays out with ELK: every state inside its parent, every edge routed', async () => {
    const layout = await layoutStatechart(chart);
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const node of layout.nodes) {
      expect(node.width, node.id).toBeGreaterThan(0);
      if (node.parent === null) continue;
      const parent = byId.get(node.parent);
      if (parent === undefined || parent.parent === null) continue;
      expect(node.x).toBeGreaterThanOrEqual(parent.x);
      expect(node.y).toBeGreaterThanOrEqual(parent.y);
      expect(node.x + node.width).toBeLessThanOrEqual(parent.x + parent.width);
      expect(node.y + node.height).toBeLessThanOrEqual(parent.y + parent.height);
    }
    for (const edge of layout.edges) {
      expect(edge.points.length, edge.id).toBeGreaterThanOrEqual(2);
      expect(edge.label?.text).toBe(edge.events.join(' · '));
    }
  }, 60_000);
});
