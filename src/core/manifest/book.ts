// The manifest book: a fold over what the core received and what it said (its decisions carry
// the time, its domain events the story), keeping per logical recording its sessions, their
// playlists and files, and when each was live. The core's own state keeps only the latest
// files and the previous sids; the book keeps everything a person asks "what was recorded?" for.
import type { DomainEvent, LifecycleState } from '../../../machines/index.js';
import type { CoreOutput, Decision } from '../decisions.js';
import type { ReceivedLine } from '../step.js';
import { failoverOf, type InputFacts, inputFacts } from './evidence.js';
import { clipIntervals, complement, totalMs } from './intervals.js';
import type {
  CoverageGap,
  GapCause,
  Interval,
  ManifestFile,
  ManifestMark,
  Playlist,
  RecordingManifest,
  SessionManifest,
  StateChange,
} from './types.js';

/** How many sids' files may wait for a start to name them (notifications before their start). */
const MAX_PARKED_SIDS = 1_000;

interface Span {
  from: number;
  to: number | null;
  /** Why it ended: the cause of the gap after it. */
  endedBy: { cause: GapCause; detail: string } | null;
}

interface SessionBook {
  readonly sid: string;
  uid: string | null;
  resourceId: string | null;
  readonly mode: RecordingManifest['mode'];
  namedAt: number;
  readonly live: Span[];
  end: SessionManifest['end'];
  readonly playlists: Map<string, { playlist: Mutable<Omit<Playlist, 'files'>>; files: string[] }>;
  readonly files: Map<string, Mutable<ManifestFile>>;
}

interface RecordingBook {
  readonly recording: string;
  cname: string | null;
  mode: RecordingManifest['mode'];
  readonly startAt: number;
  stopAt: number | null;
  state: LifecycleState;
  readonly states: StateChange[];
  readonly marks: ManifestMark[];
  readonly sessions: SessionBook[];
  current: SessionBook | null;
  /** The span being recorded now, in the current session. */
  open: Span | null;
  /** The latest sign of life of the current recorder (ms), while a span is open. */
  lastAliveAt: number | null;
  /** A span closed at this step (a failover event then names where the recording went). */
  closedAtStep: { step: number; span: Span } | null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Folds the core's inputs and outputs into every recording's manifest. Feed it each step in
 * order (`step(line, outputs)`: a trace line or log item and the outputs the core gave for it);
 * read a manifest at any time. Pure and in memory: it grows with the recordings, sessions,
 * files and state changes it has seen (not with inputs).
 * @example
 * const book = new ManifestBook();
 * const fold = new Replay(createCore());
 * for (const line of lines) book.step(line, fold.line(line));
 * book.manifest('r1')?.coverage.gaps; // [{ from, to, cause: 'failover', detail: 'failover to bak0_ …' }]
 */
export class ManifestBook {
  private readonly recordings = new Map<string, RecordingBook>();
  private readonly sidOwners = new Map<string, string>();
  private readonly parked = new Map<string, { at: number; facts: FilesFacts }[]>();
  private steps = 0;
  private latest = Number.NEGATIVE_INFINITY;

  /** The latest observed time seen (ms), or -Infinity before the first input. */
  get now(): number {
    return this.latest;
  }

  /** The recordings it knows, sorted. */
  ids(): string[] {
    return [...this.recordings.keys()].sort();
  }

  /** Folds one step: the line received and every output the core gave for it, in order. */
  step(line: ReceivedLine, outputs: readonly CoreOutput[]): void {
    this.steps += 1;
    const facts = inputFacts(line);
    let decision: Decision | null = null;
    for (const output of outputs) {
      if (output.kind === 'decision') {
        decision = output;
        this.latest = Math.max(this.latest, output.at);
        this.decided(output, facts);
      } else if (output.kind === 'event' && decision !== null) {
        this.event(output, decision.at, facts);
      }
    }
    if (decision !== null && facts?.kind === 'files') this.files(facts, decision.at);
  }

  /**
   * One recording's manifest, up to `until` (ms; default the latest input seen), or undefined.
   * @example book.manifest('r1', Date.now())?.coverage.recordedMs
   */
  manifest(recording: string, until: number = this.latest): RecordingManifest | undefined {
    const book = this.recordings.get(recording);
    return book === undefined ? undefined : manifestOf(book, until);
  }

