// The fake cloud recording service: the gateway (routes, Basic auth, QPS, 429 bursts), then the
// calls themselves on resources and recordings that live on the clock.
import type { Clock, ClockTimer } from '../clock/index.js';
import { Channel, type HostSpan } from './channel.js';
import type { Delivery, SendOptions } from './delivery.js';
import { FaultSchedule, OverloadPeaks } from './fault-schedule.js';
import { drawCallFault } from './faults.js';
import type { IdSource } from './ids.js';
import type { NotificationDraft } from './notifications.js';
import { Prng } from './prng.js';
import type { Profile } from './profiles.js';
import { QpsLimit } from './rate-limit.js';
import { Recording } from './recording-life.js';
import { redactBody } from './redact.js';
import {
  ERRORS,
  invalidParameter,
  queryReply,
  type Reply,
  sessionReply,
  stopReply,
} from './replies.js';
import { dig, isObject, readCallBody } from './request-body.js';
import { matchRoute, type Route } from './routes.js';
import type { TrueStartRefusal, TruthRecord } from './truth.js';

/** A REST request as the service sees it. */
export interface ServiceRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * Why an answer is a fault rather than the service's normal behaviour: `overload` is a 406 at a
 * quota peak, `answerLost` a start whose recorder runs but whose answer was lost (no answer, or
 * 504 `code 62`).
 */
export type RequestFault =
  | 'qpsLimit'
  | 'rateLimitBurst'
  | 'serverError'
  | 'notCompleted'
  | 'overload'
  | 'answerLost';

/** One REST request and its answer, as `requests()` lists it. Never holds the Authorization header. */
export interface RequestRecord {
  /** Position in the list, from 0. */
  readonly n: number;
  /** When it was answered, clock ms. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** The request body as received, with the token and storage keys of a start redacted. */
  readonly body: string;
  /** The HTTP status, or null when the connection was reset without an answer. */
  readonly httpStatus: number | null;
  readonly response: unknown;
  /** Set when a fault decided the answer. */
  readonly fault?: RequestFault;
}

/** Settings of the service. */
export interface ServiceSettings {
  readonly clock: Clock;
  readonly profile: Profile;
  readonly appId: string;
  /** The expected `Authorization` header value. */
  readonly authorization: string;
  readonly qpsLimit: number;
  readonly concurrencyLimit: number;
  readonly resourceTtlMs: number;
  readonly hosts: Readonly<Record<string, readonly HostSpan[]>>;
  readonly sequenceAfterFailover: 'continue' | 'restart';
  /** The seed every stream is derived from (by channel name, so clients meet the same faults). */
  readonly seed: number;
  /** When the run began, clock ms: the fault schedules count from here. */
  readonly origin: number;
  readonly ids: IdSource;
}

/** What the server sends: an answer, or nothing (the connection is reset). */
export type Answer = Reply | { readonly reset: true };

interface Resource {
  readonly resourceId: string;
  readonly cname: string;
  readonly uid: string;
  readonly acquiredAt: number;
  used: boolean;
}

type SessionRoute = Extract<Route, { sid: string }>;

// What one channel draws: its hosts, its recorders' faults, its API faults, its sessions' streams.
interface ChannelWorld {
  readonly hosts: Channel;
  readonly schedule: FaultSchedule;
  /** Start and query faults of calls on this channel, in the order they come. */
  readonly api: Prng;
  /** Sessions started on it so far: the k-th draws from its own streams. */
  sessions: number;
}

// The answers to a start with the cname and uid of a task that runs (agora-cloud-recording.md §5).
const CONFLICTS: readonly Reply[] = [
  ERRORS.taskConflict,
  ERRORS.taskConflict,
  ERRORS.alreadyStarted,
  ERRORS.alreadyStartedRefused,
];
const RAW_SERVICE_SCENE = 'rtsc/raw-recording';
const LOST_ANSWER_504: Reply = { httpStatus: 504, body: { code: 62, reason: 'request timeout' } };

