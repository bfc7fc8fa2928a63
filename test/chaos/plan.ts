// What a chaos run does, drawn from its seed: which faults, when, to which host, and the host
// commands between them. The seed fixes the plan; the interleaving with the operating system's
// scheduling (which call a kill lands in) is not repeatable, which is the point of the suite.
import { rng } from '../fixtures/random.js';
import type { EdgeRates } from './agora-edge.js';

/** The size and the fault counts of a run. */
export interface ChaosSettings {
  readonly store: 'postgres' | 'sqlite';
  /** Host processes at once (1 on SQLite: one writer). */
  readonly hosts: number;
  /** Recordings started over the run (r0, r1, ...; channel room0, room1, ...). */
  readonly recordings: number;
  /** How many of them a host stops later. */
  readonly stops: number;
  /** Simulated ms per real ms. */
  readonly speed: number;
  /** Simulated ms with faults, then `quietMs` without (the edges pass everything through). */
  readonly faultsMs: number;
  readonly quietMs: number;
  /** The PostgreSQL log's lease time, ms. */
  readonly leaseTtlMs: number;
  /** kill -9 of a host (restarted `restartAfterMs` later). */
  readonly kills: number;
  readonly restartAfterMs: number;
  /** PostgreSQL restarted: `fast` (a planned restart) or `immediate` (a server crash), drawn. */
  readonly postgresRestarts: number;
  /** Every connection of the hosts cut with pg_terminate_backend. */
  readonly terminations: number;
  /**
   * A host stopped with SIGSTOP for `zombieMs` (longer than its lease), then continued: the 1st,
   * 3rd, ... at its next call to Agora, whose answer is cut off; the others at a random moment.
   */
  readonly zombies: number;
  readonly zombieMs: number;
  /** Per call, at the edges between the hosts and Agora. */
  readonly edge: EdgeRates;
  /** Per `start` call: the one call that is not idempotent, where a lost answer matters most. */
  readonly edgeOnStart: EdgeRates;
}

/** One thing the driver does at a time of the run (ms after it began). */
export type ChaosEvent =
  | { readonly at: number; readonly kind: 'start'; readonly recording: string }
  | { readonly at: number; readonly kind: 'stop'; readonly recording: string }
  | { readonly at: number; readonly kind: 'kill'; readonly host: number }
  | {
      readonly at: number;
      readonly kind: 'zombie';
      readonly host: number;
      /** `midCall`: at the host's next call, which reaches Agora but whose answer is cut off. */
      readonly when: 'anytime' | 'midCall';
    }
  | { readonly at: number; readonly kind: 'postgresRestart'; readonly mode: 'fast' | 'immediate' }
  | { readonly at: number; readonly kind: 'terminate' };

/** The run's events in time order, drawn from `seed`. */
export function planRun(settings: ChaosSettings, seed: number): ChaosEvent[] {
  const random = rng(seed);
  const within = (from: number, to: number) => Math.floor(from + random() * (to - from));
  const host = () => Math.floor(random() * settings.hosts);
  const span = settings.faultsMs;
  const events: ChaosEvent[] = [];
  // Starts through the first half (the first at once), stops in the second.
  const starts: number[] = [];
  for (let n = 0; n < settings.recordings; n += 1) {
    const at = n === 0 ? 0 : within(0, span / 2);
    starts.push(at);
    events.push({ at, kind: 'start', recording: `r${n}` });
  }
  const stopped = new Set<number>();
  while (stopped.size < Math.min(settings.stops, settings.recordings))
    stopped.add(Math.floor(random() * settings.recordings));
  for (const n of stopped)
    events.push({ at: within((starts[n] ?? 0) + 1, span), kind: 'stop', recording: `r${n}` });
  const faults = (count: number, make: (at: number) => ChaosEvent) => {
    for (let i = 0; i < count; i += 1) events.push(make(within(span * 0.05, span)));
  };
  faults(settings.kills, (at) => ({ at, kind: 'kill', host: host() }));
  let zombies = 0;
  faults(settings.zombies, (at) => ({
    at,
    kind: 'zombie',
    host: host(),
    when: zombies++ % 2 === 0 ? 'midCall' : 'anytime',
  }));
  if (settings.store === 'postgres') {
    faults(settings.postgresRestarts, (at) => ({
      at,
      kind: 'postgresRestart',
      mode: random() < 0.5 ? 'fast' : 'immediate',
    }));
    faults(settings.terminations, (at) => ({ at, kind: 'terminate' }));
  }
  return events.sort((a, b) => a.at - b.at);
}
