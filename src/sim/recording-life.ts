// One recording session (one sid) living on the clock: it starts, records while hosts publish,
// fails over, and ends; it emits the notifications of each step and keeps its true story.
import type { Clock, ClockTimer } from '../clock/index.js';
import type { Channel } from './channel.js';
import type { FaultSchedule, ScheduledFault } from './fault-schedule.js';
import { drawWarningWait } from './faults.js';
import { MSG_NAMES, type NotificationDraft } from './notifications.js';
import type { Prng } from './prng.js';
import type { LifeFaults } from './profiles.js';
import type { QuitCause, TrueFault, TrueRecording, TrueState } from './truth.js';

/** A recording mode of the REST path (`raw`: Individual Recording v2). */
export type Mode = 'individual' | 'mix' | 'web' | 'raw';

/** Where a recording is in its life, as the service sees it. */
export type Phase = 'starting' | 'recording' | 'down' | 'exiting' | 'ended';

/** A file the recording has uploaded. */
export interface UploadedFile {
  readonly fileName: string;
  /** The host whose stream it holds (individual mode), else undefined. */
  readonly hostUid?: number;
  readonly trackType: 'audio_and_video';
  readonly sliceStartTime: number;
}

/** What a recording needs from the service around it. */
export interface LifeContext {
  readonly clock: Clock;
  readonly channel: Channel;
  /** The channel's life faults: when its recorder fails, the same for every client. */
  readonly schedule: FaultSchedule;
  readonly faults: LifeFaults;
  /** Sends a notification from the recording (the service adds noticeId and sequence). */
  emit(
    recording: Recording,
    eventType: number,
    details: Record<string, unknown>,
    lost?: boolean,
  ): NotificationDraft;
  /** Called once, when the recording has fully ended. */
  ended(recording: Recording): void;
}

/** What the client asked for at start. */
export interface StartRequest {
  readonly sid: string;
  readonly resourceId: string;
  readonly appId: string;
  readonly cname: string;
  readonly uid: string;
  readonly mode: Mode;
  /** Seconds with no host before the service exits (`recordingConfig.maxIdleTime`, default 30). */
  readonly maxIdleTime: number;
  /** `recordingFileConfig.avFileType`: with `"mp4"`, mix mode reports its files as JSON. */
  readonly mp4: boolean;
  /** RTMP push targets (web mode), if any. */
  readonly rtmpUrls: readonly string[];
  /** Web mode: the start asked for the page recorder paused (`serviceParam.onhold: true`). */
  readonly onhold: boolean;
  /** Web mode: `serviceParam.maxRecordingHour`, hours, when the start set one. */
  readonly maxRecordingHour: number | undefined;
}

// When each start-up step happens, ms after the start (or the rejoin after a failover).
const STEP = { initialised: 500, componentsStarting: 1_000, someReady: 1_500, allReady: 2_000 };
const FIRST_UPLOAD_MS = 4_000;
const PROGRESS_EVERY_MS = 60_000;
const ABNORMAL_STATUS_MS = 10_000;
// A stranded upload reaches the customer's storage this long after the exit, [min, max] ms.
const STRANDED_UPLOAD_MS: readonly [number, number] = [300_000, 1_200_000];
// Exit notifications: what a profile's `exitNoticesLost` loses.
const EXIT_EVENTS = new Set([41, 71, 72, 11, 31, 32]);

/** One recording session. Its REST view (`phase`, `status`, `files`) is read by the routes. */
export class Recording {
  phase: Phase = 'starting';
  status = 0;
  uid: string;
  /** Failovers completed (0..3). */
  haAttempts = 0;
  sequence = 0;
  readonly files: UploadedFile[] = [];
  readonly truth: TrueRecording;
  /** Until when a query still answers 200 with status 20 after an abnormal exit. */
  abnormalUntil = -1;
  stopRequested = false;
  /** Web mode: the page recorder runs paused (query `status 0`, `onhold: true`). */
  onhold = false;
  /** The upload at the exit was stranded on Agora's backup storage (`uploadingStatus: "stranded"`). */
  stranded = false;
  /** A 4th failure: the worker is gone, and every call answers 404 until it is declared over. */
  lostForGood = false;
  /** The 11 and 31 this recording sent when it quit, for late redundant copies. */
  readonly quitNotices: NotificationDraft[] = [];
  private readonly timers = new Set<ClockTimer>();
  private hosts: number[] = [];
  private streamEndedAt: number | undefined;
  private idleTimer: ClockTimer | undefined;
  private rtmpPublishing = false;
  private holdTimer: ClockTimer | undefined;
  // Set while the exit notifications of the current quit are lost.
  private exitLost = false;