  private decided(decision: Decision, facts: InputFacts | null): void {
    const { at } = decision;
    if (facts?.kind === 'start' && decision.recording === facts.recording) {
      if (!this.recordings.has(facts.recording)) this.begin(facts, at);
    }
    if (decision.recording === undefined) return;
    const book = this.recordings.get(decision.recording);
    if (book === undefined) return;
    if (facts?.kind === 'started' && facts.recording === book.recording) {
      const session = this.session(book, facts.sid, at);
      session.uid = facts.uid;
      session.resourceId = facts.resourceId;
      session.namedAt = Math.min(session.namedAt, at);
      const first = session.playlists.get('')?.playlist;
      if (first !== undefined) first.uid ??= facts.uid;
      book.current = session;
    }
    if (facts?.kind === 'hostStop' && facts.recording === book.recording && book.stopAt === null) {
      book.stopAt = at;
      book.marks.push({ at, kind: 'hostStop', sid: book.current?.sid ?? null });
    }
    if (decision.state === undefined) return;
    this.enter(book, decision.state, at);
    // A recorder no longer answering while a failover is plausible (12, or 404s after a fatal
    // error): recorded until its last sign of life.
    if (decision.state === 'failoverPending')
      this.close(book, book.lastAliveAt, { cause: 'failover', detail: 'failover' });
  }

  private event(event: DomainEvent, at: number, facts: InputFacts | null): void {
    const book = this.recordings.get(event.recording);
    if (book === undefined) return;
    switch (event.type) {
      case 'adopted': {
        // Rule 11: a start whose answer was lost, named by its own notifications.
        const session = this.session(book, event.sid, at);
        session.uid = event.uid;
        session.namedAt = Math.min(session.namedAt, at);
        const first = session.playlists.get('')?.playlist;
        if (first !== undefined) first.uid ??= event.uid;
        book.current = session;
        return;
      }
      case 'started':
      case 'resumed': {
        const session = this.session(book, event.sid, at);
        book.current = session;
        this.enter(book, 'recording', at);
        if (book.open === null) {
          book.open = { from: at, to: null, endedBy: null };
          session.live.push(book.open);
        }
        book.lastAliveAt = at;
        book.marks.push({ at, kind: event.type, sid: event.sid });
        return;
      }
      case 'failover': {
        const session = this.session(book, event.sid, at);
        const playlist = this.playlist(session, event.filePrefix, at, 'failover');
        playlist.uid = event.uid;
        if (playlist.evidence === 'files') playlist.evidence = 'failover';
        const detail = `failover to ${event.filePrefix || 'the first playlist'} (uid ${event.uid})`;
        // Known only by its evidence (a new recorder's uid, a bak<n>_ file; the 12 was lost or
        // late): the move happened between the last sign of the old recorder and now.
        if (book.open !== null && book.state === 'recording') {
          const since = book.lastAliveAt ?? book.open.from;
          if (at > since) {
            this.close(book, since, { cause: 'failover', detail });
            book.open = { from: at, to: null, endedBy: null };
            session.live.push(book.open);
            book.lastAliveAt = at;
          }
        }
        const closed = book.closedAtStep;
        if (
          closed !== null &&
          closed.step === this.steps &&
          closed.span.endedBy?.cause === 'failover'
        )
          closed.span.endedBy = { cause: 'failover', detail };
        book.marks.push({ at, kind: 'failover', sid: event.sid, detail: event.filePrefix });
        return;
      }
      case 'quit': {
        // Told by a notification, the quit happened about when it arrived; found by queries,
        // the recorder was last seen alive before.
        const told = facts?.kind === 'files' && facts.reportedBy === 'notification';
        this.close(book, told ? at : book.lastAliveAt, {
          cause: 'quit',
          detail: `quit (${event.reason})${event.sid === null ? '' : ` of ${event.sid}`}`,
        });
        this.end(book, event.sid, { at, how: 'quit', reason: event.reason });
        this.enter(book, 'quit', at);
        book.marks.push({ at, kind: 'quit', sid: event.sid, detail: event.reason });
        return;
      }
      case 'restarting':
        this.enter(book, 'restarting', at);
        book.marks.push({
          at,
          kind: 'restarting',
          sid: book.current?.sid ?? null,
          detail: String(event.restarts),
        });
        return;
      case 'restarted': {
        book.current = this.session(book, event.sid, at);
        this.enter(book, 'starting', at);
        book.marks.push({ at, kind: 'restarted', sid: event.sid, detail: String(event.restarts) });
        return;
      }
      case 'stopped':
        this.close(book, at, { cause: 'quit', detail: 'stopped by the host' });
        this.end(book, event.sid, { at, how: 'stopped', reason: null });
        this.enter(book, 'stopped', at);
        book.marks.push({ at, kind: 'stopped', sid: event.sid });
        return;
      case 'failed':
        this.close(book, at, { cause: 'failed', detail: `failed (${event.reason})` });
        this.end(book, book.current?.sid ?? null, { at, how: 'failed', reason: event.reason });
        this.enter(book, 'failed', at);
        book.marks.push({
          at,
          kind: 'failed',
          sid: book.current?.sid ?? null,
          detail: event.reason,
        });
        return;
      default:
        return;
    }
  }

