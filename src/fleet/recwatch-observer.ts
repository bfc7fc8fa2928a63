// recwatch as a fleet observer: a supervisor in the same process, its webhook handler served by
// the harness, its pictures mapped to the three classes the score compares.
import type { DomainEvent } from '../../machines/index.js';
import { createWebhookHandler } from '../agora/index.js';
import { createMemoryLog, type EventLog, openSqliteLog } from '../log/index.js';
import { createSupervisor, type Supervisor, type SupervisorOptions } from '../runtime/index.js';
import type { RecordingMode } from '../signals/index.js';
import type { Belief, FleetObserver, ObserverContext } from '../sim/baselines/index.js';
import { CountedLog } from './counted-log.js';

/** Options of `recwatchObserver`. */
export interface RecwatchObserverOptions {
  /**
   * The supervisor's log: a SQLite path (opened with the shipped defaults), `'memory'` (default)
   * or an EventLog (used as one supervisor's own, not shared with other instances).
   */
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
 * nothing else: every lifecycle option is recwatch's shipped default. Its log's writes are
 * counted (`ownIo`), so the harness never moves the clock while a commit is under way.
 */
export async function recwatchObserver(
  context: ObserverContext,
  options: RecwatchObserverOptions = {},
): Promise<FleetObserver & { readonly supervisor: Supervisor }> {
  // A path is opened here (and closed after the supervisor), so its writes can be counted too.
  const given = options.log ?? 'memory';
  const opened =
    given === 'memory'
      ? createMemoryLog()
      : typeof given === 'string'
        ? await openSqliteLog(given)
        : null;
  const log = new CountedLog(opened ?? (given as EventLog));
  let supervisor: Supervisor;
  try {
    supervisor = await createSupervisor({
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
      log,
      clock: context.clock,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  } catch (error) {
    await opened?.close();
    throw error;
  }
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
    ownIo: log,
    async close() {
      try {
        await supervisor.close();
      } finally {
        await opened?.close();
      }
    },
  };
}