  constructor(
    readonly request: StartRequest,
    private readonly context: LifeContext,
    private readonly prng: Prng,
  ) {
    this.uid = request.uid;
    const now = context.clock.now();
    this.truth = {
      type: 'recording',
      sid: request.sid,
      resourceId: request.resourceId,
      cname: request.cname,
      mode: request.mode,
      uid: request.uid,
      startedAt: now,
      uids: [request.uid],
      states: [{ at: now, state: 'starting' }],
      failovers: [],
      quit: null,
      files: [],
      faults: [],
    };
  }

  get sid(): string {
    return this.request.sid;
  }

  /** The playlist prefix of the current server: `bak<n>_` after the n-th failover (n from 0). */
  get prefix(): string {
    return this.haAttempts === 0 ? '' : `bak${this.haAttempts - 1}_`;
  }

  /** True while the web recorder's RTMP outputs publish. */
  get publishing(): boolean {
    return this.rtmpPublishing;
  }

  /**
   * Begins the life: status climbs, the first notifications go out. With `early`, 13 and 40
   * (70 in web mode) are sent now, before the start response. A web recorder asked (or drawn)
   * to start paused registers (13) and waits, `status 0`, until the host resumes it.
   */
  begin(early: boolean): void {
    const { faults } = this.context;
    const drawnHold = this.prng.chance(faults.webStartsOnhold);
    const holdMs = this.prng.int(faults.onholdMs[0], faults.onholdMs[1]);
    if (this.request.mode === 'web' && (this.request.onhold || drawnHold))
      this.holdAtStart(early, drawnHold, holdMs);
    else {
      if (early) this.announce();
      this.climb(!early);
    }
    this.armProgress();
    this.armWarnings();
    this.armRecordingLimit();
  }

  // The host's maxRecordingHour (web mode), counted from the start, across failovers.
  private armRecordingLimit(): void {
    const hours = this.request.maxRecordingHour;
    if (this.request.mode !== 'web' || hours === undefined) return;
    const dueAt = this.truth.startedAt + hours * 3_600_000;
    this.after(Math.max(0, dueAt - this.now()), () =>
      this.finish('maxRecordingHour', { exitStatus: 0, webCode: 1 }),
    );
  }

  /** The host's `update` with `webRecordingConfig.onhold: false`: a paused web recorder starts. */
  resumeHold(): void {
    if (!this.onhold) return;
    this.onhold = false;
    if (this.holdTimer !== undefined) {
      this.context.clock.clearTimeout(this.holdTimer);
      this.timers.delete(this.holdTimer);
      this.holdTimer = undefined;
    }
    const note = this.truth.faults.find((fault) => fault.kind === 'onhold');
    if (note !== undefined) note.until = this.now();
    this.climb(true, false);
  }

  /** Notes a fault that touched this session in its truth. */
  note(kind: TrueFault['kind'], id?: string): void {
    this.truth.faults.push({ at: this.now(), kind, ...(id !== undefined && { id }) });
  }

  // A paused page recorder: registered and running (the truth says recording: it is billed),
  // but status 0 and no page events until it is resumed, by the host's update or (drawn) later.
  private holdAtStart(early: boolean, drawn: boolean, holdMs: number): void {
    this.onhold = true;
    this.note('onhold');
    if (early) this.emit(13, {});
    else this.after(STEP.componentsStarting, () => this.emit(13, {}));
    this.after(STEP.allReady, () => this.setState('recording'));
    if (drawn) this.holdTimer = this.after(holdMs, () => this.resumeHold());
  }

  /** The client's stop: the recorder leaves, uploads, and the session ends. */
  stop(): void {
    this.stopRequested = true;
    this.finish('stopped', { exitStatus: 0, leaveCode: 16 });
  }

  /** Ends timers without emitting anything (the simulator is closing). */
  dispose(): void {
    this.clearAll();
  }

  private announce(): NotificationDraft[] {
    const { mode } = this.request;
    return [
      this.emit(13, {}),
      mode === 'web'
        ? this.emit(70, { recorderStartTime: this.now() })
        : this.emit(40, { status: 0 }),
    ];
  }

