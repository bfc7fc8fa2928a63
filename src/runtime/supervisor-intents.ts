// Starts sent to Agora whose answer is not in the log yet. Kept durably before the `start` call,
// so a host that dies in between can settle it on resume instead of starting a second recording.
import type { EventLog } from '../log/index.js';
import type { RecordingMode } from '../signals/index.js';

/** A start about to be sent: the acquired resource and the uid it uses. */
export interface StartIntent {
  readonly recording: string;
  readonly resourceId: string;
  readonly cname: string;
  readonly uid: string;
  readonly mode: RecordingMode;
  /** The log position when it was written: notifications after it may name its sid. */
  readonly position: number;
  /** When it was written (clock ms). */
  readonly at: number;
}

/**
 * The log's snapshot slot the intents live in. Not an input (it does not change the lifecycle),
 * and not the core's snapshot (whose schema versions are small numbers): a slot of its own that
 * every EventLog already keeps durably, so any store works without a new table.
 */
export const START_INTENTS_SLOT = 1_000_001;

/**
 * The book of start intents, one per recording at most, written through to the log.
 * @example
 * const intents = await StartIntents.load(log);
 * await intents.put({ recording: 'r1', resourceId, cname, uid, mode, position, at });
 */
export class StartIntents {
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    private readonly log: EventLog,
    private readonly byRecording: Map<string, StartIntent>,
  ) {}

  static async load(log: EventLog): Promise<StartIntents> {
    const saved = await log.loadSnapshot(START_INTENTS_SLOT);
    const list = readIntents(saved?.state);
    return new StartIntents(log, new Map(list.map((intent) => [intent.recording, intent])));
  }

  get(recording: string): StartIntent | undefined {
    return this.byRecording.get(recording);
  }

  all(): readonly StartIntent[] {
    return [...this.byRecording.values()];
  }

  /** Keeps the intent; resolves once it is durable. */
  put(intent: StartIntent): Promise<void> {
    this.byRecording.set(intent.recording, intent);
    return this.save(intent.position);
  }

  /** Forgets the recording's intent (its answer is in the log now). */
  settle(recording: string, position: number): Promise<void> {
    if (!this.byRecording.delete(recording)) return this.tail;
    return this.save(position);
  }

  private save(position: number): Promise<void> {
    const state = { intents: this.all() };
    const saved = this.tail.then(() =>
      this.log.saveSnapshot({ position, schemaVersion: START_INTENTS_SLOT, state }),
    );
    this.tail = saved.catch(() => {});
    return saved;
  }
}

/** The intents of a saved `{ intents: [...] }`, skipping any that lack a field. */
export function readIntents(state: unknown): StartIntent[] {
  if (state === null || typeof state !== 'object' || !('intents' in state)) return [];
  const intents = state.intents;
  if (!Array.isArray(intents)) return [];
  return intents.filter(
    (intent): intent is StartIntent =>
      intent !== null &&
      typeof intent === 'object' &&
      typeof intent.recording === 'string' &&
      typeof intent.resourceId === 'string' &&
      typeof intent.uid === 'string' &&
      typeof intent.cname === 'string' &&
      typeof intent.position === 'number',
  );
}
