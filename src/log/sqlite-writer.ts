import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TransferListItem, Worker } from 'node:worker_threads';
import { InvalidArgumentError } from '../errors/index.js';
import { LogClosedError, LogFileError } from './errors.js';
import { snapshotParts } from './snapshot-parts.js';
import type { SqliteGroupAppend } from './sqlite-commit.js';
import { packGroup, unpackPlans } from './sqlite-wire.js';
import {
  type SqliteDurability,
  type WireError,
  type WirePlan,
  type WriterInit,
  type WriterReply,
  type WriterRequest,
  wireError,
} from './sqlite-writer-protocol.js';

// The thread's module sits beside this one: `.js` once built, `.ts` when recwatch runs from its
// sources under a TypeScript loader (its tests do, through test/worker-typescript.mjs).
const THREAD_MODULE = new URL(
  `./sqlite-writer-thread${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

const DURABILITIES: readonly SqliteDurability[] = ['full', 'normal'];
// `PRAGMA synchronous` as SQLite reads it back.
const SYNCHRONOUS_LEVEL: Readonly<Record<SqliteDurability, number>> = { full: 2, normal: 1 };

/**
 * Throws an `InvalidArgumentError` unless `durability` is `'full'` or `'normal'`.
 * @example checkDurability('normal') // passes; checkDurability('off') throws
 */
export function checkDurability(durability: unknown): asserts durability is SqliteDurability {
  if (!DURABILITIES.includes(durability as SqliteDurability)) {
    throw new InvalidArgumentError(
      `durability must be 'full' or 'normal', not ${String(durability).slice(0, 40)}`,
    );
  }
}

// The options that decide how modules load (a loader, a condition): what a thread needs of them.
const LOADING_OPTIONS = [
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
];

/**
 * The Node options the writer thread starts with: the host's as they are (`undefined`: a worker
 * inherits them), unless they hold `--input-type`, which a worker started from a file refuses
 * (it is for the host's `--eval` text); then only the options that decide how modules load.
 * A list given explicitly may hold no V8 or process option (`--expose-gc` is refused), so the
 * whole list is never passed.
 * @example threadExecArgv(['--input-type=module', '--import', 'x.mjs', '-e', 'code']) // ['--import', 'x.mjs']
 */
export function threadExecArgv(execArgv: readonly string[]): string[] | undefined {
  if (!execArgv.some((arg) => arg === '--input-type' || arg.startsWith('--input-type='))) {
    return undefined;
  }
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i += 1) {
    const arg = execArgv[i] as string;
    if (LOADING_OPTIONS.includes(arg) && i + 1 < execArgv.length) {
      kept.push(arg, execArgv[i + 1] as string);
      i += 1;
    } else if (LOADING_OPTIONS.some((option) => arg.startsWith(`${option}=`))) kept.push(arg);
  }
  return kept;
}

const encoder = new TextEncoder();

// A part's UTF-8 bytes in a buffer of their own, so the buffer can be transferred.
function utf8(text: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(text);
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return bytes.slice();
}

function withDefined<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

interface Thread {
  readonly worker: Worker;
  /** Requests sent to this thread and not answered yet, by id. */
  readonly pending: Map<number, { resolve(reply: WriterReply): void; reject(error: Error): void }>;
}

/**
 * The write side of a SQLite log: a `worker_threads` worker that owns the log's write connection
 * (sqlite-writer-thread.ts), so commits and their fsync never block the event loop. Requests are
 * answered in the order sent. The thread never keeps the process alive while nothing is asked of
 * it (it is unref'd when idle, ref'd while a request waits, so a pending append is finished
 * before the process exits). A thread that fails or stops fails what it was asked with
 * `LogFileError`; the next request starts a new one.
 * @example
 * const writer = await SqliteWriter.start({ file, busyTimeoutMs: 5000, durability: 'full' });
 * const plans = await writer.commit(group);
 * await writer.close();
 */
export class SqliteWriter {
  readonly #init: WriterInit;
  readonly #module: URL;
  /** The thread answering requests; null before it started and once it is lost. */
  #live: Thread | null = null;
  #starting: Promise<Thread> | null = null;
  #nextId = 1;
  #closed = false;

  private constructor(init: WriterInit, module: URL) {
    this.#init = init;
    this.#module = module;
  }

  /**
   * Starts the writer thread and waits until it holds the write connection, at `durability`.
   * `module` replaces the thread's module (tests only).
   * @throws LogFileError when the thread cannot start or cannot open the file for writing.
   */
  static async start(init: WriterInit, module: URL = THREAD_MODULE): Promise<SqliteWriter> {
    const writer = new SqliteWriter(init, module);
    await writer.#current();
    return writer;
  }

  /** How the write connection commits. */
  get durability(): SqliteDurability {
    return this.#init.durability;
  }

  /**
   * Plans and writes `group` in one transaction; one plan per append, in order.
   * @throws LogFileError when the transaction fails (nothing of the group written), or the
   *   thread fails or stops meanwhile.
   */
  async commit(group: readonly SqliteGroupAppend[]): Promise<readonly WirePlan[]> {
    const { text, layout } = packGroup(group);
    const reply = await this.#request(
      (id) => ({ kind: 'commit', id, text, layout }),
      'cannot append',
      [layout.buffer],
    );
    if (reply.kind !== 'committed') throw this.#unexpected(reply, 'cannot append');
    try {
      return unpackPlans(reply.plans, group);
    } catch (error) {
      throw this.#fileError('cannot append', wireError(error));
    }
  }

  /**
   * Keeps a snapshot's state (JSON text in chunks, checked by the caller; joined they are the
   * text) as the latest of its schema. The text goes to the thread in parts of about 1 MB
   * (`snapshotParts`), one per turn of the event loop, each as UTF-8 bytes moved to the thread
   * (transferred), and is joined there: the host's event loop never holds or copies the whole
   * text (114 MB at 100,000 recordings).
   * @throws LogFileError when it cannot be written (the thread lost meanwhile included).
   */
  async saveSnapshot(
    schemaVersion: number,
    position: number,
    chunks: readonly string[],
  ): Promise<void> {
    if (this.#closed) throw new LogClosedError();
    const thread = await this.#current();
    const id = this.#nextId++;
    let parts = 0;
    for (const text of snapshotParts(chunks)) {
      // Encoded here (one pass, about 1 ms a part) and moved: a string would be copied once to
      // be sent, again to be received, then encoded on the thread. One part at a time: each
      // is written before the next is sent, so appends meanwhile wait for one part at most.
      const bytes = utf8(text);
      const reply = await this.#request(
        (part) => ({ kind: 'snapshot-part', id: part, snapshot: id, bytes }),
        'cannot write',
        [bytes.buffer],
        { thread },
      );
      if (reply.kind !== 'saved') throw this.#unexpected(reply, 'cannot write');
      parts += 1;
    }
    const reply = await this.#request(
      () => ({ kind: 'snapshot', id, schemaVersion, position, parts }),
      'cannot write',
      [],
      { thread, id },
    );
    if (reply.kind !== 'saved') throw this.#unexpected(reply, 'cannot write');
  }

  /**
   * Closes the write connection and ends the thread; waits for it. Call once nothing is pending.
   * Calling it again does nothing; requests after it reject with `LogClosedError`.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const thread = this.#live ?? (await this.#starting?.catch(() => null));
    if (thread === null || thread === undefined) return;
    const { worker } = thread;
    // Ref'd so a host awaiting close is not ended first.
    worker.ref();
    const exited = once(worker, 'exit');
    worker.postMessage({ kind: 'close' } satisfies WriterRequest);
    await exited;
  }

  async #request(
    build: (id: number) => WriterRequest,
    problem: string,
    transfer: readonly TransferListItem[] = [],
    on?: { readonly thread: Thread; readonly id?: number },
  ): Promise<WriterReply> {
    if (this.#closed) throw new LogClosedError();
    const thread = on?.thread ?? (await this.#current());
    if (on !== undefined && this.#live !== thread) {
      throw new LogFileError(this.#init.file, `${problem}: the writer thread was lost`);
    }
    const id = on?.id ?? this.#nextId++;
    const reply = await new Promise<WriterReply>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage(build(id), transfer);
    });
    if (reply.kind === 'error') throw this.#fileError(problem, reply.error);
    return reply;
  }

  /** The running thread, started when there is none (at start, or after one was lost). */
  #current(): Promise<Thread> {
    if (this.#live !== null) return Promise.resolve(this.#live);
    this.#starting ??= this.#spawn().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  async #spawn(): Promise<Thread> {
    const worker = new Worker(this.#module, {
      workerData: this.#init,
      ...withDefined('execArgv', threadExecArgv(process.execArgv)),
    });
    const thread: Thread = { worker, pending: new Map() };
    // Its first word: ready, or why not. (Only these listeners are removed after: a Worker's
    // own internal ones must stay, or its messages stop arriving.)
    let listeners: {
      message(reply: WriterReply): void;
      error(e: Error): void;
      exit(code: number): void;
    };
    let first: WriterReply;
    try {
      first = await new Promise<WriterReply>((resolve, reject) => {
        listeners = {
          message: resolve,
          error: reject,
          exit: (code) => reject(new Error(`it stopped (exit code ${code})`)),
        };
        worker.once('message', listeners.message);
        worker.once('error', listeners.error);
        worker.once('exit', listeners.exit);
      });
    } catch (error) {
      await worker.terminate();
      const detail = error instanceof Error ? error.message : String(error);
      throw new LogFileError(this.#init.file, `cannot start the writer thread: ${detail}`, {
        cause: error,
      });
    } finally {
      worker.off('message', listeners!.message);
      worker.off('error', listeners!.error);
      worker.off('exit', listeners!.exit);
    }
    if (first.kind !== 'ready' || first.synchronous !== SYNCHRONOUS_LEVEL[this.#init.durability]) {
      await worker.terminate();
      throw first.kind === 'failed'
        ? this.#fileError('cannot open for writing', first.error)
        : new LogFileError(
            this.#init.file,
            `cannot commit with durability '${this.#init.durability}' (synchronous ${first.kind === 'ready' ? first.synchronous : '?'})`,
          );
    }
    worker.on('message', (reply: WriterReply) => this.#answered(thread, reply));
    worker.on('error', (error) => this.#lost(thread, `the writer thread failed: ${error.message}`));
    worker.on('exit', (code) =>
      this.#lost(thread, `the writer thread stopped (exit code ${code})`),
    );
    worker.unref();
    this.#live = thread;
    return thread;
  }

  #answered(thread: Thread, reply: WriterReply): void {
    const id = 'id' in reply ? reply.id : undefined;
    const waiting = id === undefined ? undefined : thread.pending.get(id);
    if (id === undefined || waiting === undefined) return;
    thread.pending.delete(id);
    if (thread.pending.size === 0) thread.worker.unref();
    waiting.resolve(reply);
  }

  // What the thread was asked fails; the next request starts a new thread.
  #lost(thread: Thread, why: string): void {
    if (this.#live === thread) this.#live = null;
    const failure = new LogFileError(this.#init.file, `cannot append: ${why}`);
    for (const waiting of thread.pending.values()) waiting.reject(failure);
    thread.pending.clear();
  }

  #fileError(problem: string, error: WireError): LogFileError {
    const cause = Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
    return new LogFileError(this.#init.file, `${problem}: ${error.message}`, { cause });
  }

  #unexpected(reply: WriterReply, problem: string): LogFileError {
    return new LogFileError(this.#init.file, `${problem}: unexpected answer ${reply.kind}`);
  }
}
