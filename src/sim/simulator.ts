// startSimulator: a fake Agora cloud recording service on loopback, with faults, seeds and truth.
import { type Clock, systemClock } from '../clock/index.js';
import type { HostSpan } from './channel.js';
import { Delivery, type DeliveryRecord } from './delivery.js';
import { SimulatorOptionsError } from './errors.js';
import type { ScheduledFault } from './fault-schedule.js';
import { type IdMode, seededIds, uniqueIds } from './ids.js';
import { Prng } from './prng.js';
import {
  type Profile,
  type ProfileName,
  type ProfileOverrides,
  resolveProfile,
} from './profiles.js';
import { listen } from './server.js';
import { type RequestRecord, Service } from './service.js';
import { type TrueRecording, type TruthRecord, truthToJsonl } from './truth.js';

/** Options of `startSimulator`; every one has a default. */
export interface SimulatorOptions {
  /** Seeds every draw: the same seed, options and virtual clock give the same run. Default 1. */
  readonly seed?: number;
  /** A built-in profile's name or a whole profile. Default `clean`. */
  readonly profile?: ProfileName | Profile;
  /** Values that replace the profile's, e.g. `{ delivery: { lost: 0.3 } }`. */
  readonly overrides?: ProfileOverrides;
  /** The simulator's time. Default the system clock; `scaledClock({speed})` or a `VirtualClock`. */
  readonly clock?: Clock;
  /** Where notifications are posted; without one, they are recorded as not sent. */
  readonly webhookUrl?: string;
  /** The secret notifications are signed with. Default drawn from the seed. */
  readonly secret?: string;
  /** The App ID of the REST paths. Default drawn from the seed (32 hex digits). */
  readonly appId?: string;
  /** Basic auth user. Default drawn from the seed. */
  readonly customerId?: string;
  /** Basic auth password. Default drawn from the seed. */
  readonly customerSecret?: string;
  /** Loopback port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Requests per second per App ID before 429. Default 10. */
  readonly qpsLimit?: number;
  /** Recordings at once per App ID before start is refused. Default 50. */
  readonly concurrencyLimit?: number;
  /** How long a resource id stays usable for start, ms. Default 5 min. */
  readonly resourceTtlMs?: number;
  /** Waits before each notification retry, ms. Default `[3000, 9000, 27000]` (3 retries). */
  readonly retryDelaysMs?: readonly number[];
  /** A delivery not answered 200 within this long failed, ms. Default 10 000. */
  readonly ackTimeoutMs?: number;
  /** Fixed host schedules by channel name, in ms after the channel is first seen; others are drawn. */
  readonly hosts?: Readonly<Record<string, readonly HostSpan[]>>;
  /** Whether `sequence` goes on after a failover or starts again from 0 (Agora does not say). Default `continue`. */
  readonly sequenceAfterFailover?: 'continue' | 'restart';
  /**
   * Where sids, resource ids and noticeIds come from: `unique` (default: random, never the same
   * twice, even for one seed run again) or `seeded` (from the seed: the same run byte for byte).
   * Faults follow the seed either way.
   */
  readonly ids?: IdMode;
}

/** What a client needs to call the simulator. */
export interface SimulatorCredentials {
  readonly appId: string;
  readonly customerId: string;
  readonly customerSecret: string;
  /** The `Authorization` header value: `Basic base64(customerId:customerSecret)`. */
  readonly authorization: string;
  /** The secret notifications are signed with. */
  readonly secret: string;
}

/** Counts for a one-line account of a run. */
export interface SimulatorSummary {
  readonly requests: number;
  readonly recordings: number;
  readonly startRefusals: number;
  readonly failovers: number;
  readonly quits: Readonly<Record<string, number>>;
  readonly deliveries: number;
  readonly acknowledged: number;
  readonly lost: number;
}

/** A running simulator. */
export interface Simulator {
  /** `http://127.0.0.1:<port>`: REST paths go under `/v1/apps/<appId>/cloud_recording/`. */
  readonly baseUrl: string;
  readonly credentials: SimulatorCredentials;
  /** The resolved profile in use. */
  readonly profile: Profile;
  /** What really happened: one record per sid (and per refused start), live objects copied. */
  truth(): TruthRecord[];
  /** The recordings of `truth()` (refused starts left out), in start order. */
  recordings(): TrueRecording[];
  /** `truth()` as JSON Lines. */
  truthJsonl(): string;
  /** Every REST request received, with its answer. */
  requests(): RequestRecord[];
  /** Every notification attempt, with its attempt number, fault and outcome. */
  deliveries(): DeliveryRecord[];
  /**
   * The life faults drawn for a channel up to `until` (clock ms): the same for one seed and
   * profile whatever calls a client makes. A fault strikes the channel's recorder if one is
   * recording at its time (web faults only a web recorder); see each recording's `faults`.
   */
  scheduledFaults(cname: string, until: number): ScheduledFault[];
  /**
   * Resolves when no request is being answered and no delivery is in flight or waiting its turn.
   * With a `VirtualClock`, alternate `clock.advanceBy(ms)` and `await sim.settle()`. A webhook that
   * never answers keeps a delivery in flight until the clock passes the ack timeout.
   * `quietTurns` (default 3) is how many turns of the event loop must pass with nothing to do:
   * raise it when your client takes several turns to send its next call after an answer.
   */
  settle(options?: { readonly quietTurns?: number }): Promise<void>;
  /** Counts of what happened so far. */
  summary(): SimulatorSummary;
  /**
   * A number that grows with every request answered and every delivery attempt (cheap: a
   * harness can poll it to see whether anything happened between two turns of the event loop).
   */
  activity(): number;
  /** Stops the server, the recordings' timers and the deliveries. */
  close(): Promise<void>;
}