  /** Files an input names, and whether it is a sign of life of its sid's recorder. */
  private files(facts: FilesFacts, at: number): void {
    const recording =
      facts.recording ?? (facts.sid === null ? undefined : this.sidOwners.get(facts.sid));
    const book = recording === undefined ? undefined : this.recordings.get(recording);
    if (book === undefined) {
      if (facts.sid !== null && facts.files.length > 0) this.park(facts, at);
      return;
    }
    const sid = facts.sid ?? book.current?.sid ?? null;
    if (facts.alive && book.open !== null && sid === book.current?.sid) book.lastAliveAt = at;
    if (sid === null || facts.files.length === 0) return;
    const session = book.sessions.find((s) => s.sid === sid);
    if (session === undefined) {
      if (facts.recording === null) this.park(facts, at);
      return;
    }
    this.addFiles(session, facts, at);
  }

  private addFiles(session: SessionBook, facts: FilesFacts, at: number): void {
    for (const fileName of facts.files) {
      const known = session.files.get(fileName);
      if (known !== undefined) {
        if (facts.stranded) known.pending = true;
        else if (facts.uploaded) known.pending = false;
        continue;
      }
      const n = failoverOf(fileName);
      const playlist = this.playlist(session, n === null ? '' : `bak${n}_`, at, 'files');
      const file: Mutable<ManifestFile> = {
        fileName,
        reportedAt: at,
        reportedBy: facts.reportedBy,
        ...(facts.eventType === undefined ? {} : { eventType: facts.eventType }),
        pending: facts.stranded,
      };
      session.files.set(fileName, file);
      session.playlists.get(playlist.prefix)?.files.push(fileName);
    }
  }

  private park(facts: FilesFacts, at: number): void {
    const sid = facts.sid as string;
    const list = this.parked.get(sid) ?? [];
    list.push({ at, facts });
    this.parked.set(sid, list);
    if (this.parked.size > MAX_PARKED_SIDS) {
      const oldest = this.parked.keys().next().value;
      if (oldest !== undefined) this.parked.delete(oldest);
    }
  }

  private begin(facts: Extract<InputFacts, { kind: 'start' }>, at: number): void {
    this.recordings.set(facts.recording, {
      recording: facts.recording,
      cname: facts.cname,
      mode: facts.mode,
      startAt: at,
      stopAt: null,
      state: 'starting',
      states: [{ at, state: 'starting' }],
      marks: [{ at, kind: 'start', sid: null }],
      sessions: [],
      current: null,
      open: null,
      lastAliveAt: null,
      closedAtStep: null,
    });
  }

  /** The session of `sid`, made when first seen (and given any files that waited for it). */
  private session(book: RecordingBook, sid: string, at: number): SessionBook {
    const known = book.sessions.find((s) => s.sid === sid);
    if (known !== undefined) return known;
    const session: SessionBook = {
      sid,
      uid: null,
      resourceId: null,
      mode: book.mode,
      namedAt: at,
      live: [],
      end: null,
      playlists: new Map(),
      files: new Map(),
    };
    session.playlists.set('', {
      playlist: { prefix: '', failover: null, uid: null, since: at, evidence: 'session' },
      files: [],
    });
    book.sessions.push(session);
    this.sidOwners.set(sid, book.recording);
    const waiting = this.parked.get(sid);
    if (waiting !== undefined) {
      this.parked.delete(sid);
      for (const { at: when, facts } of waiting) this.addFiles(session, facts, when);
    }
    return session;
  }

  private playlist(
    session: SessionBook,
    prefix: string,
    at: number,
    evidence: Playlist['evidence'],
  ): Mutable<Omit<Playlist, 'files'>> {
    const known = session.playlists.get(prefix);
    if (known !== undefined) return known.playlist;
    const n = failoverOf(prefix);
    const playlist = { prefix, failover: n, uid: null, since: at, evidence };
    session.playlists.set(prefix, { playlist, files: [] });
    return playlist;
  }

