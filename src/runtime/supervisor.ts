// The supervisor: recwatch embedded in a host. Every input (host command, webhook body, REST
// answer, timer firing) goes through the journal, durable first; the core's effects run here
// through one scheduler, and their answers come back as inputs.
import { filter, type Observable, Subject, type Subscription } from 'rxjs';
import { currentSession, type DomainEvent, type Effect } from '../../machines/index.js';
import {
  type AgoraAnswer,
  type AgoraClient,
  type CallOptions,
  createAgoraClient,
  type WebhookVerdict,
} from '../agora/index.js';
import { type Clock, systemClock } from '../clock/index.js';
import {
  type CoreOptions,
  type CoreOutput,
  type CoreState,
  nextWakeOf,
  type RecordingManifest,
} from '../core/index.js';
import {
  InvalidCommandError,
  NoSessionError,
  RecordingExistsError,
  SupervisorClosedError,
  UnknownRecordingError,
} from '../errors/index.js';
import { createMemoryLog, type EventLog } from '../log/index.js';
import { type CallOutcome, normalizeInput, type TraceRecord } from '../signals/index.js';
import { memberLease } from './claim-plan.js';
import { DeadlineTimer } from './deadline-timer.js';
import { Journal, type JournalStep, type Received } from './journal.js';
import { type LegacyStartIntent, readNoteIntent, takeSlotIntents } from './legacy-intents.js';
import { claimLog, type LogClaim } from './log-claim.js';
import { describe, messageOf, nameOf } from './log-lines.js';
import { isSharedLog, Ownership, type SharedLog } from './ownership.js';
import { type CallPriority, RestScheduler, seededRandom } from './scheduler.js';
import {
  ALONE,
  activeRecordings,
  defaultInstance,
  Follower,
  type Sharing,
  sharedBy,
} from './sharing.js';
import { checkStart } from './start-command.js';
import { StartQueue } from './start-queue.js';
import type {
  DomainEventOf,
  SharedInstance,
  StartCommand,
  Supervisor,
  SupervisorUsage,
  UpdateCommand,
} from './supervisor-api.js';
import { HostRequestFailure } from './supervisor-host-request.js';
import { SupervisorInspection } from './supervisor-inspect.js';
import { SupervisorManifests } from './supervisor-manifest.js';
import {
  checkSupervisorOptions,
  defaultAcquireRequest,
  type Logger,
  type StartAttemptInfo,
  SUPERVISOR_DEFAULTS,
  type SupervisorOptions,
} from './supervisor-options.js';
import { type SupervisedRecording, supervisedPicture } from './supervisor-picture.js';
import { recordingOf, type SessionEffect, sessionRef } from './supervisor-session.js';
import { instrumentSupervisor, recwatchMeter, type SupervisorTelemetry } from './telemetry.js';

/**
 * Creates a supervisor: opens (or resumes) its event log, rebuilds every recording, re-arms the
 * earliest deadline, re-queries what is stale and settles what was in flight when the host died.
 * @throws ConfigurationError for options that cannot work (before anything is opened).
 * @example
 * const supervisor = await createSupervisor({
 *   agora: { appId, customerId, customerSecret },
 *   clientRequest: () => ({ token, recordingConfig, storageConfig }),
 * });
 * await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
 */