/** The service behind the HTTP server. */
export class Service {
  readonly records: RequestRecord[] = [];
  readonly truth: TruthRecord[] = [];
  private readonly resources = new Map<string, Resource>();
  private readonly recordings = new Map<string, Recording>();
  private readonly channels = new Map<string, ChannelWorld>();
  private readonly lastEnded = new Map<string, Recording>();
  private readonly deliveryStreams = new Map<Recording, Prng>();
  private readonly qps: QpsLimit;
  private readonly timers = new Set<ClockTimer>();
  private burstUntil = Number.NEGATIVE_INFINITY;
  private readonly bursts: Prng;
  private readonly apiPrng: Prng;
  private readonly peaks: OverloadPeaks;
  private readonly noticeIdPrefix: string;
  private noticeCount = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  // Set while a start sends notifications that must beat its response.
  private early: Promise<void>[] | undefined;

  constructor(
    private readonly settings: ServiceSettings,
    private readonly delivery: Delivery,
  ) {
    this.qps = new QpsLimit(settings.qpsLimit);
    const { seed, origin, profile } = settings;
    this.bursts = Prng.derive(seed, 'rateLimitBursts');
    this.apiPrng = Prng.derive(seed, 'api');
    this.peaks = new OverloadPeaks(
      seed,
      origin,
      profile.api.overloadPeaksPerHour,
      profile.api.overloadPeakMs,
    );
    this.noticeIdPrefix = settings.ids.noticeIdPrefix();
  }

  /** True while a request is being answered. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves when no request is being answered. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The channel's faults up to `until` (clock ms), drawn the same whatever clients do. */
  scheduledFaults(cname: string, until: number) {
    return this.world(cname).schedule.until(until);
  }

  /** The recordings not yet fully ended. */
  get activeCount(): number {
    let count = 0;
    for (const recording of this.recordings.values()) if (recording.phase !== 'ended') count++;
    return count;
  }

