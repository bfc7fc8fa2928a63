// One start out per recording (rule 11): a start decision that comes while another start of the
// same recording is still out waits for it, and only the latest such decision is kept.

/**
 * Runs start work one at a time per recording. Work that comes while one runs is queued, not
 * dropped; a newer one replaces an older one still waiting (the chart's latest decision wins).
 * @example queue.run('r1', () => acquireAndStart(effect));
 */
export class StartQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, () => Promise<void>>();

  /**
   * @param background how to run work nobody awaits (the supervisor's: failures become log lines).
   */
  constructor(
    private readonly background: (what: string, work: () => Promise<void>) => Promise<void>,
  ) {}

  /** Runs `work` for `recording` now, or after the start under way. */
  run(recording: string, work: () => Promise<void>): void {
    if (this.running.has(recording)) {
      this.waiting.set(recording, work);
      return;
    }
    const done = this.background(`start ${recording}`, work).finally(() => {
      this.running.delete(recording);
      const next = this.waiting.get(recording);
      if (next === undefined) return;
      this.waiting.delete(recording);
      this.run(recording, next);
    });
    this.running.set(recording, done);
  }

  /** Whether a start of `recording` is under way. */
  busy(recording: string): boolean {
    return this.running.has(recording);
  }

  /** Forgets what waits (closing). */
  clear(): void {
    this.waiting.clear();
  }
}