export async function createSupervisor(options: SupervisorOptions): Promise<Supervisor> {
  checkSupervisorOptions(options);
  const clock = options.clock ?? systemClock();
  const agora = createAgoraClient({ ...options.agora, clock });
  const { log, owned, lock } = await openLog(
    options.log ?? SUPERVISOR_DEFAULTS.log,
    options.sqlite,
  );
  // Metrics only when a MeterProvider is there: none registered costs nothing.
  const meter = recwatchMeter(options.meterProvider);
  const telemetry: { current?: SupervisorTelemetry } = {};
  try {
    const inspection = new SupervisorInspection(options.inspect, options.logger ?? {});
    // The host's options go in the log when they differ from the log's (rule 12).
    const journal = await Journal.open(log, {
      // The state before each step costs a snapshot per step: taken only for an observer.
      ...(options.inspect === undefined
        ? { onStepped: (step: JournalStep) => inspection.stepped(step) }
        : { onStep: (step: JournalStep, before: CoreState) => inspection.step(step, before) }),
      core: coreOptionsOf(options),
      now: () => clock.now(),
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
      ...(meter !== null && { onAppend: (ms: number) => telemetry.current?.appended(ms) }),
    });
    inspection.announce(journal.state);
    const supervisor = new SupervisorRuntime(
      options,
      clock,
      agora,
      log,
      owned,
      journal,
      inspection,
    );
    supervisor.whenClosed(() => lock?.release());
    if (meter !== null) {
      // Before the resume, so its appends and events are measured too.
      const instruments = instrumentSupervisor(meter, supervisor);
      telemetry.current = instruments;
      supervisor.whenClosed(() => instruments.close());
    }
    // On a shared log, each recording is resumed by the instance that takes it.
    if (isSharedLog(log)) await supervisor.share(log, options.instance ?? defaultInstance());
    else await supervisor.resumeAll();
    return supervisor;
  } catch (error) {
    telemetry.current?.close();
    if (owned) await log.close().catch(() => {});
    lock?.release();
    throw error;
  }
}

/** The core options the supervisor runs with: the host's, and `settleStartMs` where it is given. */
function coreOptionsOf(options: SupervisorOptions): Partial<CoreOptions> {
  const core = options.core ?? {};
  if (options.settleStartMs === undefined) return core;
  return { ...core, recording: { ...core.recording, settleStartMs: options.settleStartMs } };
}

async function openLog(
  log: string | EventLog,
  sqlite: SupervisorOptions['sqlite'],
): Promise<{ log: EventLog; owned: boolean; lock: LogClaim | null }> {
  // A SQLite log is driven by one supervisor: openSqliteLog holds its file's writer lock, and a
  // log the host opened is claimed, so two supervisors are never handed one.
  if (typeof log !== 'string') return { log, owned: false, lock: claimLog(log) };
  if (log === 'memory') return { log: createMemoryLog(), owned: true, lock: null };
  // Loaded when used, so a host on another store never loads better-sqlite3.
  const { openSqliteLog } = await import('../log/sqlite-store.js');
  return { log: await openSqliteLog(log, sqlite), owned: true, lock: null };
}

class SupervisorRuntime implements Supervisor {
  private readonly events = new Subject<DomainEvent>();
  readonly events$: Observable<DomainEvent> = this.events.asObservable();
  private readonly scheduler: RestScheduler;
  private readonly timer: DeadlineTimer;
  private readonly logger: Logger;
  // Work in progress that is not a wait on the clock: appends, calls, reads.
  private readonly busy = new Set<Promise<unknown>>();
  /** The calls in `busy` that wait on the clock before a retry. */
  private readonly retryWaits = new RetryWaits();
  // One query or stop of a session at a time: a repeated effect joins the one under way.
  private readonly running = new Set<string>();
  // One start out per recording (rule 11); a later decision waits for it.
  private readonly starts = new StartQueue((what, work) => this.background(what, work));
  private readonly abort = new AbortController();
  private closing: Promise<void> | null = null;
  // How the log is shared: alone, or with other instances (set by `share`).
  private sharing: Sharing = ALONE;
  // On a shared log: this instance's leases, and the live feed of the others' entries.
  private ownership: Ownership | null = null;
  private feed: Subscription | null = null;
  private instance: SharedInstance | null = null;
  private readonly follower = new Follower(() =>
    this.background('follow the shared log', () => this.followLog()),
  );
  private readonly manifests: SupervisorManifests;

