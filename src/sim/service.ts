// The fake cloud recording service: the gateway (routes, Basic auth, QPS, 429 bursts), then the
// calls themselves on resources and recordings that live on the clock.
import type { Clock, ClockTimer } from '../clock/index.js';
import { Channel, type HostSpan } from './channel.js';
import type { Delivery, DeliveryFault } from './delivery.js';
import { drawCallFault } from './faults.js';
import type { NotificationDraft } from './notifications.js';
import type { Prng } from './prng.js';
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
import type { TruthRecord } from './truth.js';

/** A REST request as the service sees it. */
export interface ServiceRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** Why an answer is a fault rather than the service's normal behaviour. */
export type RequestFault = 'qpsLimit' | 'rateLimitBurst' | 'serverError' | 'notCompleted';

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
  readonly httpStatus: number;
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
  readonly noticeIdPrefix: string;
}

interface Resource {
  readonly resourceId: string;
  readonly cname: string;
  readonly uid: string;
  readonly acquiredAt: number;
  used: boolean;
}

type SessionRoute = Extract<Route, { sid: string }>;

const RESOURCE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The service behind the HTTP server. */
export class Service {
  readonly records: RequestRecord[] = [];
  readonly truth: TruthRecord[] = [];
  private readonly resources = new Map<string, Resource>();
  private readonly recordings = new Map<string, Recording>();
  private readonly channels = new Map<string, Channel>();
  private readonly lastEnded = new Map<string, Recording>();
  private readonly qps: QpsLimit;
  private readonly timers = new Set<ClockTimer>();
  private burstUntil = Number.NEGATIVE_INFINITY;
  private noticeCount = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  // Set while a start sends notifications that must beat its response.
  private early: Promise<void>[] | undefined;

