// The supervisor's public shape: what a host calls and what it is given.
import type { Observable } from 'rxjs';
import type { DomainEvent } from '../../machines/index.js';
import type { WebhookReceiver } from '../agora/index.js';
import type { CoreState, RecordingManifest } from '../core/index.js';
import type { CallOutcome, RecordingMode } from '../signals/index.js';
import type { JournalStep } from './journal.js';
import type { SupervisedRecording } from './supervisor-picture.js';

/** What `supervisor.start` needs: the recording's id (yours), its channel, recorder uid and mode. */
export interface StartCommand {
  readonly recording: string;
  readonly cname: string;
  readonly uid: string;
  readonly mode: RecordingMode;
  /** The uid to alternate with when a recorder may still be in the channel. Default uid + 1. */
  readonly backupUid?: string;
}

/** Options of `supervisor.update`. */
export interface UpdateCommand {
  /** The `clientRequest` of Agora's `update` (or `updateLayout`) call. */
  readonly clientRequest: object;
  /** Call `updateLayout` instead of `update`. Default false. */
  readonly layout?: boolean;
}

/**
 * What an instance on a log shared by several instances (`openPostgresLog` of
 * `recwatch/postgres`) is: its name, its lease holder, the recordings it drives now.
 */
export interface SharedInstance {
  /** The instance's name (`SupervisorOptions.instance`, or the machine's name and pid). */
  readonly instance: string;
  /** Its lease holder: the name plus a random suffix, unique per process. */
  readonly holder: string;
  /** The name of its membership lease (`instance:<holder>`), held while it is alive. */
  readonly memberLease: string;
  /** The recordings whose lease it holds (as of its last renewal), sorted. */
  owned(): string[];
}

/** A domain event of one type. */
export type DomainEventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

/** What a supervisor uses now (`supervisor.usage()`): the REST budget and its leases. */
export interface SupervisorUsage {
  /** The app id's REST budget, calls per second (the `qps` option). */
  readonly qps: number;
  /** Calls sent in the last second (at most `qps`). */
  readonly sentLastSecond: number;
  /** Calls waiting for the budget. */
  readonly queued: number;
  /** Recordings whose lease this instance holds on a shared log; null on a log of its own. */
  readonly leases: number | null;
}

/** The supervisor of `createSupervisor`. */
export interface Supervisor extends WebhookReceiver {
  /**
   * Starts supervising a new recording: logged, then acquire+start is sent. Resolves with its
   * picture once the command is durable (the start itself is reported by `started` events).
   * @throws InvalidCommandError, RecordingExistsError, SupervisorClosedError
   */
  start(command: StartCommand): Promise<SupervisedRecording>;
  /** The recording's picture, or undefined when it is not supervised. */
  get(recording: string): SupervisedRecording | undefined;
  /** Every recording's picture, sorted by id. */
  list(): SupervisedRecording[];
  /**
   * What the recording really produced up to now: its sessions in order, their playlists by
   * failover and the files Agora reported, and the time recorded against the time wanted with
   * every gap and its cause (docs/manifest.md). Undefined when the log never named it. The first
   * call reads the log once (a book is kept from then on, fed by every step); later calls read
   * the book only. Rejects with the log's error when that first read fails.
   * @example (await supervisor.manifest('r1'))?.coverage.gaps
   */
  manifest(recording: string): Promise<RecordingManifest | undefined>;
  /**
   * Every step the core takes from now on, in log order: what was received, its outputs, the
   * state after (what inspectors follow; `startLiveInspector` in 'recwatch/inspect' serves it).
   * Completes when the supervisor closes. A subscriber must not throw.
   */
  readonly steps$: Observable<JournalStep>;
  /** The core's state after every input acted on so far (the state `steps$` continues from). */
  readonly state: CoreState;
  /** Domain events as they happen (started, failover, resumed, quit, restarting, ...). */
  readonly events$: Observable<DomainEvent>;
  /** Calls `listener` for every event of `type`; returns the function that stops it. */
  on<T extends DomainEvent['type']>(
    type: T,
    listener: (event: DomainEventOf<T>) => void,
  ): () => void;
  /**
   * What it uses now: the REST budget (calls sent in the last second, calls queued) and, on a
   * shared log, the leases it holds. Read by the metrics (docs/service.md#metrics).
   */
  usage(): SupervisorUsage;
  /**
   * Sends `update` (or `updateLayout`) for the recording's current sid and gives Agora's answer.
   * @throws UnknownRecordingError, NoSessionError, SupervisorClosedError
   */
  update(recording: string, command: UpdateCommand): Promise<CallOutcome>;
  /**
   * Asks for the recording to stop: logged, then Agora's stop is sent; supervised until it ends.
   * @throws UnknownRecordingError, SupervisorClosedError
   */
  stop(recording: string): Promise<SupervisedRecording>;
  /**
   * On a shared log, steps every entry the other instances appended up to now, so `get`, `list`,
   * `start` and `stop` see what any instance acknowledged before this call (a host command is
   * appended by whichever instance takes it; the recording's owner acts on it). Alone on its log,
   * resolves at once. Rejects with the log's error when it cannot be read.
   * @example await supervisor.catchUp(); supervisor.get('r1') // started through another instance
   */
  catchUp(): Promise<void>;
  /** This instance among those sharing its log; null when the log is its alone. */
  readonly shared: SharedInstance | null;
  /**
   * Resolves once nothing is being appended, sent or answered (waits on the clock, such as the
   * QPS budget or a back-off, do not count). For tests that drive a virtual clock.
   */
  settle(): Promise<void>;
  /** Stops the timers and calls, waits for appends in progress, closes a log it opened. Idempotent. */
  close(): Promise<void>;
}