  constructor(
    private readonly options: SupervisorOptions,
    private readonly clock: Clock,
    private readonly agora: AgoraClient,
    private readonly log: EventLog,
    private readonly ownsLog: boolean,
    private readonly journal: Journal,
    private readonly inspection: SupervisorInspection,
  ) {
    this.logger = options.logger ?? {};
    this.manifests = new SupervisorManifests(log, () => journal.view, inspection.steps$);
    this.scheduler = new RestScheduler({
      clock,
      qps: options.qps ?? SUPERVISOR_DEFAULTS.qps,
      jitterMs: options.jitterMs ?? SUPERVISOR_DEFAULTS.jitterMs,
      random: seededRandom(options.seed ?? SUPERVISOR_DEFAULTS.seed),
    });
    this.timer = new DeadlineTimer(clock, () => this.tick());
  }

  // --- the one door into the journal --------------------------------------------------------

  /** Appends an input (durably) and acts on what the core decided. */
  private async receive(record: TraceRecord): Promise<Received> {
    if (this.closing !== null) throw new SupervisorClosedError();
    const fence = this.sharing.fenceOf(record);
    const received = await this.io(this.journal.receive(record, fence));
    // Stepped first by a catch-up with the other instances (a shared log): acted on there.
    if (received.actedBefore !== true) this.act(received.outputs);
    return received;
  }

  private act(outputs: readonly CoreOutput[]): void {
    for (const output of outputs) {
      if (output.kind === 'decision') {
        if (output.decision === 'rejected')
          this.logger.debug?.(`recwatch: rejected ${output.input}: ${output.reason ?? ''}`);
      } else if (output.kind === 'delivered') {
        // What the machines were given: the inspection has it from the journal's steps.
      } else if (!this.sharing.drives(output.recording)) {
        // On a shared log, the recording's owner emits its events and runs its effects.
        if (output.kind === 'effect' && output.type !== 'wakeAt')
          this.sharing.want(output.recording);
      } else if (output.kind === 'event') this.emit(output);
      else this.run(output);
    }
    if (this.closing === null) this.timer.arm(nextWakeOf(this.journal.view));
  }

  private emit(event: DomainEvent): void {
    this.logger.info?.(`recwatch: ${event.recording} ${describe(event)}`);
    this.events.next(event);
  }

  private tick(): void {
    this.background('tick', () => this.receive({ at: this.clock.now(), type: 'tick' }));
  }

  // --- effects -------------------------------------------------------------------------------

  private run(effect: Effect): void {
    if (this.closing !== null) return;
    const { recording } = effect;
    switch (effect.type) {
      case 'query': {
        const priority = effect.priority === 'poll' ? 'routineQuery' : 'urgentQuery';
        this.once(`${recording}/query/${effect.sid}`, () => this.query(effect, priority));
        return;
      }
      case 'stop':
        this.once(`${recording}/stop/${effect.sid}`, () => this.stopSession(effect));
        return;
      case 'acquireAndStart':
        this.starts.run(recording, () => this.acquireAndStart(effect));
        return;
      // `start` is the chart's answer to the `startSent` that acquireAndStart appends: that call
      // sends it (see there); one seen elsewhere (a replay, another instance's) is not ours.
      // wakeAt: the timer follows the core's wake queue (nextWakeOf) after every step.
    }
  }

  private once(key: string, work: () => Promise<unknown>): void {
    if (this.running.has(key)) return;
    this.running.add(key);
    this.background(key, work).finally(() => this.running.delete(key));
  }

  private async query(effect: SessionEffect, priority: CallPriority): Promise<void> {
    const session = sessionRef(effect);
    const sentAt = this.clock.now();
    const answer = await this.call(
      priority,
      (call) => this.agora.query(session, call),
      effect.recording,
    );
    if (answer === null) return;
    const { recording, sid } = effect;
    const at = this.clock.now();
    await this.receive({ at, sentAt, type: 'query', recording, sid, ...logged(answer) });
  }

  private async stopSession(effect: SessionEffect): Promise<void> {
    const session = sessionRef(effect);
    const sentAt = this.clock.now();
    const answer = await this.call(
      'stop',
      (call) => this.agora.stop(session, {}, call),
      effect.recording,
    );
    if (answer === null) return;
    const { recording, sid } = effect;
    await this.receive({
      at: this.clock.now(),
      sentAt,
      type: 'stopResult',
      recording,
      sid,
      ...logged(answer),
    });
  }

