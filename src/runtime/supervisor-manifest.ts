// `supervisor.manifest(id)`: a manifest book fed by the journal's live steps, built once from
// the log the first time it is asked for (never per call), so a big fleet pays for it only once
// and only if the host uses it.
import type { Observable } from 'rxjs';
import {
  type CoreOutput,
  type CoreState,
  createCore,
  ManifestBook,
  type ReceivedLine,
  type RecordingManifest,
  Replay,
} from '../core/index.js';
import { allEntries, type EventLog } from '../log/index.js';
import type { JournalStep } from './journal.js';

interface Pending {
  readonly position: number;
  readonly item: ReceivedLine;
  readonly outputs: readonly CoreOutput[];
}

/**
 * The supervisor's manifests. Until the first `manifest` call it only listens; that call replays
 * the log up to the journal's position through a core of its own (the same inputs and options
 * give the same outputs) into a book, while the steps taken meanwhile wait in a queue; from then
 * on every journal step is folded as it is taken. Memory: the book (sessions, files and state
 * changes of every recording seen), not the inputs.
 */
export class SupervisorManifests {
  private book: ManifestBook | null = null;
  private building: Promise<ManifestBook> | null = null;
  private queue: Pending[] | null = null;

  /**
   * @param log the supervisor's event log (read from its start, once, with the options it
   *   recorded: rule 12).
   * @param state the journal's state now (its position bounds the replay).
   * @param steps$ every journal step from now on, in log order.
   */
  constructor(
    private readonly log: EventLog,
    private readonly state: () => CoreState,
    steps$: Observable<JournalStep>,
  ) {
    // Ends when the supervisor closes (steps$ completes).
    steps$.subscribe((step) => this.step(step));
  }

  /**
   * One recording's manifest up to `until` (ms), or undefined when the log never named it.
   * Rejects with the log's error when the first build cannot read it (the next call tries again).
   */
  async manifest(recording: string, until: number): Promise<RecordingManifest | undefined> {
    const book = this.book ?? (await this.build());
    return book.manifest(recording, until);
  }

  private step(step: JournalStep): void {
    if (this.book !== null) this.book.step(step.item, step.outputs);
    else
      this.queue?.push({
        position: step.position ?? step.state.position,
        item: step.item,
        outputs: step.outputs,
      });
  }

  private build(): Promise<ManifestBook> {
    this.building ??= this.replay().catch((error: unknown) => {
      this.building = null;
      this.queue = null;
      throw error;
    });
    return this.building;
  }

  private async replay(): Promise<ManifestBook> {
    const upTo = this.state().position;
    this.queue = [];
    const book = new ManifestBook();
    const fold = new Replay(createCore());
    for await (const entry of allEntries(this.log)) {
      if (entry.position > upTo) break;
      book.step(entry.item, fold.line(entry.item));
    }
    fold.finish();
    for (const pending of this.queue) {
      if (pending.position > upTo) book.step(pending.item, pending.outputs);
    }
    // In the same turn as the queue's last step: no journal step falls between the two.
    this.queue = null;
    this.book = book;
    return book;
  }
}
