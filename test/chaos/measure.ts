// The five figures of a chaos run, each counted from what the run left behind: the simulator's
// truth and deliveries, the log, the calls the edges saw, the leases' history and the hosts' exits.

import { Replay } from '../../src/core/replay.js';
import { createCore } from '../../src/core/state.js';
import type { LogEntry } from '../../src/index.js';
import { idempotencyKeys } from '../../src/log/keys.js';
import type { DeliveryRecord, TruthRecord } from '../../src/sim/index.js';
import type { EdgeCall } from './agora-edge.js';
import type { AcknowledgedCommand } from './host-process.js';

/** The five figures; each must be 0. */
export interface Figures {
  /** Inputs acknowledged (a webhook answered 200, a host command resolved) and not in the log. */
  readonly acknowledgedLost: number;
  /** Inputs stored twice (one key at two positions) or applied twice by a replay of the log. */
  readonly appliedTwice: number;
  /** Pairs of sessions of one channel live at once in the simulator's truth. */
  readonly twoLiveSessions: number;
  /** Calls the edges received for a recording whose lease the calling instance did not hold then. */
  readonly callsWithoutLease: number;
  /** Hosts that ended in a way the driver did not ask for. */
  readonly crashes: number;
}

/** Who may call Agora for a recording at a time: `instance` held `recording`'s lease then. */
export type LeaseHeld = (instance: string, recording: string, at: number) => boolean;

/** What the figures are counted from. */
export interface RunRecord {
  readonly truth: readonly TruthRecord[];
  readonly deliveries: readonly DeliveryRecord[];
  readonly entries: readonly LogEntry[];
  readonly acknowledged: readonly AcknowledgedCommand[];
  readonly calls: readonly EdgeCall[];
  readonly leaseHeld: LeaseHeld;
  readonly crashes: number;
}

/** The details behind each non-zero figure, for the report. */
export interface Findings {
  readonly lostNotices: string[];
  readonly lostCommands: AcknowledgedCommand[];
  readonly duplicateKeys: string[];
  readonly appliedTwice: string[];
  readonly overlaps: { cname: string; first: string; second: string; from: number; to: number }[];
  readonly callsWithoutLease: {
    instance: string;
    at: number;
    method: string;
    path: string;
    recording: string | null;
  }[];
}

/** The recording of a channel, by the driver's naming: room7 is r7's. */
export function recordingOfChannel(cname: string): string | null {
  return cname.startsWith('room') ? `r${cname.slice('room'.length)}` : null;
}

// Decisions that deliver an input to its recording's machine.
const REACHING = new Set(['applied', 'releasedAfterGap', 'late']);

/** Counts the five figures. */
export function measure(run: RunRecord): { figures: Figures; findings: Findings } {
  const lostNotices = acknowledgedNoticesLost(run);
  const lostCommands = acknowledgedCommandsLost(run);
  const duplicateKeys = keysStoredTwice(run.entries);
  const appliedTwice = inputsAppliedTwice(run.entries);
  const overlaps = overlappingSessions(run.truth);
  const withoutLease = callsWithoutLease(run);
  return {
    figures: {
      acknowledgedLost: lostNotices.length + lostCommands.length,
      appliedTwice: duplicateKeys.length + appliedTwice.length,
      twoLiveSessions: overlaps.length,
      callsWithoutLease: withoutLease.length,
      crashes: run.crashes,
    },
    findings: {
      lostNotices,
      lostCommands,
      duplicateKeys,
      appliedTwice,
      overlaps,
      callsWithoutLease: withoutLease,
    },
  };
}

function noticeIdOf(entry: LogEntry): string | null {
  if (entry.item.kind !== 'input' || entry.item.record.type !== 'notification') return null;
  const noticeId = (entry.item.record.body as { noticeId?: unknown } | null)?.noticeId;
  return typeof noticeId === 'string' ? noticeId : null;
}

