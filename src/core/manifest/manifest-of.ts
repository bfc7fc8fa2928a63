// A fleet's manifest from its inputs: a replay through the core, its outputs folded into a book.
import type { TraceRecord } from '../../signals/index.js';
import { type CoreOptions, resolveCoreOptions } from '../options.js';
import { isReceivedLine, Replay } from '../replay.js';
import { createCore } from '../state.js';
import type { ReceivedLine } from '../step.js';
import { ManifestBook } from './book.js';
import type { FleetManifest } from './types.js';

/** Options of `manifestOf`. */
export interface ManifestOptions {
  /** The host's core options, as the log was made with (default docs/lifecycle.md's). */
  readonly options?: Partial<CoreOptions>;
  /** The end of the time considered (ms); default the latest input's time. */
  readonly until?: number;
}

/**
 * What every recording of a trace or log produced: its sessions in order, their playlists by
 * failover and the files Agora reported, and the time it covered against the time wanted, with
 * every gap and its cause. Replays the inputs through the core (no network, no clock).
 * @example
 * const { recordings } = manifestOf(readTrace(text).records);
 * recordings[0]?.sessions[0]?.playlists.map((p) => p.prefix); // ['', 'bak0_']
 */
export function manifestOf(
  inputs: Iterable<TraceRecord | ReceivedLine>,
  options: ManifestOptions = {},
): FleetManifest {
  const book = new ManifestBook();
  const fold = new Replay(createCore(), { options: resolveCoreOptions(options.options) });
  for (const input of inputs) {
    const line: ReceivedLine = isReceivedLine(input) ? input : { kind: 'input', record: input };
    book.step(line, fold.line(line));
  }
  fold.finish();
  return fleetManifest(book, options.until);
}

/**
 * Every recording's manifest in a book, sorted by id, up to `until` (default its latest input).
 * @example fleetManifest(book).recordings.length
 */
export function fleetManifest(book: ManifestBook, until: number = book.now): FleetManifest {
  const end = Number.isFinite(until) ? until : 0;
  const recordings = book.ids().flatMap((id) => book.manifest(id, end) ?? []);
  return { until: end, recordings };
}
