// The supervisor: recwatch embedded in a host. Every input (host command, webhook body, REST
// answer, timer firing) goes through the journal, durable first; the core's effects run here
// through one scheduler, and their answers come back as inputs.
import { filter, type Observable, Subject, type Subscription } from 'rxjs';
import { currentSession, type DomainEvent, type Effect } from '../../machines/index.js';
import {
  type AgoraAnswer,
  type AgoraClient,
  createAgoraClient,
  type WebhookVerdict,
} from '../agora/index.js';
import { type Clock, type ClockTimer, systemClock } from '../clock/index.js';
import { type CoreOutput, type CoreState, nextWakeOf, resolveCoreOptions } from '../core/index.js';
import {
  InvalidCommandError,
  NoSessionError,
  RecordingExistsError,
  SupervisorClosedError,
  UnknownRecordingError,
} from '../errors/index.js';
import { createMemoryLog, type EventLog, type SqliteWriterLock } from '../log/index.js';
import type { Lease } from '../log/postgres-leases.js';
import type { CallOutcome, RecordingMode, TraceRecord } from '../signals/index.js';
import { DeadlineTimer } from './deadline-timer.js';
import { Journal, type JournalStep, type Received } from './journal.js';
import { isSharedLog, Ownership, type SharedLog } from './ownership.js';
import { type IntentBook, LeaseIntents } from './ownership-intents.js';
import {
  activeRecordings,
  defaultInstance,
  Follower,
  fencedCall,
  fenceOf,
  NO_INTENTS,
  planOf,
} from './ownership-shell.js';
import { type CallPriority, RestScheduler, seededRandom } from './scheduler.js';
import type { DomainEventOf, StartCommand, Supervisor, UpdateCommand } from './supervisor-api.js';
import { HostRequestFailure } from './supervisor-host-request.js';
import { SupervisorInspection } from './supervisor-inspect.js';
import { StartIntents } from './supervisor-intents.js';
import {
  checkSupervisorOptions,
  defaultAcquireRequest,
  type Logger,
  type StartAttemptInfo,
  SUPERVISOR_DEFAULTS,
  type SupervisorOptions,
} from './supervisor-options.js';
import { type SupervisedRecording, supervisedPicture } from './supervisor-picture.js';
import { planResume, type ResumePlan, type SessionEffect } from './supervisor-resume.js';
import { queryPriority, recordingOf, sessionRef } from './supervisor-session.js';
import { StartSettlements } from './supervisor-settle.js';
import { checkStart, describe, messageOf, nameOf } from './supervisor-words.js';

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
  const { log, owned, lock } = await openLog(options.log ?? SUPERVISOR_DEFAULTS.log);
  try {
    const { recording } = resolveCoreOptions(options.core);
    const inspection = new SupervisorInspection(options.inspect, recording, options.logger ?? {});
    const journal = await Journal.open(log, {
      onStep: (step, before) => inspection.step(step, before),
      ...(options.core === undefined ? {} : { core: options.core }),
      ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
    });
    // On a shared log, intents live on the recordings' leases and each is resumed when taken.
    const shared = isSharedLog(log) ? log : null;
    const intents = shared === null ? await StartIntents.load(log) : null;
    inspection.announce(journal.state);
    const supervisor = new SupervisorRuntime(
      options,
      clock,
      agora,
      log,
      owned,
      journal,
      intents,
      inspection,
    );
    supervisor.whenClosed(() => lock?.release());
    if (shared !== null) {
      await supervisor.share(shared, options.instance ?? defaultInstance());
      return supervisor;
    }
    const { pollIntervalMs } = resolveCoreOptions(options.core).recording;
    await supervisor.resume(
      planResume(journal.state, intents?.all() ?? [], clock.now(), pollIntervalMs),
    );
    return supervisor;
  } catch (error) {
    if (owned) await log.close().catch(() => {});
    lock?.release();
    throw error;
  }
}