// A webhook the simulator saw answered 200 whose noticeId the log does not hold.
function acknowledgedNoticesLost(run: RunRecord): string[] {
  const logged = new Set(run.entries.map(noticeIdOf).filter((id) => id !== null));
  const acknowledged = new Set(
    run.deliveries
      .filter((d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200)
      .map((d) => d.noticeId),
  );
  return [...acknowledged].filter((id) => !logged.has(id));
}

// A host command whose promise resolved, with no input of its type for its recording in the log.
function acknowledgedCommandsLost(run: RunRecord): AcknowledgedCommand[] {
  const logged = new Set<string>();
  for (const entry of run.entries) {
    if (entry.item.kind !== 'input') continue;
    const record = entry.item.record as { type: string; recording?: unknown };
    if (record.type === 'start' || record.type === 'stop')
      logged.add(`${record.type}\n${String(record.recording)}`);
  }
  return run.acknowledged.filter((c) => !logged.has(`${c.type}\n${c.recording}`));
}

// One idempotency key at two positions: an input stored twice.
function keysStoredTwice(entries: readonly LogEntry[]): string[] {
  const seen = new Map<string, number>();
  const twice: string[] = [];
  for (const entry of entries) {
    for (const key of idempotencyKeys(entry.item)) {
      const first = seen.get(key);
      if (first !== undefined && first !== entry.position)
        twice.push(`${key} at ${first} and ${entry.position}`);
      else seen.set(key, entry.position);
    }
  }
  return twice;
}

// The log replayed through the core: an input that reached its machine twice, or a notification
// (by its noticeId) that did, under two positions.
function inputsAppliedTwice(entries: readonly LogEntry[]): string[] {
  const fold = new Replay(createCore());
  const noticeAt = new Map<number, string>();
  const reachedPositions = new Map<number, number>();
  const reachedNotices = new Map<string, number>();
  for (const entry of entries) {
    const outputs = fold.line(entry.item);
    const noticeId = noticeIdOf(entry);
    if (noticeId !== null) noticeAt.set(fold.position, noticeId);
    for (const output of outputs) {
      if (output.kind !== 'decision' || !REACHING.has(output.decision)) continue;
      reachedPositions.set(output.position, (reachedPositions.get(output.position) ?? 0) + 1);
      const notice = noticeAt.get(output.position);
      if (notice !== undefined) reachedNotices.set(notice, (reachedNotices.get(notice) ?? 0) + 1);
    }
  }
  return [
    ...[...reachedPositions]
      .filter(([, n]) => n > 1)
      .map(([p, n]) => `input ${p} applied ${n} times`),
    ...[...reachedNotices]
      .filter(([, n]) => n > 1)
      .map(([id, n]) => `notice ${id} applied ${n} times`),
  ];
}

// Two sessions of one channel whose [startedAt, quit) overlap.
function overlappingSessions(truth: readonly TruthRecord[]): Findings['overlaps'] {
  const byChannel = new Map<string, { sid: string; from: number; to: number }[]>();
  for (const r of truth) {
    if (r.type !== 'recording') continue;
    const spans = byChannel.get(r.cname) ?? [];
    spans.push({ sid: r.sid, from: r.startedAt, to: r.quit?.at ?? Number.POSITIVE_INFINITY });
    byChannel.set(r.cname, spans);
  }
  const overlaps: Findings['overlaps'] = [];
  for (const [cname, spans] of byChannel) {
    spans.sort((a, b) => a.from - b.from);
    for (let i = 0; i < spans.length; i += 1) {
      for (let j = i + 1; j < spans.length; j += 1) {
        const a = spans[i] as (typeof spans)[number];
        const b = spans[j] as (typeof spans)[number];
        if (b.from < a.to)
          overlaps.push({
            cname,
            first: a.sid,
            second: b.sid,
            from: b.from,
            to: Math.min(a.to, b.to),
          });
      }
    }
  }
  return overlaps;
}

// Each call named by its recording (the cname of its body, else its sid or resource id), checked
// against the leases at the time it reached the edge.
function callsWithoutLease(run: RunRecord): Findings['callsWithoutLease'] {
  const cnameOfSid = new Map<string, string>();
  for (const r of run.truth) if (r.type === 'recording') cnameOfSid.set(r.sid, r.cname);
  const cnameOfResource = new Map<string, string>();
  for (const call of run.calls) {
    if (!call.path.endsWith('/acquire') || call.answer === undefined) continue;
    const cname = cnameOf(call.body);
    const resourceId = jsonField(call.answer, 'resourceId');
    if (cname !== null && resourceId !== null) cnameOfResource.set(resourceId, cname);
  }
  const found: Findings['callsWithoutLease'] = [];
  for (const call of run.calls) {
    const sid = /\/sid\/([^/]+)\//.exec(call.path)?.[1];
    const resourceId = /\/resourceid\/([^/]+)\//.exec(call.path)?.[1];
    const cname =
      cnameOf(call.body) ??
      (sid !== undefined ? cnameOfSid.get(sid) : undefined) ??
      (resourceId !== undefined ? cnameOfResource.get(resourceId) : undefined) ??
      null;
    const recording = cname === null ? null : recordingOfChannel(cname);
    if (recording === null || !run.leaseHeld(call.instance, recording, call.at))
      found.push({
        instance: call.instance,
        at: call.at,
        method: call.method,
        path: call.path,
        recording,
      });
  }
  return found;
}

function cnameOf(body: string): string | null {
  return jsonField(body, 'cname');
}

function jsonField(text: string, field: string): string | null {
  try {
    const value = (JSON.parse(text) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}
