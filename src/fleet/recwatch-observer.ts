// recwatch as a fleet observer: a supervisor in the same process, its webhook handler served by
// the harness, its pictures mapped to the three classes the score compares.
import type { DomainEvent } from '../../machines/index.js';
import { createWebhookHandler } from '../agora/index.js';
import type { EventLog } from '../log/index.js';
import { createSupervisor, type Supervisor, type SupervisorOptions } from '../runtime/index.js';
import type { RecordingMode } from '../signals/index.js';
import type { Belief, FleetObserver, ObserverContext } from '../sim/baselines/index.js';

/** Options of `recwatchObserver`. */
export interface RecwatchObserverOptions {
  /** The supervisor's log: a SQLite path, `'memory'` (default) or an EventLog. */
  readonly log?: string | EventLog;
  /** Every domain event, as it happens. */
  readonly onEvent?: (event: DomainEvent) => void;
  /** Called for every request to the webhook (duplicates included, which the log never stores). */
  readonly onWebhook?: () => void;
  /** Seed of the supervisor's query jitter (the supervisor's `seed`); default the supervisor's. */
  readonly seed?: number;
  readonly logger?: SupervisorOptions['logger'];
}

/** The three classes of the score, from recwatch's lifecycle states (docs/lifecycle.md). */
export function beliefOf(state: string | undefined): Belief {
  if (state === 'starting' || state === 'recording' || state === 'failoverPending') return 'live';
  if (state === 'stopping') return 'live';
  if (state === 'stopped') return 'stopped';
  return 'ended';
}

/**
 * A fleet observer backed by a real supervisor (and the supervisor, for the demo's view). The
 * supervisor gets what any host gives (credentials, its clientRequest, a log, a clock) and
 * nothing else: every lifecycle option is recwatch's shipped default.
 */
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
    clock: context.clock,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
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
      // `raw` (Individual Recording v2) goes through as a host would send it, known or not.
      const asked = { recording, cname, uid, mode: mode as RecordingMode };
      await supervisor.start({ ...asked, backupUid: String(Number(uid) + 1) });
    },
    async stop(recording) {
      await supervisor.stop(recording);
    },
    belief: (recording) => beliefOf(supervisor.get(recording)?.state),
    settle: () => supervisor.settle(),
    close: () => supervisor.close(),
  };
}