  // Status 1..4 over the first two seconds; at 4 the recorder is in the channel.
  private climb(announce: boolean, register = announce): void {
    this.after(STEP.initialised, () => this.setStatus(1));
    this.after(STEP.componentsStarting, () => {
      this.setStatus(2);
      if (register) this.emit(13, {});
    });
    this.after(STEP.someReady, () => {
      this.setStatus(3);
      if (!announce) return;
      if (this.request.mode === 'web') {
        this.emit(70, { recorderStartTime: this.now() });
      } else this.emit(40, { status: 0 });
    });
    this.after(STEP.allReady, () => {
      this.setStatus(4);
      this.emit(30, { status: 0 });
      this.phase = 'recording';
      this.setState('recording');
      this.joined();
      this.armFault();
    });
  }

  private joined(): void {
    if (this.request.mode === 'web') {
      this.after(FIRST_UPLOAD_MS, () =>
        this.upload(`${this.prefix}${this.sid}_${this.request.cname}_0.mp4`),
      );
      if (this.request.rtmpUrls.length > 0) this.after(500, () => this.publishRtmp());
      return;
    }
    this.hosts = [];
    this.hostsChanged();
    this.watchHosts();
  }

  private publishRtmp(): void {
    this.rtmpPublishing = true;
    for (const rtmpUrl of this.request.rtmpUrls) {
      this.emit(100, { rtmpUrl, status: 'publishing' });
    }
  }

  private watchHosts(): void {
    const next = this.context.channel.nextChangeAfter(this.now());
    if (next === undefined) return;
    this.after(next - this.now(), () => {
      this.hostsChanged();
      this.watchHosts();
    });
  }

  private hostsChanged(): void {
    const now = this.now();
    const present = this.context.channel.hostsAt(now);
    const joined = present.filter((uid) => !this.hosts.includes(uid));
    const left = this.hosts.filter((uid) => !present.includes(uid));
    const wasStreaming = this.hosts.length > 0;
    this.hosts = present;
    for (const uid of left) this.streamState(uid, 1);
    for (const uid of joined) this.streamState(uid, 0);
    if (!wasStreaming && present.length > 0) {
      this.clearIdle();
      this.emit(42, {
        startUtcMs: now,
        discontinueUtcMs: this.streamEndedAt ?? now,
        mixedAllUser: this.request.mode === 'mix',
        streamUid: this.request.mode === 'mix' ? '0' : String(present[0]),
        trackType: 'audio_and_video',
      });
    }
    if (wasStreaming && present.length === 0) this.streamEndedAt = now;
    if (present.length === 0 && this.idleTimer === undefined) {
      this.idleTimer = this.after(this.request.maxIdleTime * 1_000, () =>
        this.finish('idle', { exitStatus: 0, leaveCode: 4 }),
      );
    }
    const { cname } = this.request;
    if (this.request.mode === 'mix' && present.length > 0) {
      const name = `${this.prefix}${this.sid}_${cname}.m3u8`;
      this.after(FIRST_UPLOAD_MS, () => {
        this.upload(name);
        if (this.request.mp4) this.upload(`${this.prefix}${this.sid}_${cname}_0.mp4`);
      });
    }
    if (this.request.mode === 'individual' || this.request.mode === 'raw') {
      for (const uid of joined) {
        const name = `${this.prefix}${this.sid}_${cname}__uid_s_${uid}__uid_e_av.m3u8`;
        this.after(FIRST_UPLOAD_MS, () => this.upload(name, uid));
      }
    }
  }

  private streamState(streamUid: number, state: 0 | 1): void {
    const common = { streamUid: String(streamUid), state, UtcMs: this.now() };
    this.emit(43, { ...common });
    this.emit(44, { ...common });
  }

  private upload(fileName: string, hostUid?: number): void {
    if (this.files.some((file) => file.fileName === fileName)) return;
    const firstOfServer = !this.files.some((file) => serverPrefix(file.fileName) === this.prefix);
    this.files.push({
      fileName,
      ...(hostUid !== undefined && { hostUid }),
      trackType: 'audio_and_video',
      sliceStartTime: this.now() - FIRST_UPLOAD_MS,
    });
    this.truth.files.push({ fileName, uploadedAt: this.now() });
    if (this.status < 5) this.setStatus(5);
    if (firstOfServer && this.request.mode !== 'web') {
      this.emit(4, { fileList: fileName });
    }
  }

  private armProgress(): void {
    this.after(PROGRESS_EVERY_MS, () => {
      const progress = this.files.length === 0 ? 0 : 10_000 - this.prng.int(0, 400);
      this.emit(33, { progress });
      this.armProgress();
    });
  }