  /**
   * One start attempt (rules 11, 12): acquire, build the host's request, append `startSent`, and
   * send `start` only when the chart answers that with its `start` effect (a stop, or a newer
   * decision, may have come meanwhile). The answer is appended as `started` or `startFailed`.
   */
  private async acquireAndStart(
    effect: Extract<Effect, { type: 'acquireAndStart' }>,
  ): Promise<void> {
    const { recording, cname, uid, mode, restarts } = effect;
    const attempt: StartAttemptInfo = { cname, uid, mode, restarts };
    let sentAt = this.clock.now(); // when the call a startFailed or started answers was sent
    const startFailed = (answer: { httpStatus: number | null; body: unknown }) =>
      this.receive({ at: this.clock.now(), sentAt, type: 'startFailed', recording, ...answer });
    const acquireRequest = await this.hostRequest('acquireRequest', recording, attempt);
    if (acquireRequest instanceof HostRequestFailure)
      return void (await startFailed(logged(acquireRequest)));
    sentAt = this.clock.now();
    const acquired = await this.call(
      'acquire',
      (call) => this.agora.acquire({ cname, uid, clientRequest: acquireRequest }, call),
      recording,
    );
    if (acquired === null) return;
    if (acquired.resourceId === undefined) return void (await startFailed(logged(acquired)));
    const { resourceId } = acquired;
    // Built before `startSent`: once that is logged, a failure here would look like a lost start.
    const startRequest = await this.hostRequest('clientRequest', recording, attempt);
    if (startRequest instanceof HostRequestFailure)
      return void (await startFailed(logged(startRequest)));
    // Durable before the start is sent: a host dying now leaves a start the chart settles.
    const sent = await this.receive({
      at: this.clock.now(),
      type: 'startSent',
      recording,
      resourceId,
      uid,
    });
    const goAhead = sent.outputs.some(
      (output) =>
        output.kind === 'effect' &&
        output.type === 'start' &&
        output.recording === recording &&
        output.resourceId === resourceId,
    );
    if (!goAhead) return;
    sentAt = this.clock.now();
    const started = await this.call(
      'start',
      (call) =>
        this.agora.start({ resourceId, mode, cname, uid, clientRequest: startRequest }, call),
      recording,
    );
    // Closed mid-call: the next process's `resumed` settles it.
    if (started === null) return;
    if (started.sid === undefined) return void (await startFailed(logged(started)));
    await this.receive({
      at: this.clock.now(),
      sentAt,
      type: 'started',
      recording,
      resourceId,
      sid: started.sid,
      uid,
    });
  }

  // The host's callback builds the request; what it returns is sent and kept nowhere. One that
  // throws (its token service unreachable) is a failure to retry; one that returns no object is
  // a configuration error (see HostRequestFailure).
  private async hostRequest(
    which: 'acquireRequest' | 'clientRequest',
    recording: string,
    attempt: StartAttemptInfo,
  ): Promise<object | HostRequestFailure> {
    const factory =
      which === 'clientRequest'
        ? this.options.clientRequest
        : (this.options.acquireRequest ?? defaultAcquireRequest);
    try {
      const request = await factory(recording, attempt);
      if (request !== null && typeof request === 'object') return request;
      this.logger.error?.(`recwatch: ${which} for ${recording} did not return an object`);
      return new HostRequestFailure(which, 'returned');
    } catch (error) {
      // Only the error's name: its message could hold what the callback was building.
      this.logger.warn?.(
        `recwatch: ${which} for ${recording} threw ${nameOf(error)}; the start is retried`,
      );
      return new HostRequestFailure(which, 'threw');
    }
  }