  /** Answers one REST request and records it. */
  async answer(request: ServiceRequest): Promise<Answer> {
    this.inFlight++;
    try {
      const { reply, fault } = await this.decide(request);
      const reset = 'reset' in reply;
      this.records.push({
        n: this.records.length,
        at: this.settings.clock.now(),
        method: request.method,
        path: request.path,
        body: redactBody(request.body),
        httpStatus: reset ? null : reply.httpStatus,
        response: reset ? null : reply.body,
        ...(fault !== undefined && { fault }),
      });
      return reply;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Stops every timer (recordings, late copies): nothing happens after this. */
  close(): void {
    for (const recording of this.recordings.values()) recording.dispose();
    for (const timer of this.timers) this.settings.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private async decide(request: ServiceRequest): Promise<{ reply: Answer; fault?: RequestFault }> {
    const route = matchRoute(request.method, request.path);
    if (route === undefined) return { reply: ERRORS.noRoute };
    if (
      request.authorization !== this.settings.authorization ||
      route.appId !== this.settings.appId
    ) {
      return { reply: ERRORS.unauthorized };
    }
    const now = this.settings.clock.now();
    if (!this.qps.admit(now)) return { reply: ERRORS.rateLimited, fault: 'qpsLimit' };
    if (now < this.burstUntil) return { reply: ERRORS.rateLimited, fault: 'rateLimitBurst' };
    const { api } = this.settings.profile;
    if (this.bursts.chance(api.rateLimitBurst)) {
      this.burstUntil = now + api.rateLimitBurstMs;
      return { reply: ERRORS.rateLimited, fault: 'rateLimitBurst' };
    }
    if ((route.call === 'acquire' || route.call === 'start') && this.peaks.at(now)) {
      if (route.call === 'start')
        this.refused(route.resourceId, request.body, ERRORS.overloaded, 'overload');
      return { reply: ERRORS.overloaded, fault: 'overload' };
    }
    if (route.call === 'start' || route.call === 'query') {
      // Drawn from the channel's stream: the n-th start of a channel meets the same fault for every client.
      const cname =
        route.call === 'start'
          ? this.resources.get(route.resourceId)?.cname
          : this.recordings.get(route.sid)?.request.cname;
      const prng = cname === undefined ? this.apiPrng : this.world(cname).api;
      const fault = drawCallFault(prng, api, route.call);
      if (fault !== undefined) {
        const reply = { httpStatus: fault.httpStatus, body: fault.body };
        if (route.call === 'start') this.refused(route.resourceId, request.body, reply, fault.kind);
        return { reply, fault: fault.kind };
      }
    }
    if (route.call === 'query') return { reply: this.query(route) };
    const body = readCallBody(request.body);
    if (!body.ok) return { reply: invalidParameter(body.reason) };
    if (route.call === 'acquire') return { reply: this.acquire(body.value) };
    if (route.call === 'start') return this.start(route, body.value);
    return { reply: this.sessionCall(route, body.value) };
  }

  private acquire(body: Record<string, unknown>): Reply {
    const cname = body.cname as string;
    const resourceId = this.settings.ids.resourceId();
    this.world(cname);
    this.resources.set(resourceId, {
      resourceId,
      cname,
      uid: body.uid as string,
      acquiredAt: this.settings.clock.now(),
      used: false,
    });
    return { httpStatus: 200, body: { resourceId } };
  }

  private async start(
    route: Extract<Route, { call: 'start' }>,
    body: Record<string, unknown>,
  ): Promise<{ reply: Answer; fault?: RequestFault }> {
    const now = this.settings.clock.now();
    const refuse = (
      reply: Reply,
      reason: TrueStartRefusal['reason'] = 'invalid',
      runningSid?: string,
    ) => {
      this.refused(route.resourceId, JSON.stringify(body), reply, reason, runningSid);
      return { reply };
    };
    const resource = this.resources.get(route.resourceId);
    if (resource === undefined) return refuse(ERRORS.badResourceId);
    if (now - resource.acquiredAt > this.settings.resourceTtlMs)
      return refuse(ERRORS.resourceExpired);
    if (resource.used) return refuse(ERRORS.alreadyRunning);
    if (body.cname !== resource.cname || body.uid !== resource.uid) {
      return refuse(ERRORS.parameterMismatch);
    }
    if (!isObject(body.clientRequest)) return refuse(invalidParameter('clientRequest is required'));
    const maxIdleTime = dig(body.clientRequest, 'recordingConfig', 'maxIdleTime') ?? 30;
    if (typeof maxIdleTime !== 'number' || !(maxIdleTime >= 5 && maxIdleTime <= 2_592_000)) {
      return refuse(invalidParameter('recordingConfig.maxIdleTime must be 5..2592000 seconds'));
    }
    const world = this.world(resource.cname);
    // A task with this cname and uid runs: Agora refuses a second one (§5, task conflict).
    const running = this.runningTask(resource.cname, resource.uid);
    if (running !== undefined) return refuse(world.api.pick(CONFLICTS), 'conflict', running.sid);
    if (this.activeCount >= this.settings.concurrencyLimit)
      return refuse(ERRORS.overloaded, 'overload');
    resource.used = true;
    const sid = this.settings.ids.sid();
    const web = webRecorderParam(body);
    const k = world.sessions++;
    const { seed, profile } = this.settings;
    const prng = Prng.derive(seed, 'session', resource.cname, k);
    const deliveryPrng = Prng.derive(seed, 'delivery', resource.cname, k);
    const recording = new Recording(
      {
        sid,
        resourceId: resource.resourceId,
        appId: route.appId,
        cname: resource.cname,
        uid: resource.uid,
        mode: route.mode,
        maxIdleTime,
        mp4: avFileTypes(body).includes('mp4'),
        rtmpUrls: rtmpUrls(body),
        onhold: web.onhold === true,
        maxRecordingHour:
          typeof web.maxRecordingHour === 'number' ? web.maxRecordingHour : undefined,
      },
      {
        clock: this.settings.clock,
        channel: world.hosts,
        schedule: world.schedule,
        faults: profile.life,
        emit: (from, eventType, details, lost) =>
          this.emit(from, eventType, details, lost ? { lost } : {}),
        ended: (ended) => this.lastEnded.set(ended.request.cname, ended),
      },
      prng,
    );
    this.deliveryStreams.set(recording, deliveryPrng);
    if (this.settings.sequenceAfterFailover === 'restart') {
      recording.onFailover = () => {
        recording.sequence = 0;
      };
    }
    this.recordings.set(sid, recording);
    this.truth.push(recording.truth);
    const { delivery, api } = profile;
    const early = prng.chance(delivery.beforeStartResponse);
    const late = prng.chance(delivery.lateOldSidQuits);
    const lateAfter = prng.int(1_000, 5_000);
    const answerLost = world.api.chance(api.startAnswerLost);
    const reset = world.api.chance(0.5);
    const previous = this.lastEnded.get(resource.cname);
    if (late && previous !== undefined) this.resendLate(previous, lateAfter);
    this.early = early ? [] : undefined;
    recording.begin(early);
    const sentFirst = this.early ?? [];
    this.early = undefined;
    await Promise.all(sentFirst);
    if (answerLost) {
      // The recorder comes up, but the client never learns its sid (§5: "the recorder may exist").
      recording.note('startAnswerLost');
      return { reply: reset ? { reset: true } : LOST_ANSWER_504, fault: 'answerLost' };
    }
    return { reply: sessionReply(recording) };
  }

  // The live task started with this cname and uid, if any (its recorder may have moved since).
  private runningTask(cname: string, uid: string): Recording | undefined {
    for (const recording of this.recordings.values()) {
      const { phase, request } = recording;
      if (request.cname !== cname || request.uid !== uid) continue;
      if (phase === 'starting' || phase === 'recording' || phase === 'down') return recording;
    }
    return undefined;
  }

  private query(route: SessionRoute): Reply {
    const recording = this.recordings.get(route.sid);
    if (recording === undefined || recording.request.resourceId !== route.resourceId) {
      return ERRORS.workerNotFound;
    }
    if (this.settings.clock.now() < recording.abnormalUntil) return queryReply(recording, 20);
    if (
      recording.phase === 'down' ||
      recording.phase === 'exiting' ||
      recording.phase === 'ended'
    ) {
      return ERRORS.workerNotFound;
    }
    return queryReply(recording, recording.status);
  }

  private sessionCall(route: SessionRoute, body: Record<string, unknown>): Reply {
    const recording = this.recordings.get(route.sid);
    if (recording === undefined || recording.request.resourceId !== route.resourceId) {
      return ERRORS.workerNotFound;
    }
    if (body.cname !== recording.request.cname || body.uid !== recording.request.uid) {
      return ERRORS.parameterMismatch;
    }
    const { phase } = recording;
    if (route.call !== 'stop') {
      if (phase === 'down' || phase === 'exiting' || phase === 'ended')
        return ERRORS.workerNotFound;
      if (dig(body, 'clientRequest', 'webRecordingConfig', 'onhold') === false)
        recording.resumeHold();
      return sessionReply(recording);
    }
    if (phase === 'down' || recording.lostForGood) {
      // While high availability moves the recorder, stop finds no worker: the session lives on (§5).
      if (phase === 'down') recording.note('stopDuringFailover');
      return ERRORS.workerNotFound;
    }
    if (recording.stopRequested || phase === 'exiting' || phase === 'ended') {
      return ERRORS.alreadyExiting;
    }
    const asyncStop = dig(body, 'clientRequest', 'async_stop') === true;
    const nothingRecorded = recording.files.length === 0 && !asyncStop;
    recording.stop();
    return nothingRecorded ? ERRORS.noRecordedData : stopReply(recording, asyncStop);
  }

  private emit(
    recording: Recording,
    eventType: number,
    details: Record<string, unknown>,
    options: SendOptions = {},
  ): NotificationDraft {
    const draft: NotificationDraft = {
      noticeId: `${this.noticeIdPrefix}:${this.noticeCount++}`,
      eventType,
      cname: recording.request.cname,
      uid: recording.uid,
      sid: recording.sid,
      sequence: recording.sequence++,
      sendts: this.settings.clock.now(),
      details,
      ...(recording.request.mode === 'raw' && { serviceScene: RAW_SERVICE_SCENE }),
    };
    // Not subscribed: never sent, but its sequence number is spent (§5).
    if (this.settings.profile.delivery.unsubscribed.includes(eventType)) {
      this.delivery.skip(draft);
      return draft;
    }
    const prng = this.deliveryStreams.get(recording);
    const early = this.early;
    const sent = this.delivery.send(draft, {
      ...options,
      ...(prng !== undefined && { prng }),
      ...(early !== undefined && { immediate: true, reason: 'beforeStartResponse' }),
    });
    early?.push(sent);
    return draft;
  }

  // The quit notices of an earlier sid, sent again after a new start on the same channel.
  private resendLate(previous: Recording, afterMs: number): void {
    const notices = [...previous.quitNotices];
    if (notices.length === 0) return;
    const prng = this.deliveryStreams.get(previous);
    const timer = this.settings.clock.setTimeout(() => {
      this.timers.delete(timer);
      for (const notice of notices)
        void this.delivery.send(notice, {
          reason: 'lateOldSid',
          ...(prng !== undefined && { prng }),
        });
    }, afterMs);
    this.timers.add(timer);
  }

  private refused(
    resourceId: string,
    rawBody: string,
    reply: Reply,
    reason: TrueStartRefusal['reason'],
    runningSid?: string,
  ): void {
    let cname = '';
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (isObject(parsed) && typeof parsed.cname === 'string') cname = parsed.cname;
    } catch {
      // A body that is not JSON has no channel to name.
    }
    const code = (reply.body as { code?: unknown }).code;
    this.truth.push({
      type: 'startRefused',
      at: this.settings.clock.now(),
      resourceId,
      cname,
      httpStatus: reply.httpStatus,
      ...(typeof code === 'number' && { code }),
      reason,
      ...(runningSid !== undefined && { runningSid }),
    });
  }

  private world(cname: string): ChannelWorld {
    let world = this.channels.get(cname);
    if (world === undefined) {
      const { seed, origin, profile, clock } = this.settings;
      const fixed = this.settings.hosts[cname];
      world = {
        // A fixed schedule counts from when the channel is first seen; a drawn one from the origin.
        hosts: new Channel(
          cname,
          fixed === undefined ? origin : clock.now(),
          Prng.derive(seed, 'hosts', cname),
          profile.hosts,
          fixed,
        ),
        schedule: new FaultSchedule(
          seed,
          cname,
          origin,
          profile.life,
          profile.delivery.exitNoticesLost,
        ),
        api: Prng.derive(seed, 'calls', cname),
        sessions: 0,
      };
      this.channels.set(cname, world);
    }
    return world;
  }
}

// The web recorder's `serviceParam` of a start body (web mode), or {}.
function webRecorderParam(body: Record<string, unknown>): Record<string, unknown> {
  const services = dig(body, 'clientRequest', 'extensionServiceConfig', 'extensionServices');
  if (!Array.isArray(services)) return {};
  for (const service of services) {
    if (dig(service, 'serviceName') !== 'web_recorder_service') continue;
    const param = dig(service, 'serviceParam');
    return isObject(param) ? param : {};
  }
  return {};
}

function avFileTypes(body: Record<string, unknown>): string[] {
  const types = dig(body, 'clientRequest', 'recordingFileConfig', 'avFileType');
  return Array.isArray(types)
    ? types.filter((type): type is string => typeof type === 'string')
    : [];
}

function rtmpUrls(body: Record<string, unknown>): string[] {
  const services = dig(body, 'clientRequest', 'extensionServiceConfig', 'extensionServices');
  if (!Array.isArray(services)) return [];
  const urls: string[] = [];
  for (const service of services) {
    if (dig(service, 'serviceName') !== 'rtmp_publish_service') continue;
    const outputs = dig(service, 'serviceParam', 'outputs');
    if (!Array.isArray(outputs)) continue;
    for (const output of outputs) {
      const url = dig(output, 'rtmpUrl');
      if (typeof url === 'string') urls.push(url);
    }
  }
  return urls;
}
