// fast-check arbitraries of realistic fleets with network faults, built on the scenario scripts.
import fc from 'fast-check';
import { type Faults, fleetTrace, type RecordingScript } from '../fixtures/scenario.js';

export const scriptArb: fc.Arbitrary<Omit<RecordingScript, 'recording' | 't0'>> = fc.record({
  minutes: fc.integer({ min: 1, max: 4 }),
  failovers: fc.integer({ min: 0, max: 4 }),
  ending: fc.constantFrom('none', 'exit', 'idle', 'stop'),
  restartReports: fc.boolean(),
  chatterPerMinute: fc.integer({ min: 0, max: 3 }),
});

export const faultsArb: fc.Arbitrary<Faults> = fc.record({
  duplicate: fc.double({ min: 0, max: 0.3, noNaN: true }),
  delay: fc.double({ min: 0, max: 0.3, noNaN: true }),
  maxDelayMs: fc.constantFrom(500, 1_900, 5_000, 20_000),
  loss: fc.double({ min: 0, max: 0.1, noNaN: true }),
});

/** A small fleet's trace: 1–3 recordings, random scripts and faults, seeded. */
export const fleetArb = fc
  .record({
    recordings: fc.integer({ min: 1, max: 3 }),
    script: scriptArb,
    faults: faultsArb,
    seed: fc.integer(),
  })
  .map(({ recordings, script, faults, seed }) => fleetTrace(recordings, script, faults, seed));