  /**
   * A call through the app id's queue; null when the supervisor closed before it was answered,
   * or (on a shared log) when this instance no longer holds `recording`'s lease as it is sent.
   */
  private async call<T extends AgoraAnswer<CallOutcome | { kind: string }>>(
    priority: CallPriority,
    send: (call: CallOptions) => Promise<T>,
    recording?: string,
  ): Promise<T | null> {
    // The lease is checked before the first attempt and again before each retry.
    const retry = this.sharing.retryFence(recording);
    const call: CallOptions = {
      signal: this.abort.signal,
      ...(retry.beforeRetry !== undefined && { beforeRetry: retry.beforeRetry }),
      onRetryWait: (waiting) => this.retryWaits.change(waiting),
    };
    let answer: T | null;
    try {
      answer = await this.scheduler.schedule(priority, () =>
        this.io(this.sharing.call(recording, () => send(call))),
      );
    } catch (error) {
      if (error instanceof SupervisorClosedError) return null;
      throw error;
    }
    if (this.closing !== null || answer === null || retry.lapsed()) return null;
    if (answer.outcome.kind === 'rateLimited') {
      this.logger.warn?.('recwatch: Agora answered 429; the call queue slows down');
      this.scheduler.rateLimited();
    } else this.scheduler.answered();
    if (answer.httpStatus === null)
      this.logger.warn?.(`recwatch: no response from Agora (${answer.failure ?? 'unknown'})`);
    return answer;
  }

  // --- resume (rule 12: recovery is an input) ----------------------------------------------

  /**
   * Picks up where the last process stopped (see docs/operations.md): appends `resumed`, and the
   * chart decides what to resend, settle or re-query. Start intents an earlier version kept
   * outside the log are migrated into `startSent` records first.
   */
  async resumeAll(): Promise<void> {
    const { intents, clear } = await this.io(takeSlotIntents(this.log));
    for (const intent of intents) await this.migrate(intent);
    await this.io(clear());
    if (activeRecordings(this.journal.view).length === 0) return;
    const received = await this.receive({ at: this.clock.now(), type: 'resumed' });
    const effects = received.outputs.filter((output) => output.kind === 'effect').length;
    this.logger.info?.(
      `recwatch: resumed ${this.journal.view.recordings.size} recordings (${effects} effects)`,
    );
  }

  /** An earlier version's start intent, as the `startSent` it stands for (once, if still open). */
  private async migrate(intent: LegacyStartIntent): Promise<void> {
    const context = recordingOf(this.journal.view, intent.recording)?.context;
    if (context?.attempt?.uid !== intent.uid || context.attempt.resourceId !== null) return;
    await this.receive({ at: this.clock.now(), type: 'startSent', ...intent });
  }

  // --- several instances on a shared log (docs/operations.md) ------------------------------

  /** Joins the instances sharing `log`: leases, the live feed of their entries, claims. */
  async share(log: SharedLog, instance: string): Promise<void> {
    const ownership = await Ownership.start({
      log,
      instance,
      clock: this.clock,
      logger: this.logger,
      ...(this.options.heartbeatMs === undefined ? {} : { intervalMs: this.options.heartbeatMs }),
      candidates: () => activeRecordings(this.journal.view),
      // Claims are made on the log as it is now: a paused instance never takes what has ended.
      catchUp: () => this.followLog(),
      gained: (recording) => void this.background(`take ${recording}`, () => this.take(recording)),
    });
    this.ownership = ownership;
    this.sharing = sharedBy(ownership);
    this.instance = {
      instance,
      holder: ownership.holder,
      memberLease: memberLease(ownership.holder),
      owned: () => ownership.ownedRecordings(),
    };
    this.feed = log
      .watch({
        fromPosition: this.journal.view.position + 1,
        clock: this.clock,
        onError: (error) =>
          this.logger.warn?.(`recwatch: reading the shared log: ${messageOf(error)}`),
      })
      .subscribe((entry) => {
        if (entry.position > this.journal.view.position) this.follower.wake();
      });
    // Claim our share of what nobody drives now, without waiting for the first beat.
    void ownership.beat();
  }

