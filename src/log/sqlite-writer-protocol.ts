// What the SQLite log (sqlite-writer.ts) and its writer thread (sqlite-writer-thread.ts) say to
// each other: plain data only, copied by `postMessage` (a group and its plans packed flat,
// sqlite-wire.ts, their numbers in buffers transferred rather than copied).
import type { SqliteDurability } from './sqlite-durability.js';
import type { AppendResult, ExpectedVersion } from './types.js';

export type { SqliteDurability };

/** What the writer thread starts with (`workerData`). */
export interface WriterInit {
  readonly file: string;
  /** How long a write waits for another connection holding the file's lock, ms. */
  readonly busyTimeoutMs: number;
  readonly durability: SqliteDurability;
}

/** A request to the writer thread; `id` pairs it with its reply. */
export type WriterRequest =
  | {
      readonly kind: 'commit';
      readonly id: number;
      /** The group, packed (`packGroup`): every stream, key and item text, one after the other. */
      readonly text: string;
      /** How to cut `text` up, and the group's numbers (`packGroup`); transferred. */
      readonly layout: Float64Array<ArrayBuffer>;
    }
  | {
      /**
       * One part of a snapshot's JSON text, in order, written at once in a transaction of its
       * own; answered `saved` (the next part is sent then, so a group commit waits behind one
       * part at most). `snapshot` is the id of the snapshot's closing `snapshot` request.
       */
      readonly kind: 'snapshot-part';
      readonly id: number;
      readonly snapshot: number;
      /** The part as UTF-8 bytes, alone in their buffer: transferred, not copied. */
      readonly bytes: Uint8Array<ArrayBuffer>;
    }
  | {
      readonly kind: 'snapshot';
      readonly id: number;
      readonly schemaVersion: number;
      readonly position: number;
      /** How many `snapshot-part`s of this snapshot were sent: the state's JSON text, joined. */
      readonly parts: number;
    }
  | { readonly kind: 'close' };

/** One append of a committed group, as the thread decided it. */
export type WirePlan =
  | { readonly kind: 'write'; readonly rows: number; readonly result: AppendResult }
  | {
      readonly kind: 'conflict';
      readonly stream: string;
      readonly expected: Exclude<ExpectedVersion, 'any'>;
      readonly actual: number;
    };

/** An error of the thread, as data (an `Error` would lose its class on the way). */
export interface WireError {
  readonly message: string;
  /** SQLite's code (`SQLITE_BUSY`...) when there is one. */
  readonly code?: string;
}

/** What the writer thread answers. */
export type WriterReply =
  | {
      readonly kind: 'ready';
      /** `PRAGMA synchronous` of the write connection as SQLite reads it back (1 NORMAL, 2 FULL). */
      readonly synchronous: number;
    }
  | { readonly kind: 'failed'; readonly error: WireError }
  | {
      readonly kind: 'committed';
      readonly id: number;
      /** One plan per append of the group, packed (`packPlans`); transferred. */
      readonly plans: Float64Array<ArrayBuffer>;
    }
  | { readonly kind: 'saved'; readonly id: number }
  | { readonly kind: 'error'; readonly id: number; readonly error: WireError };

/**
 * An error as the thread sends it: its message and SQLite's code.
 * @example wireError(new Error('disk I/O error')) // { message: 'disk I/O error' }
 */
export function wireError(error: unknown): WireError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}