  constructor(
    private readonly settings: ServiceSettings,
    private readonly prng: Prng,
    private readonly apiPrng: Prng,
    private readonly delivery: Delivery,
  ) {
    this.qps = new QpsLimit(settings.qpsLimit);
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

  /** The recordings not yet fully ended. */
  get activeCount(): number {
    let count = 0;
    for (const recording of this.recordings.values()) if (recording.phase !== 'ended') count++;
    return count;
  }

  /** Answers one REST request and records it. */
  async answer(request: ServiceRequest): Promise<Reply> {
    this.inFlight++;
    try {
      const { reply, fault } = await this.decide(request);
      this.records.push({
        n: this.records.length,
        at: this.settings.clock.now(),
        method: request.method,
        path: request.path,
        body: redactBody(request.body),
        httpStatus: reply.httpStatus,
        response: reply.body,
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

  private async decide(request: ServiceRequest): Promise<{ reply: Reply; fault?: RequestFault }> {
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
    if (this.apiPrng.chance(api.rateLimitBurst)) {
      this.burstUntil = now + api.rateLimitBurstMs;
      return { reply: ERRORS.rateLimited, fault: 'rateLimitBurst' };
    }
    if (route.call === 'start' || route.call === 'query') {
      const fault = drawCallFault(this.apiPrng, api, route.call);
      if (fault !== undefined) {
        if (route.call === 'start')
          this.refused(route.resourceId, request.body, fault.httpStatus, fault.body.code);
        return { reply: { httpStatus: fault.httpStatus, body: fault.body }, fault: fault.kind };
      }
    }
    if (route.call === 'query') return { reply: this.query(route) };
    const body = readCallBody(request.body);
    if (!body.ok) return { reply: invalidParameter(body.reason) };
    if (route.call === 'acquire') return { reply: this.acquire(body.value) };
    if (route.call === 'start') return { reply: await this.start(route, body.value) };
    return { reply: this.sessionCall(route, body.value) };
  }

  private acquire(body: Record<string, unknown>): Reply {
    const cname = body.cname as string;
    let resourceId = '';
    for (let i = 0; i < 112; i++) resourceId += this.prng.pick([...RESOURCE_ID_ALPHABET]);
    this.channel(cname);
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
  ): Promise<Reply> {
    const now = this.settings.clock.now();
    const refuse = (reply: Reply) => {
      const code = (reply.body as { code?: number }).code;
      this.refused(route.resourceId, JSON.stringify(body), reply.httpStatus, code);
      return reply;
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
    if (this.activeCount >= this.settings.concurrencyLimit) return refuse(ERRORS.concurrencyLimit);
    resource.used = true;
    const sid = this.prng.hex(32);
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
      },
      {
        clock: this.settings.clock,
        channel: this.channel(resource.cname),
        faults: this.settings.profile.life,
        emit: (from, eventType, details) => this.emit(from, eventType, details),
        ended: (ended) => this.lastEnded.set(ended.request.cname, ended),
      },
      this.prng.fork(),
    );
    if (this.settings.sequenceAfterFailover === 'restart') {
      recording.onFailover = () => {
        recording.sequence = 0;
      };
    }
    this.recordings.set(sid, recording);
    this.truth.push(recording.truth);
    const { delivery } = this.settings.profile;
    const early = this.prng.chance(delivery.beforeStartResponse);
    const late = this.prng.chance(delivery.lateOldSidQuits);
    const lateAfter = this.prng.int(1_000, 5_000);
    const previous = this.lastEnded.get(resource.cname);
    if (late && previous !== undefined) this.resendLate(previous, lateAfter);
    this.early = early ? [] : undefined;
    recording.begin(early);
    const sentFirst = this.early ?? [];
    this.early = undefined;
    await Promise.all(sentFirst);
    return sessionReply(recording);
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
      return phase === 'down' || phase === 'exiting' || phase === 'ended'
        ? ERRORS.workerNotFound
        : sessionReply(recording);
    }
    if (recording.stopRequested || phase === 'exiting' || phase === 'ended') {
      return ERRORS.alreadyExiting;
    }
    if (phase === 'down') return ERRORS.workerNotFound;
    const asyncStop = dig(body, 'clientRequest', 'async_stop') === true;
    const reply =
      recording.files.length === 0 && !asyncStop
        ? ERRORS.noRecordedData
        : stopReply(recording, asyncStop);
    recording.stop();
    return reply;
  }

  private emit(
    recording: Recording,
    eventType: number,
    details: Record<string, unknown>,
    reason?: DeliveryFault,
  ): NotificationDraft {
    const draft: NotificationDraft = {
      noticeId: `${this.settings.noticeIdPrefix}:${this.noticeCount++}`,
      eventType,
      cname: recording.request.cname,
      uid: recording.uid,
      sid: recording.sid,
      sequence: recording.sequence++,
      sendts: this.settings.clock.now(),
      details,
    };
    const early = this.early;
    const sent = this.delivery.send(
      draft,
      early === undefined
        ? reason === undefined
          ? {}
          : { reason }
        : { immediate: true, reason: 'beforeStartResponse' },
    );
    early?.push(sent);
    return draft;
  }

  // The quit notices of an earlier sid, sent again after a new start on the same channel.
  private resendLate(previous: Recording, afterMs: number): void {
    const notices = [...previous.quitNotices];
    if (notices.length === 0) return;
    const timer = this.settings.clock.setTimeout(() => {
      this.timers.delete(timer);
      for (const notice of notices) void this.delivery.send(notice, { reason: 'lateOldSid' });
    }, afterMs);
    this.timers.add(timer);
  }

  private refused(resourceId: string, rawBody: string, httpStatus: number, code?: number): void {
    let cname = '';
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (isObject(parsed) && typeof parsed.cname === 'string') cname = parsed.cname;
    } catch {
      // A body that is not JSON has no channel to name.
    }
    this.truth.push({
      type: 'startRefused',
      at: this.settings.clock.now(),
      resourceId,
      cname,
      httpStatus,
      ...(code !== undefined && { code }),
    });
  }

  private channel(cname: string): Channel {
    let channel = this.channels.get(cname);
    if (channel === undefined) {
      channel = new Channel(
        cname,
        this.settings.clock.now(),
        this.prng.fork(),
        this.settings.profile.hosts,
        this.settings.hosts[cname],
      );
      this.channels.set(cname, channel);
    }
    return channel;
  }
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
