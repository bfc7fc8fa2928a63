// Start intents when several instances share the log: each kept as the note of its recording's
// lease, so it is written only while the lease is held, and read by whoever takes it over.
import { isRecwatchError } from '../errors/index.js';
import type { Ownership } from './ownership.js';
import { readIntents, type StartIntent, type StartIntents } from './supervisor-intents.js';

/** What the supervisor needs of a book of start intents, whichever store keeps it. */
export type IntentBook = Pick<StartIntents, 'get' | 'all' | 'put' | 'settle'>;

/**
 * The start intents of the recordings this instance owns, kept on their leases. `put` is fenced:
 * an instance that lost the recording's lease gets `LeaseLostError` and must not send the start.
 * @example
 * const intents = new LeaseIntents(ownership);
 * await intents.put(intent); // then send the start
 */
export class LeaseIntents implements IntentBook {
  private readonly byRecording = new Map<string, StartIntent>();

  constructor(private readonly ownership: Ownership) {}

  get(recording: string): StartIntent | undefined {
    return this.byRecording.get(recording);
  }

  all(): readonly StartIntent[] {
    return [...this.byRecording.values()];
  }

  async put(intent: StartIntent): Promise<void> {
    await this.ownership.note(intent.recording, JSON.stringify(intent));
    this.byRecording.set(intent.recording, intent);
  }

  async settle(recording: string, _position: number): Promise<void> {
    this.byRecording.delete(recording);
    try {
      await this.ownership.note(recording, null);
    } catch (error) {
      // Lost meanwhile: the new owner reads the note and settles it itself.
      if (!isRecwatchError(error, 'LEASE_LOST')) throw error;
    }
  }

  /** Reads the intent the recording's previous owner left (after taking it over), if any. */
  async load(recording: string): Promise<StartIntent | undefined> {
    const note = await this.ownership.noteOf(recording);
    if (note === null) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(note);
    } catch {
      return undefined;
    }
    const [intent] = readIntents({ intents: [parsed] });
    if (intent === undefined || intent.recording !== recording) return undefined;
    this.byRecording.set(recording, intent);
    return intent;
  }
}