/**
 * Starts a fake Agora cloud recording service on loopback: REST API, notifications to
 * `webhookUrl`, failovers and faults by profile, and the ground truth of every recording.
 * @throws SimulatorOptionsError for an unknown profile, a bad rate, seed, port or URL.
 * @example
 * const clock = new VirtualClock(Date.UTC(2026, 0, 1));
 * const sim = await startSimulator({ seed: 7, profile: 'failoverStorm', clock, webhookUrl });
 * // point the Agora client at sim.baseUrl with sim.credentials; then
 * clock.advanceBy(60_000); await sim.settle();
 * console.log(sim.truthJsonl());
 * await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new SimulatorOptionsError('seed must be an integer');
  const profile = resolveProfile(options.profile, options.overrides);
  const webhookUrl = checkUrl(options.webhookUrl);
  const qpsLimit = positive(options.qpsLimit ?? 10, 'qpsLimit');
  const concurrencyLimit = positive(options.concurrencyLimit ?? 50, 'concurrencyLimit');
  const resourceTtlMs = positive(options.resourceTtlMs ?? 300_000, 'resourceTtlMs');
  const ackTimeoutMs = positive(options.ackTimeoutMs ?? 10_000, 'ackTimeoutMs');
  const retryDelaysMs = options.retryDelaysMs ?? [3_000, 9_000, 27_000];
  for (const delay of retryDelaysMs) positive(delay, 'retryDelaysMs');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SimulatorOptionsError('port must be an integer in 0..65535');
  }
  const clock = options.clock ?? systemClock();
  const idMode = options.ids ?? 'unique';
  if (idMode !== 'unique' && idMode !== 'seeded')
    throw new SimulatorOptionsError("ids must be 'unique' or 'seeded'");
  const root = new Prng(seed);
  // Every other stream is derived by name (Prng.derive), so no draw shifts another's.
  const deliveryPrng = Prng.derive(seed, 'delivery');
  const appId = options.appId ?? root.hex(32);
  const customerId = options.customerId ?? root.hex(32);
  const customerSecret = options.customerSecret ?? root.hex(32);
  const secret = options.secret ?? root.hex(32);
  const ids = idMode === 'seeded' ? seededIds(Prng.derive(seed, 'ids')) : uniqueIds();
  const authorization = `Basic ${Buffer.from(`${customerId}:${customerSecret}`).toString('base64')}`;
  const delivery = new Delivery({
    clock,
    prng: deliveryPrng,
    faults: profile.delivery,
    webhookUrl,
    secret,
    retryDelaysMs,
    ackTimeoutMs,
  });
  const service = new Service(
    {
      clock,
      profile,
      appId,
      authorization,
      qpsLimit,
      concurrencyLimit,
      resourceTtlMs,
      hosts: options.hosts ?? {},
      sequenceAfterFailover: options.sequenceAfterFailover ?? 'continue',
      seed,
      origin: clock.now(),
      ids,
    },
    delivery,
  );
  const server = await listen(service, options.host ?? '127.0.0.1', port);
  let closed = false;
  const truth = () => structuredClone(service.truth);
  return {
    baseUrl: server.baseUrl,
    credentials: { appId, customerId, customerSecret, authorization, secret },
    profile,
    truth,
    recordings: () => truth().filter((record) => record.type === 'recording'),
    truthJsonl: () => truthToJsonl(service.truth),
    requests: () => structuredClone(service.records),
    deliveries: () => structuredClone([...delivery.list()]),
    scheduledFaults: (cname, until) => service.scheduledFaults(cname, until),
    settle: (settleOptions) => settle(service, delivery, settleOptions?.quietTurns ?? 3),
    summary: () => summarize(service.records.length, service.truth, delivery.list()),
    activity: () => service.records.length + delivery.list().length,
    async close() {
      if (closed) return;
      closed = true;
      service.close();
      delivery.close();
      await server.close();
    },
  };
}

async function settle(service: Service, delivery: Delivery, quietTurns: number): Promise<void> {
  // A few turns of the event loop with nothing to do: work started by a response just sent
  // (the client's next call, a delivery it triggers) gets the chance to show up.
  for (let quiet = 0; quiet < quietTurns; ) {
    if (service.busy || delivery.busy) {
      quiet = 0;
      await Promise.all([service.idle(), delivery.idle()]);
    } else {
      quiet++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function summarize(
  requests: number,
  truth: readonly TruthRecord[],
  deliveries: readonly DeliveryRecord[],
): SimulatorSummary {
  const quits: Record<string, number> = {};
  let recordings = 0;
  let refusals = 0;
  let failovers = 0;
  for (const record of truth) {
    if (record.type === 'startRefused') {
      refusals++;
      continue;
    }
    recordings++;
    failovers += record.failovers.length;
    if (record.quit !== null) quits[record.quit.cause] = (quits[record.quit.cause] ?? 0) + 1;
  }
  return {
    requests,
    recordings,
    startRefusals: refusals,
    failovers,
    quits,
    deliveries: deliveries.filter((d) => d.outcome?.kind !== 'notSent').length,
    acknowledged: deliveries.filter(
      (d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200,
    ).length,
    lost: deliveries.filter((d) => d.fault === 'lost').length,
  };
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new SimulatorOptionsError(`${name} must be a finite number > 0`);
  }
  return value;
}

function checkUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SimulatorOptionsError('webhookUrl must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SimulatorOptionsError('webhookUrl must be an absolute http(s) URL');
  }
  return url;
}
