// What the supervisor's OpenTelemetry metrics cost (figures only, no target): webhooks received
// through `receiveWebhook` on the memory log (so the append is cheap and the measuring shows),
// with no provider registered (the API's no-op: nothing followed), with `meterProvider: false`,
// and with an SDK MeterProvider; rounds in a rotating order (A B C, B C A, C A B...), each after
// the same gc(), the median per side.
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createSupervisor } from '../src/index.js';
import { UNREACHABLE_AGORA } from './live-fleet.js';
import { median, round, type SuiteContext } from './row.js';

/** A reader nobody collects from: the instruments record, nothing is exported. */
class IdleReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const SIDES = ['noProvider', 'off', 'sdkProvider'] as const;
type Side = (typeof SIDES)[number];

async function webhooks(side: Side, count: number): Promise<number> {
  const supervisor = await createSupervisor({
    agora: UNREACHABLE_AGORA,
    clientRequest: () => ({}),
    log: 'memory',
    ...(side === 'off' && { meterProvider: false as const }),
    ...(side === 'sdkProvider' && {
      meterProvider: new MeterProvider({ readers: [new IdleReader()] }),
    }),
  });
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    await supervisor.receiveWebhook({
      noticeId: `n${i}`,
      productId: 3,
      eventType: 4,
      notifyMs: 1,
      payload: {
        cname: 'room',
        uid: '1',
        sid: 'S',
        sequence: i + 1,
        sendts: 1,
        serviceType: 0,
        details: { msgName: 'cloud_recording_file_infos', fileList: `f${i}.m3u8` },
      },
    });
  }
  const ms = performance.now() - started;
  await supervisor.close();
  return ms;
}

/** µs per webhook of each side (median of the rounds). */
export async function runTelemetryBench(context: SuiteContext): Promise<Record<string, unknown>> {
  const count = context.tiny ? 200 : 4_000;
  const rounds = context.tiny ? 2 : 15;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const side of SIDES) await webhooks(side, count);
  const samples: Record<Side, number[]> = { noProvider: [], off: [], sdkProvider: [] };
  for (let r = 0; r < rounds; r += 1) {
    for (let k = 0; k < SIDES.length; k += 1) {
      const side = SIDES[(r + k) % SIDES.length] as Side;
      gc?.();
      samples[side].push(await webhooks(side, count));
    }
  }
  const perWebhook = (side: Side) => round((median(samples[side]) / count) * 1_000);
  return {
    what: `${count} webhooks through receiveWebhook on the memory log, ${rounds} rounds per side in a rotating order, median µs per webhook`,
    noProviderMicros: perWebhook('noProvider'),
    offMicros: perWebhook('off'),
    sdkProviderMicros: perWebhook('sdkProvider'),
  };
}