  private armWarnings(): void {
    const wait = drawWarningWait(this.prng, this.context.faults);
    if (wait === undefined) return;
    this.after(wait, () => {
      this.emit(2, { module: 1, warnCode: 32 });
      this.armWarnings();
    });
  }

  // The channel's next fault: it strikes this recorder if it is still recording then.
  private armFault(): void {
    const fault = this.context.schedule.nextAfter(this.now(), this.request.mode);
    if (fault !== undefined) this.after(fault.at - this.now(), () => this.strike(fault));
  }

  private strike(fault: ScheduledFault): void {
    const { kind } = fault;
    this.note(kind, fault.id);
    this.exitLost = fault.exitNoticesLost && kind !== 'processKill' && kind !== 'serverLoss';
    if (kind === 'processKill' || kind === 'serverLoss') {
      this.fail(kind, fault);
      return;
    }
    if (kind === 'maxRecordingHour') {
      this.finish('maxRecordingHour', { exitStatus: 0, webCode: 1 });
      return;
    }
    if (kind === 'abnormalExit') {
      this.abnormalUntil = this.now() + ABNORMAL_STATUS_MS;
      this.status = 20;
      this.finish('abnormalExit', {
        exitStatus: 1,
        leaveCode: 2,
        first: [
          1,
          {
            module: 1,
            errorLevel: 5,
            errorCode: 50,
            stat: 0,
            errorMsg: 'recorder exited abnormally',
          },
        ],
      });
      return;
    }
    if (kind === 'capabilityLimit') {
      this.emit(72, { limitType: fault.limitType });
      this.finish('webRecorderStopped', { exitStatus: 1, webCode: 2 });
      return;
    }
    this.finish('webRecorderStopped', { exitStatus: 1, webCode: fault.webCode });
  }

  // The recorder's server dies: a move to a new server, or (the 4th time) the end.
  private fail(kind: 'processKill' | 'serverLoss', fault: ScheduledFault): void {
    const failedAt = this.now();
    const window = fault.windowMs;
    const newUid = fault.newUid;
    this.clearAll();
    if (this.hosts.length > 0) this.streamEndedAt = failedAt;
    this.hosts = [];
    this.rtmpPublishing = false;
    if (this.haAttempts >= 3) {
      this.phase = 'exiting';
      this.lostForGood = true;
      this.exitLost = fault.exitNoticesLost;
      if (this.exitLost) this.note('exitNoticesLost');
      this.truth.quit = { at: failedAt, cause: 'haExhausted' };
      this.setState('quit');
      this.after(window, () => {
        this.emit(1, {
          module: 0,
          errorLevel: 5,
          errorCode: 30,
          stat: 0,
          errorMsg: 'failover limit reached',
        });
        this.quitNotice(this.emit(11, { exitStatus: 1 }));
        this.end();
      });
      return;
    }
    this.phase = 'down';
    this.setState('failoverPending');
    this.after(window, () => this.resume(kind, failedAt, newUid));
  }

  private resume(kind: 'processKill' | 'serverLoss', failedAt: number, newUid: string): void {
    const n = this.haAttempts;
    this.haAttempts += 1;
    this.uid = newUid;
    this.truth.uids.push(newUid);
    this.truth.failovers.push({ n, kind, at: failedAt, resumedAt: this.now(), newUid });
    this.onFailover?.();
    this.phase = 'starting';
    this.status = 1;
    this.setState('recording');
    this.emit(12, { newUid: Number(newUid) });
    this.climb(true);
    this.armProgress();
    this.armWarnings();
    this.armRecordingLimit();
  }

  /** Set by the service: a failover restarts `sequence` when it reads that way. */
  onFailover: (() => void) | undefined;

