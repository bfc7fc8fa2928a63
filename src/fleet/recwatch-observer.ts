// recwatch as a fleet observer: a supervisor in the same process, its webhook handler served by
// the harness, its pictures mapped to the three classes the score compares.
import type { DomainEvent } from '../../machines/index.js';
import { createWebhookHandler } from '../agora/index.js';
import type { EventLog } from '../log/index.js';
import { createSupervisor, type Supervisor, type SupervisorOptions } from '../runtime/index.js';
import type { Belief, FleetObserver, ObserverContext } from '../sim/baselines/index.js';

/** Options of `recwatchObserver`. */
export interface RecwatchObserverOptions {
  /** The supervisor's log: a SQLite path, `'memory'` (default) or an EventLog. */
  readonly log?: string | EventLog;
  /** Every domain event, as it happens. */
  readonly onEvent?: (event: DomainEvent) => void;
  /** Called for every request to the webhook (duplicates included, which the log never stores). */
  readonly onWebhook?: () => void;
  /** Seed of the supervisor's query jitter. Default 1. */
  readonly seed?: number;
  readonly logger?: SupervisorOptions['logger'];
}

/**
 * 404 probing that outlasts Agora's stated 90 s failover bound (agora-cloud-recording.md §3): the
 * default 5, 10, 15 s (docs/lifecycle.md rule 3) gives up after 30 s, and a server lost for 60–90 s
 * with no notification in between would be restarted while it is moving, then resume: two
 * recorders. A host tunable; the demo and the scenarios use this one (docs/truth-under-faults.md).
 */
export const FAILOVER_COVERING_BACKOFF_MS: readonly number[] = [
  5_000, 10_000, 15_000, 30_000, 35_000,
];

/** The three classes of the score, from recwatch's lifecycle states (docs/lifecycle.md). */
export function beliefOf(state: string | undefined): Belief {
  if (state === 'starting' || state === 'recording' || state === 'failoverPending') return 'live';
  if (state === 'stopping') return 'live';
  if (state === 'stopped') return 'stopped';
  return 'ended';
}

/** A fleet observer backed by a real supervisor (and the supervisor, for the demo's view). */
export async function recwatchObserver(
  context: ObserverContext,
  options: RecwatchObserverOptions = {},
): Promise<FleetObserver & { readonly supervisor: Supervisor }> {
  const supervisor = await createSupervisor({
    agora: {
      appId: context.credentials.appId,
      customerId: context.credentials.customerId,
      customerSecret: context.credentials.customerSecret,
      baseUrl: context.baseUrl,
    },
    clientRequest: () => ({
      token: 'demo-token',
      recordingConfig: { maxIdleTime: 30 },
      storageConfig: { vendor: 1, region: 0, bucket: 'b', accessKey: 'ak', secretKey: 'sk' },
    }),
    log: options.log ?? 'memory',
    core: { recording: { notFoundBackoffMs: FAILOVER_COVERING_BACKOFF_MS } },
    clock: context.clock,
    seed: options.seed ?? 1,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const handler = createWebhookHandler(supervisor, { secret: context.credentials.secret });
  supervisor.on('restarting', (event) => context.onRestart(event.recording, context.clock.now()));
  if (options.onEvent !== undefined) supervisor.events$.subscribe(options.onEvent);
  return {
    name: 'recwatch',
    supervisor,
    webhook: (request, response) => {
      options.onWebhook?.();
      handler.node(request, response);
    },
    async start(plan) {
      const { recording, cname, uid, mode } = plan;
      await supervisor.start({ recording, cname, uid, mode, backupUid: String(Number(uid) + 1) });
    },
    async stop(recording) {
      await supervisor.stop(recording);
    },
    belief: (recording) => beliefOf(supervisor.get(recording)?.state),
    settle: () => supervisor.settle(),
    close: () => supervisor.close(),
  };
}