  /** A recording just taken: catch up with the log, then `resumed` for it (rule 12). */
  private async take(recording: string): Promise<void> {
    await this.followLog();
    const ownership = this.ownership;
    if (ownership === null) return;
    // Ended meanwhile (the log went on while this instance was away): a finished recording is
    // never driven again; its lease goes back.
    if (recordingOf(this.journal.view, recording)?.active !== true)
      return void (await this.io(ownership.giveBack(recording)));
    const note = await this.io(ownership.noteOf(recording));
    const intent = readNoteIntent(note, recording);
    if (intent !== null) {
      await this.migrate(intent);
      await this.io(ownership.note(recording, null));
    }
    await this.receive({ at: this.clock.now(), type: 'resumed', recording });
  }

  async catchUp(): Promise<void> {
    if (this.closing !== null) throw new SupervisorClosedError();
    if (this.ownership === null) return;
    await this.followLog();
  }

  get shared(): SharedInstance | null {
    return this.instance;
  }

  /** Steps the other instances' entries and acts on them. */
  private async followLog(): Promise<void> {
    if (this.closing !== null) return;
    this.act(await this.io(this.journal.follow()));
  }

  // --- the host's API ------------------------------------------------------------------------

  async receiveWebhook(body: unknown): Promise<WebhookVerdict> {
    const received = await this.receive({ at: this.clock.now(), type: 'notification', body });
    // A repeat was acted on before: its verdict is the one its first copy got, read again.
    if (received.repeated) return readsAsInput(received.item) ? 'accepted' : 'rejected';
    const rejected = received.outputs.some(
      (output) =>
        output.kind === 'decision' &&
        output.position === received.position &&
        output.decision === 'rejected',
    );
    return rejected ? 'rejected' : 'accepted';
  }

  async start(command: StartCommand): Promise<SupervisedRecording> {
    checkStart(command);
    if (this.journal.view.recordings.get(command.recording) !== undefined) {
      throw new RecordingExistsError(command.recording);
    }
    const { recording, cname, uid, mode, backupUid } = command;
    await this.receive({
      at: this.clock.now(),
      type: 'start',
      recording,
      cname,
      uid: String(uid),
      mode,
      ...(backupUid === undefined ? {} : { backupUid: String(backupUid) }),
    });
    return this.mustGet(recording);
  }

  get(recording: string): SupervisedRecording | undefined {
    return supervisedPicture(this.journal.view, recording);
  }

  manifest(recording: string): Promise<RecordingManifest | undefined> {
    return this.manifests.manifest(recording, this.clock.now());
  }

  list(): SupervisedRecording[] {
    const state = this.journal.view;
    return [...state.recordings.keys()]
      .sort()
      .map((id) => supervisedPicture(state, id))
      .filter((picture) => picture !== undefined);
  }

  on<T extends DomainEvent['type']>(
    type: T,
    listener: (event: DomainEventOf<T>) => void,
  ): () => void {
    const subscription = this.events$
      .pipe(filter((event) => event.type === type))
      .subscribe((event) => {
        try {
          listener(event as DomainEventOf<T>);
        } catch (error) {
          this.logger.error?.(`recwatch: a '${type}' listener threw ${nameOf(error)}`);
        }
      });
    return () => subscription.unsubscribe();
  }

  usage(): SupervisorUsage {
    return {
      qps: this.scheduler.qps,
      sentLastSecond: this.scheduler.sentLastSecond,
      queued: this.scheduler.queued,
      leases: this.ownership?.load ?? null,
    };
  }

  async update(recording: string, command: UpdateCommand): Promise<CallOutcome> {
    if (this.closing !== null) throw new SupervisorClosedError();
    const found = recordingOf(this.journal.view, recording);
    if (found === undefined) throw new UnknownRecordingError(recording);
    const session = found.active ? currentSession(found.context) : null;
    if (session === null) throw new NoSessionError(recording);
    if (
      command === null ||
      typeof command !== 'object' ||
      typeof command.clientRequest !== 'object'
    ) {
      throw new InvalidCommandError('update needs { clientRequest: object }');
    }
    const answer = await this.call('start', (call) =>
      command.layout === true
        ? this.agora.updateLayout(session, command.clientRequest, call)
        : this.agora.update(session, command.clientRequest, call),
    );
    if (answer === null) throw new SupervisorClosedError();
    return answer.outcome;
  }