  private enter(book: RecordingBook, state: LifecycleState, at: number): void {
    if (book.state === state) return;
    book.state = state;
    const last = book.states.at(-1);
    // Several changes at one instant (a quit and its restart): the last one stands.
    if (last !== undefined && last.at === at) book.states[book.states.length - 1] = { at, state };
    else book.states.push({ at, state });
  }

  /** Ends the span being recorded at `at` (never before it began), with the cause of the gap. */
  private close(book: RecordingBook, at: number | null, endedBy: Span['endedBy']): void {
    const span = book.open;
    if (span === null) return;
    span.to = Math.max(span.from, at ?? span.from);
    span.endedBy = endedBy;
    book.open = null;
    book.lastAliveAt = null;
    book.closedAtStep = { step: this.steps, span };
  }

  private end(book: RecordingBook, sid: string | null, end: NonNullable<SessionManifest['end']>) {
    const session = sid === null ? book.current : book.sessions.find((s) => s.sid === sid);
    if (session !== undefined && session !== null && session.end === null) session.end = end;
  }
}

type FilesFacts = Extract<InputFacts, { kind: 'files' }>;

function manifestOf(book: RecordingBook, until: number): RecordingManifest {
  const end = Math.max(until, book.startAt);
  const wanted: Interval = { from: book.startAt, to: Math.min(book.stopAt ?? end, end) };
  const spans = book.sessions.flatMap((session) =>
    session.live.map((span) => ({ sid: session.sid, span, to: span.to ?? end })),
  );
  const recorded = clipIntervals(
    spans.map(({ span, to }) => ({ from: span.from, to })),
    wanted,
  );
  const gaps: CoverageGap[] = complement(recorded, wanted).map((gap) => {
    // What ended the recording before the gap, and what happened during it.
    const before = spans
      .filter(({ to }) => to <= gap.from)
      .sort((a, b) => a.to - b.to)
      .at(-1);
    const during = book.marks.filter(
      (m) =>
        m.at >= gap.from &&
        m.at <= gap.to &&
        (m.kind === 'quit' || m.kind === 'restarted' || m.kind === 'failed'),
    );
    const cause: GapCause = during.some((m) => m.kind === 'failed')
      ? 'failed'
      : (before?.span.endedBy?.cause ?? 'starting');
    const parts = [
      before?.span.endedBy?.detail ?? 'waiting for the recorder to start',
      ...during
        .filter(
          (m) =>
            !(m.kind === 'quit' && before?.span.endedBy?.cause === 'quit' && m.at === before.to),
        )
        .map(markText),
    ];
    return { ...gap, cause, detail: unique(parts).join('; '), sid: before?.sid ?? null };
  });
  return {
    recording: book.recording,
    cname: book.cname,
    mode: book.mode,
    state: book.state,
    until: end,
    sessions: book.sessions.map((session) => sessionManifest(session, end)),
    coverage: {
      wanted,
      recorded,
      wantedMs: wanted.to - wanted.from,
      recordedMs: totalMs(recorded),
      gaps,
    },
    states: [...book.states],
    marks: [...book.marks],
  };
}

function sessionManifest(session: SessionBook, until: number): SessionManifest {
  const playlists = [...session.playlists.values()]
    .map(({ playlist, files }) => ({
      ...playlist,
      files: files.map((name) => ({ ...(session.files.get(name) as ManifestFile) })),
    }))
    // The first playlist, then bak0_, bak1_, ...; the first stays even when it has no file.
    .filter((p) => p.failover === null || p.files.length > 0 || p.evidence !== 'files')
    .sort((a, b) => (a.failover ?? -1) - (b.failover ?? -1));
  return {
    sid: session.sid,
    uid: session.uid,
    resourceId: session.resourceId,
    mode: session.mode,
    namedAt: session.namedAt,
    // A span closed where it began (resumed, then failing over with no sign of life between)
    // recorded nothing anyone can show.
    live: session.live
      .filter((span) => span.to === null || span.to > span.from)
      .map((span) => ({ from: span.from, to: Math.max(span.from, span.to ?? until) })),
    end: session.end,
    playlists,
  };
}

function markText(mark: ManifestMark): string {
  switch (mark.kind) {
    case 'quit':
      return `quit (${mark.detail ?? ''})${mark.sid === null ? '' : ` of ${mark.sid}`}`;
    case 'restarted':
      return `restarted as ${mark.sid ?? ''}`;
    case 'failed':
      return `failed (${mark.detail ?? ''})`;
    default:
      return mark.kind;
  }
}

function unique(parts: readonly string[]): string[] {
  return parts.filter((part, i) => parts.indexOf(part) === i);
}