async function openLog(
  log: string | EventLog,
): Promise<{ log: EventLog; owned: boolean; lock: SqliteWriterLock | null }> {
  // A SQLite log, opened here or by the host, is driven by one supervisor: its writer lock says so.
  const file = typeof log === 'string' ? log : (log as { file?: unknown }).file;
  if (typeof log !== 'string') {
    const lock = typeof file === 'string' ? await writerLock(file) : null;
    return { log, owned: false, lock };
  }
  if (log === 'memory') return { log: createMemoryLog(), owned: true, lock: null };
  const lock = await writerLock(log);
  try {
    // Loaded when used, so a host on another store never loads better-sqlite3.
    const { openSqliteLog } = await import('../log/sqlite-store.js');
    return { log: await openSqliteLog(log), owned: true, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function writerLock(file: string): Promise<SqliteWriterLock> {
  const { lockSqliteWriter } = await import('../log/sqlite-writer-lock.js');
  return lockSqliteWriter(file);
}

class SupervisorRuntime implements Supervisor {
  private readonly events = new Subject<DomainEvent>();
  readonly events$: Observable<DomainEvent> = this.events.asObservable();
  private readonly scheduler: RestScheduler;
  private readonly timer: DeadlineTimer;
  private readonly settlements: StartSettlements;
  private readonly logger: Logger;
  // Work in progress that is not a wait on the clock: appends, calls, reads.
  private readonly busy = new Set<Promise<unknown>>();
  // One call of each kind per recording at a time: a repeated effect joins the one under way.
  private readonly running = new Set<string>();
  private readonly abort = new AbortController();
  private closing: Promise<void> | null = null;
  // While resuming, the deadline timer waits (see resume).
  private resuming = false;
  private intents: IntentBook;
  // Set on a shared log (share): which recordings this instance drives, and the others' entries.
  private ownership: Ownership | null = null;
  private leaseIntents: LeaseIntents | null = null;
  private feed: Subscription | null = null;
  private readonly follower = new Follower(() =>
    this.background('follow the shared log', () => this.followLog()),
  );

  constructor(
    private readonly options: SupervisorOptions,
    private readonly clock: Clock,
    private readonly agora: AgoraClient,
    private readonly log: EventLog,
    private readonly ownsLog: boolean,
    private readonly journal: Journal,
    intents: StartIntents | null,
    private readonly inspection: SupervisorInspection,
  ) {
    this.logger = options.logger ?? {};
    this.intents = intents ?? NO_INTENTS;
    this.scheduler = new RestScheduler({
      clock,
      qps: options.qps ?? SUPERVISOR_DEFAULTS.qps,
      jitterMs: options.jitterMs ?? SUPERVISOR_DEFAULTS.jitterMs,
      random: seededRandom(options.seed ?? SUPERVISOR_DEFAULTS.seed),
    });
    this.timer = new DeadlineTimer(clock, () => this.tick());
    this.settlements = new StartSettlements({
      clock,
      log,
      settleMs: options.settleStartMs ?? SUPERVISOR_DEFAULTS.settleStartMs,
      state: () => this.journal.state,
      adopt: (intent, sid) =>
        this.background(`settle ${intent.recording}`, async () => {
          this.logger.info?.(
            `recwatch: ${intent.recording} adopts sid ${sid} of the start in flight before the restart`,
          );
          await this.receive({
            at: this.clock.now(),
            type: 'started',
            recording: intent.recording,
            resourceId: intent.resourceId,
            sid,
            uid: intent.uid,
          });
          await this.intents.settle(intent.recording, this.journal.state.position);
        }),
      restart: (intent, uid) =>
        this.background(`settle ${intent.recording}`, async () => {
          this.logger.warn?.(
            `recwatch: ${intent.recording}: no sign of the start in flight before the restart; starting again with uid ${uid}`,
          );
          await this.intents.settle(intent.recording, this.journal.state.position);
          await this.acquireAndStart({
            recording: intent.recording,
            cname: intent.cname,
            uid,
            mode: intent.mode,
          });
        }),
    });
  }

  // --- the one door into the journal --------------------------------------------------------

  /** Appends an input (durably) and acts on what the core decided. */
  private async receive(record: TraceRecord): Promise<Received> {
    if (this.closing !== null) throw new SupervisorClosedError();
    const fence = fenceOf(this.ownership, record);
    const received = await this.io(this.journalReceive(record, fence));
    this.act(received.outputs);
    return received;
  }

  // Every journal call goes through here, so a change of the journal's API is a change here only.
  private journalReceive(record: TraceRecord, append?: { fence: Lease }): Promise<Received> {
    return this.journal.receive(record, append);
  }

  private act(outputs: readonly CoreOutput[]): void {
    for (const output of outputs) {
      // On a shared log, the recording's owner emits its events and runs its effects.
      if (output.kind !== 'decision' && !this.drives(output.recording)) {
        if (output.kind === 'effect' && output.type !== 'wakeAt') {
          this.ownership?.want(output.recording);
        }
      } else if (output.kind === 'event') this.emit(output);
      else if (output.kind === 'effect') this.run(output);
      else if (output.decision === 'rejected')
        this.logger.debug?.(`recwatch: rejected ${output.input}: ${output.reason ?? ''}`);
    }
    if (this.closing === null && !this.resuming) this.timer.arm(nextWakeOf(this.journal.state));
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
    if (effect.type === 'query') {
      const priority = queryPriority(this.journal.state, recording);
      this.once(`${recording}/query`, () => this.query(effect, priority));
    } else if (effect.type === 'stop') {
      this.once(`${recording}/stop`, () => this.stopSession(effect));
    } else if (effect.type === 'acquireAndStart') {
      this.settlements.cancel(recording);
      this.once(`${recording}/start`, () => this.acquireAndStart(effect));
    }
    // wakeAt: the timer follows the core's wake queue (nextWakeOf) after every step.
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
      (signal) => this.agora.query(session, { signal }),
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
      (signal) => this.agora.stop(session, {}, { signal }),
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

  private async acquireAndStart(effect: {
    recording: string;
    cname: string;
    uid: string;
    mode: RecordingMode;
  }): Promise<void> {
    const { recording, cname, uid, mode } = effect;
    const attempt: StartAttemptInfo = {
      cname,
      uid,
      mode,
      restarts: recordingOf(this.journal.state, recording)?.context.restarts ?? 0,
    };
    let sentAt = this.clock.now(); // when the call a startFailed or started answers was sent
    const startFailed = (answer: { httpStatus: number | null; body: unknown }) =>
      this.receive({ at: this.clock.now(), sentAt, type: 'startFailed', recording, ...answer });
    const acquireRequest = await this.hostRequest('acquireRequest', recording, attempt);
    if (acquireRequest instanceof HostRequestFailure)
      return void (await startFailed(logged(acquireRequest)));
    sentAt = this.clock.now();
    const acquired = await this.call(
      'acquire',
      (signal) => this.agora.acquire({ cname, uid, clientRequest: acquireRequest }, { signal }),
      recording,
    );
    if (acquired === null) return;
    if (acquired.resourceId === undefined) return void (await startFailed(logged(acquired)));
    const { resourceId } = acquired;
    // The intent is durable before the start is sent: a host dying now settles it on resume.
    const position = this.journal.state.position;
    await this.io(
      this.intents.put({ recording, resourceId, cname, uid, mode, position, at: this.clock.now() }),
    );
    const startRequest = await this.hostRequest('clientRequest', recording, attempt);
    if (startRequest instanceof HostRequestFailure) {
      await startFailed(logged(startRequest));
      return void (await this.intents.settle(recording, this.journal.state.position));
    }
    sentAt = this.clock.now();
    const started = await this.call(
      'start',
      (signal) =>
        this.agora.start({ resourceId, mode, cname, uid, clientRequest: startRequest }, { signal }),
      recording,
    );
    if (started === null) return; // Closed mid-call: the intent stays for the next run to settle.
    if (started.sid === undefined) await startFailed(logged(started));
    else {
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
    await this.io(this.intents.settle(recording, this.journal.state.position));
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
    send: (signal: AbortSignal) => Promise<T>,
    recording?: string,
  ): Promise<T | null> {
    let answer: T | null;
    try {
      answer = await this.scheduler.schedule(priority, () =>
        this.io(fencedCall(this.ownership, recording, () => send(this.abort.signal))),
      );
    } catch (error) {
      if (error instanceof SupervisorClosedError) return null;
      throw error;
    }
    if (this.closing !== null || answer === null) return null;
    if (answer.outcome.kind === 'rateLimited') {
      this.logger.warn?.('recwatch: Agora answered 429; the call queue slows down');
      this.scheduler.rateLimited();
    } else this.scheduler.answered();
    if (answer.httpStatus === null)
      this.logger.warn?.(`recwatch: no response from Agora (${answer.failure ?? 'unknown'})`);
    return answer;
  }

  // --- resume --------------------------------------------------------------------------------

  /**
   * Picks up where the last run stopped (see docs/operations.md). Deadlines that fell due while
   * the host was down wait for the resume's queries and settlements (at most `settleStartMs`), so
   * a recording is not declared dead before Agora has been asked.
   */
  async resume(plan: ResumePlan): Promise<void> {
    for (const recording of plan.forgetIntents) {
      await this.intents.settle(recording, this.journal.state.position);
    }
    const pending: Promise<unknown>[] = [];
    for (const start of plan.resend)
      this.once(`${start.recording}/start`, () => this.acquireAndStart(start));
    for (const intent of plan.settle) {
      const { scanned, concluded } = this.settlements.watch(intent);
      this.background(`settle ${intent.recording}`, () => this.io(scanned));
      pending.push(concluded);
    }
    for (const effect of [...plan.stop, ...plan.query]) {
      const work =
        effect.type === 'stop'
          ? () => this.stopSession(effect)
          : () => this.query(effect, 'urgentQuery');
      pending.push(this.background(`resume ${effect.recording}`, work));
    }
    const total = plan.resend.length + plan.settle.length + plan.stop.length + plan.query.length;
    if (total > 0) {
      this.logger.info?.(
        `recwatch: resumed ${this.journal.state.recordings.size} recordings: ${plan.query.length} re-queried, ${plan.stop.length} stops resent, ${plan.settle.length + plan.resend.length} starts settled`,
      );
    }
    if (pending.length === 0) return this.resumed();
    let bound: ClockTimer | null = null;
    const waited = new Promise<void>((resolve) => {
      bound = this.clock.setTimeout(
        resolve,
        this.options.settleStartMs ?? SUPERVISOR_DEFAULTS.settleStartMs,
      );
    });
    this.resuming = true;
    void Promise.race([Promise.allSettled(pending), waited]).then(() => {
      if (bound !== null) this.clock.clearTimeout(bound);
      this.resumed();
    });
  }

  private resumed(): void {
    this.resuming = false;
    if (this.closing === null) this.timer.arm(nextWakeOf(this.journal.state));
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
      candidates: () => activeRecordings(this.journal.state),
      gained: (recording) => void this.background(`take ${recording}`, () => this.take(recording)),
    });
    this.ownership = ownership;
    this.leaseIntents = new LeaseIntents(ownership);
    this.intents = this.leaseIntents;
    this.feed = log
      .watch({
        fromPosition: this.journal.state.position + 1,
        clock: this.clock,
        onError: (error) =>
          this.logger.warn?.(`recwatch: reading the shared log: ${messageOf(error)}`),
      })
      .subscribe((entry) => {
        const record = entry.item.kind === 'input' ? entry.item.record : null;
        if (record?.type === 'notification') this.settlements.notice(record.body);
        if (entry.position > this.journal.state.position) this.follower.wake();
      });
    // Claim our share of what nobody drives now, without waiting for the first beat.
    void ownership.beat();
  }

  /** A recording just taken: catch up with the log, then resume it as a restart would. */
  private async take(recording: string): Promise<void> {
    await this.followLog();
    const intent = await this.io(this.leaseIntents?.load(recording) ?? Promise.resolve(undefined));
    const { pollIntervalMs } = resolveCoreOptions(this.options.core).recording;
    const plan = planResume(
      this.journal.state,
      intent === undefined ? [] : [intent],
      this.clock.now(),
      pollIntervalMs,
    );
    await this.resume(planOf(plan, recording));
  }

  /** Steps the other instances' entries and acts on them. */
  private async followLog(): Promise<void> {
    if (this.closing !== null) return;
    this.act(await this.io(this.journal.follow()));
  }

  /** True when this instance acts for `recording`: always, unless the log is shared. */
  private drives(recording: string): boolean {
    return this.ownership === null || this.ownership.owns(recording);
  }

  // --- the host's API ------------------------------------------------------------------------

  async receiveWebhook(body: unknown): Promise<WebhookVerdict> {
    const received = await this.receive({ at: this.clock.now(), type: 'notification', body });
    this.settlements.notice(body);
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
    if (this.journal.state.recordings.get(command.recording) !== undefined) {
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
    return supervisedPicture(this.journal.state, recording);
  }

  list(): SupervisedRecording[] {
    const state = this.journal.state;
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

  async update(recording: string, command: UpdateCommand): Promise<CallOutcome> {
    if (this.closing !== null) throw new SupervisorClosedError();
    const found = recordingOf(this.journal.state, recording);
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
    const answer = await this.call('start', (signal) =>
      command.layout === true
        ? this.agora.updateLayout(session, command.clientRequest, { signal })
        : this.agora.update(session, command.clientRequest, { signal }),
    );
    if (answer === null) throw new SupervisorClosedError();
    return answer.outcome;
  }

  async stop(recording: string): Promise<SupervisedRecording> {
    if (this.journal.state.recordings.get(recording) === undefined)
      throw new UnknownRecordingError(recording);
    await this.receive({ at: this.clock.now(), type: 'stop', recording });
    return this.mustGet(recording);
  }

  async settle(): Promise<void> {
    // Quiet for a few turns of the event loop: work that continues after an await shows up again.
    for (let quiet = 0; quiet < 3; ) {
      if (this.busy.size > 0) {
        quiet = 0;
        await Promise.allSettled([...this.busy]);
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
    this.settlements.close();
    this.scheduler.close();
    this.abort.abort();
    while (this.busy.size > 0) await Promise.allSettled([...this.busy]);
    // Handed back once nothing of ours is in flight, so the next owner never overlaps with us.
    await this.ownership?.stop();
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

function logged(answer: { httpStatus: number | null; body: unknown }): {
  httpStatus: number | null;
  body: unknown;
} {
  return { httpStatus: answer.httpStatus, body: answer.body };
}