  async stop(recording: string): Promise<SupervisedRecording> {
    if (this.journal.view.recordings.get(recording) === undefined)
      throw new UnknownRecordingError(recording);
    await this.receive({ at: this.clock.now(), type: 'stop', recording });
    return this.mustGet(recording);
  }

  async settle(): Promise<void> {
    // Quiet for a few turns of the event loop: work that continues after an await shows up again.
    // A call waiting on the clock to retry is busy but not in progress: it is waited for only
    // until it, or another, begins such a wait. Which entry of `busy` waits is not known, so each
    // end of one is a reason to count again (waiting for all of them waited for the retry too).
    for (let quiet = 0; quiet < 3; ) {
      if (this.busy.size > this.retryWaits.count) {
        quiet = 0;
        // With no call waiting, all of `busy` is in progress: one wait for all of it.
        const ends =
          this.retryWaits.count === 0
            ? [Promise.allSettled([...this.busy])]
            : [...this.busy].map(settled);
        await Promise.race([...ends, this.retryWaits.next()]);
      } else {
        quiet += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private readonly closers: (() => void)[] = [];

  /** Runs `release` once the supervisor has closed (a writer lock). */
  whenClosed(release: () => void): void {
    this.closers.push(release);
  }

  private async shutdown(): Promise<void> {
    this.timer.disarm();
    this.feed?.unsubscribe();
    this.starts.clear();
    this.scheduler.close();
    this.abort.abort();
    while (this.busy.size > 0) await Promise.allSettled([...this.busy]);
    // Handed back once nothing of ours is in flight, so the next owner never overlaps with us.
    await this.sharing.stop();
    this.events.complete();
    this.inspection.close();
    try {
      if (this.ownsLog) await this.log.close();
    } finally {
      for (const release of this.closers) release();
    }
  }

  // --- plumbing ------------------------------------------------------------------------------

  private mustGet(recording: string): SupervisedRecording {
    const picture = this.get(recording);
    if (picture === undefined) throw new UnknownRecordingError(recording);
    return picture;
  }

  private io<T>(work: Promise<T>): Promise<T> {
    this.busy.add(work);
    work.then(
      () => this.busy.delete(work),
      () => this.busy.delete(work),
    );
    return work;
  }

  /** Runs work nobody awaits; a failure is a log line, never an unhandled rejection. */
  // Not counted as busy: it may wait on the clock (the QPS budget, jitter); its I/O is counted.
  private background(what: string, work: () => Promise<unknown>): Promise<void> {
    return work().then(
      () => {},
      (error: unknown) => {
        if (error instanceof SupervisorClosedError) return;
        this.logger.error?.(`recwatch: ${what} failed: ${nameOf(error)}: ${messageOf(error)}`);
      },
    );
  }

  get state(): CoreState {
    return this.journal.state;
  }

  get steps$(): Observable<JournalStep> {
    return this.inspection.steps$;
  }
}

/** Whether a logged item is an input the core reads (not a reject, not a body it refuses). */
function readsAsInput(item: Received['item']): boolean {
  return item.kind === 'input' && normalizeInput(item.record).ok;
}

function logged(answer: { httpStatus: number | null; body: unknown }): {
  httpStatus: number | null;
  body: unknown;
} {
  return { httpStatus: answer.httpStatus, body: answer.body };
}

/** Resolves when `work` settles, whichever way. */
function settled(work: Promise<unknown>): Promise<void> {
  return work.then(
    () => {},
    () => {},
  );
}

/** Counts the calls waiting on the clock before a retry; `next()` resolves when one begins. */
class RetryWaits {
  count = 0;
  /** One promise shared by every waiter until a wait begins: waiters never pile up. */
  private began: { promise: Promise<void>; resolve: () => void } | null = null;

  change(waiting: boolean): void {
    this.count += waiting ? 1 : -1;
    if (!waiting || this.began === null) return;
    this.began.resolve();
    this.began = null;
  }

  next(): Promise<void> {
    if (this.began === null) {
      let resolve: () => void = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      this.began = { promise, resolve };
    }
    return this.began.promise;
  }
}
