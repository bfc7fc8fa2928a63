// The supervisor's metrics through OpenTelemetry: a real MeterProvider of the SDK with a reader
// the test collects from, the supervisor against the simulator on a virtual clock.
import { type Attributes, metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { recwatchMeter } from '../../src/runtime/index.js';
import { type SimOptions, type SimSupervised, simSupervised } from '../fixtures/sim-supervised.js';

const MINUTE = 60_000;

/** A reader the test collects from when it wants (no timer, no export). */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

interface Metered {
  readonly reader: CollectingReader;
  readonly provider: MeterProvider;
}

function meterProvider(): Metered {
  const reader = new CollectingReader();
  return { reader, provider: new MeterProvider({ readers: [reader] }) };
}

let harness: SimSupervised | undefined;
let metered: Metered | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await metered?.provider.shutdown();
  metered = undefined;
  metrics.disable();
});

async function open(options: SimOptions & { global?: boolean; off?: boolean }) {
  metered = meterProvider();
  if (options.global === true) metrics.setGlobalMeterProvider(metered.provider);
  const meterProviderOption =
    options.off === true ? false : options.global === true ? undefined : metered.provider;
  harness = await simSupervised({
    ...options,
    supervisor: {
      ...options.supervisor,
      ...(meterProviderOption !== undefined && { meterProvider: meterProviderOption }),
    },
  });
  return { h: harness, reader: metered.reader };
}

const start = (h: SimSupervised, i: number) =>
  h.supervisor.start({ recording: `r${i}`, cname: `room${i}`, uid: String(1000 + i), mode: 'mix' });

/** The data points of the metric named `name` in the scope `recwatch`. */
async function points(reader: CollectingReader, name: string): Promise<DataPoint<unknown>[]> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return pointsIn(resourceMetrics, name);
}

function pointsIn(collected: ResourceMetrics, name: string): DataPoint<unknown>[] {
  const scope = collected.scopeMetrics.find((one) => one.scope.name === 'recwatch');
  const metric = scope?.metrics.find((one) => one.descriptor.name === name);
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
}

/** The value of the point whose attributes include `attributes` (0 when there is none). */
async function value(
  reader: CollectingReader,
  name: string,
  attributes: Attributes = {},
): Promise<number> {
  const matching = (await points(reader, name)).filter((point) =>
    Object.entries(attributes).every(([key, wanted]) => point.attributes[key] === wanted),
  );
  return matching.reduce((sum, point) => sum + (point.value as number), 0);
}

describe('the supervisor measured through OpenTelemetry', () => {
  it('a start is counted as starting, then recording; its inputs, calls and appends are measured', async () => {
    const { h, reader } = await open({ seed: 11 });
    expect(await value(reader, 'recwatch.recordings', { state: 'starting' })).toBe(0);
    await start(h, 0);
    expect(await value(reader, 'recwatch.recordings', { state: 'starting' })).toBe(1);
    expect(await value(reader, 'recwatch.recordings', { state: 'recording' })).toBe(0);
    await h.advance(MINUTE);
    expect(await value(reader, 'recwatch.recordings', { state: 'starting' })).toBe(0);
    expect(await value(reader, 'recwatch.recordings', { state: 'recording' })).toBe(1);
    expect(await value(reader, 'recwatch.agora.calls', { call: 'start', outcome: 'ok' })).toBe(1);
    expect(await value(reader, 'recwatch.events', { type: 'started' })).toBe(1);
    expect(await value(reader, 'recwatch.inputs', { decision: 'applied' })).toBeGreaterThan(1);
    const appends = (await points(
      reader,
      'recwatch.log.append.duration',
    )) as DataPoint<Histogram>[];
    expect(appends).toHaveLength(1);
    // One append per input the journal received: at least the start, startSent and started.
    expect(appends[0]?.value.count).toBeGreaterThanOrEqual(3);
    expect(appends[0]?.value.sum).toBeGreaterThan(0);
    const { resourceMetrics } = await reader.collect();
    const scope = resourceMetrics.scopeMetrics.find((one) => one.scope.name === 'recwatch');
    const unit = scope?.metrics.find(
      (one) => one.descriptor.name === 'recwatch.log.append.duration',
    )?.descriptor.unit;
    expect(unit).toBe('s');
  });

  it('an idle exit is counted as a quit with reason idle, and no restart', async () => {
    const { h, reader } = await open({
      seed: 2,
      hosts: { room0: [{ uid: 77, fromMs: 0, toMs: 2 * MINUTE }] },
    });
    await start(h, 0);
    await h.advance(MINUTE);
    expect(await value(reader, 'recwatch.quits')).toBe(0);
    await h.advance(9 * MINUTE);
    expect(h.supervisor.get('r0')?.quitReason).toBe('idle');
    expect(await value(reader, 'recwatch.quits', { reason: 'idle' })).toBe(1);
    expect(await value(reader, 'recwatch.quits')).toBe(1);
    expect(await value(reader, 'recwatch.restarts')).toBe(0);
    expect(await value(reader, 'recwatch.recordings', { state: 'recording' })).toBe(0);
  });

  it("429s are counted by call, and the budget in use follows the supervisor's queue", async () => {
    const { h, reader } = await open({
      seed: 9,
      profile: 'flakyApi',
      overrides: {
        api: {
          startServerError: 0,
          startNotCompleted: 0,
          queryServerError: 0,
          queryNotCompleted: 0,
          rateLimitBurst: 0.2,
        },
      },
    });
    expect(await value(reader, 'recwatch.agora.qps.budget.used')).toBe(0);
    for (let i = 0; i < 5; i += 1) await start(h, i);
    await h.settle();
    // Five acquires went out at once on a 10 QPS budget: half of it is in use this second.
    expect(await value(reader, 'recwatch.agora.qps.budget.used')).toBe(
      h.supervisor.usage().sentLastSecond / 10,
    );
    expect(await value(reader, 'recwatch.agora.qps.budget.used')).toBeGreaterThan(0);
    await h.advance(20 * MINUTE);
    const limited = await value(reader, 'recwatch.agora.rate_limited');
    expect(limited).toBeGreaterThan(0);
    expect(await value(reader, 'recwatch.agora.calls', { outcome: 'rateLimited' })).toBe(limited);
    // A shared log holds leases; this one does not: the gauge has no point.
    expect(await points(reader, 'recwatch.leases')).toEqual([]);
  });

  it('the global provider is used when none is given, and false measures nothing', async () => {
    const on = await open({ seed: 11, global: true });
    await start(on.h, 0);
    expect(await value(on.reader, 'recwatch.recordings', { state: 'starting' })).toBe(1);
    await harness?.close();
    harness = undefined;
    await metered?.provider.shutdown();
    metrics.disable();

    const off = await open({ seed: 11, global: true, off: true });
    await start(off.h, 0);
    await off.h.advance(MINUTE);
    const { resourceMetrics } = await off.reader.collect();
    expect(resourceMetrics.scopeMetrics).toEqual([]);
  });

  it('with no provider registered the meter is the no-op one and nothing is followed', () => {
    expect(recwatchMeter(undefined)).toBeNull();
    expect(recwatchMeter(false)).toBeNull();
    const { provider } = meterProvider();
    expect(recwatchMeter(provider)).not.toBeNull();
  });
});
