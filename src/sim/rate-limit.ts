// Agora's QPS limit per app id (default 10 requests a second), on the simulator's clock.

/** A sliding one-second window of accepted calls. */
export class QpsLimit {
  private readonly accepted: number[] = [];

  /** @param perSecond calls allowed in any 1000 ms. */
  constructor(private readonly perSecond: number) {}

  /** Counts a call at `now` and returns true, or returns false (not counted) when over the limit. */
  admit(now: number): boolean {
    while (this.accepted.length > 0 && this.accepted[0]! <= now - 1_000) this.accepted.shift();
    if (this.accepted.length >= this.perSecond) return false;
    this.accepted.push(now);
    return true;
  }
}