  private finish(
    cause: QuitCause,
    how: {
      exitStatus: 0 | 1;
      leaveCode?: number;
      webCode?: number;
      first?: [number, Record<string, unknown>];
    },
  ): void {
    if (this.phase === 'exiting' || this.phase === 'ended') return;
    this.clearAll();
    const backup = this.prng.chance(this.context.faults.backupUploads);
    const stranded = this.prng.chance(this.context.faults.strandedUploads);
    const strandedFor = this.prng.int(STRANDED_UPLOAD_MS[0], STRANDED_UPLOAD_MS[1]);
    if (cause === 'stopped' || cause === 'idle') this.exitLost = false;
    if (this.exitLost) this.note('exitNoticesLost');
    this.stranded = stranded && this.files.length > 0;
    if (this.stranded) this.note('stranded');
    this.onhold = false;
    this.phase = 'exiting';
    this.truth.quit = { at: this.now(), cause };
    this.setState(cause === 'stopped' ? 'stopped' : 'quit');
    if (how.first !== undefined) this.emit(...how.first);
    const web = this.request.mode === 'web';
    this.after(200, () => {
      if (web) {
        const code = how.webCode ?? 0;
        this.emit(71, {
          code,
          message: WEB_STOP_MESSAGES[code] ?? 'recorder_error',
          details: '',
          fileList: this.files.map((file) => ({
            filename: file.fileName,
            sliceStartTime: file.sliceStartTime,
          })),
        });
      } else this.emit(41, { leaveCode: how.leaveCode ?? 16 });
    });
    this.after(500, () => {
      this.quitNotice(this.emit(11, { exitStatus: how.exitStatus }));
    });
    if (this.stranded) {
      // The files wait on Agora's backup storage: progress stops short, 32 says stranded, and
      // the upload to the customer's storage (31) comes minutes later.
      this.after(800, () =>
        this.emit(33, { progress: this.prng.int(1_000, 9_000), uploadingStatus: 'stranded' }),
      );
      this.after(1_000, () => {
        this.quitNotice(this.uploaded(true, 'stranded'));
        this.end();
        this.after(strandedFor, () => this.uploaded(false, 'uploaded'));
      });
      return;
    }
    this.after(800, () => this.emit(33, { progress: 10_000 }));
    this.after(1_000, () => {
      if (this.files.length > 0) this.quitNotice(this.uploaded(backup));
      this.end();
    });
  }

  // Kept for late redundant copies, unless it was lost (a copy would be its first arrival).
  private quitNotice(draft: NotificationDraft): void {
    if (!this.exitLost) this.quitNotices.push(draft);
  }

  // 31 when every file reached the customer's storage; 32 when some went to Agora's backup.
  private uploaded(backup: boolean, uploadingStatus?: 'stranded' | 'uploaded'): NotificationDraft {
    const status = uploadingStatus === undefined ? {} : { uploadingStatus };
    if (!backup) return this.emit(31, { status: 0, fileList: this.fileEntries(), ...status });
    const playlist = this.files.find((file) => file.fileName.endsWith('.m3u8')) ?? this.files[0]!;
    return this.emit(32, { status: 0, fileList: playlist.fileName, ...status });
  }

  /** The files as a JSON file list (upload events, json mode). */
  fileEntries(): Record<string, unknown>[] {
    return this.files.map((file) => ({
      fileName: file.fileName,
      trackType: file.trackType,
      uid: file.hostUid === undefined ? '0' : String(file.hostUid),
      mixedAllUser: file.hostUid === undefined,
      isPlayable: true,
      sliceStartTime: file.sliceStartTime,
    }));
  }

  private end(): void {
    this.phase = 'ended';
    this.context.ended(this);
  }

  private setStatus(status: number): void {
    this.status = status;
  }

  private setState(state: TrueState): void {
    if (this.truth.states.at(-1)?.state === state) return;
    this.truth.states.push({ at: this.now(), state });
  }

  // Every documented event's details start with its msgName; 13 has no details at all.
  private emit(eventType: number, fields: Record<string, unknown>): NotificationDraft {
    const msgName = MSG_NAMES[eventType];
    const details = msgName === undefined ? fields : { msgName, ...fields };
    const lost = this.exitLost && EXIT_EVENTS.has(eventType);
    return this.context.emit(this, eventType, details, lost);
  }

  private clearIdle(): void {
    if (this.idleTimer === undefined) return;
    this.context.clock.clearTimeout(this.idleTimer);
    this.timers.delete(this.idleTimer);
    this.idleTimer = undefined;
  }

  private after(ms: number, fire: () => void): ClockTimer {
    const timer = this.context.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (timer === this.idleTimer) this.idleTimer = undefined;
      fire();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private clearAll(): void {
    for (const timer of this.timers) this.context.clock.clearTimeout(timer);
    this.timers.clear();
    this.idleTimer = undefined;
  }

  private now(): number {
    return this.context.clock.now();
  }
}

const WEB_STOP_MESSAGES: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'max_recording_hour',
  2: 'capability_limit',
  3: 'start_engine_failed',
  4: 'page_load_timeout',
  5: 'access_url_failed',
  6: 'recorder_error',
};

// The `bak<n>_` prefix of a file name, or '' for the first server's files (a sid is hex: no 'k').
function serverPrefix(fileName: string): string {
  return /^bak\d+_/.exec(fileName)?.[0] ?? '';
}
