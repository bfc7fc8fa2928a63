// One seed drives every choice the simulator makes, so a run can be replayed byte for byte.
import { createHash } from 'node:crypto';

type Words = readonly [number, number, number, number];

/**
 * A seedable pseudo-random source (sfc32, seeded through splitmix32). Every draw advances it;
 * the same seed and the same sequence of calls give the same numbers.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * A stream named by labels under a seed: `Prng.derive(7, 'life', 'room-1')` gives the same
   * numbers whatever else was drawn before, so what one channel draws never depends on the calls
   * made for another (the fault schedules of docs/simulator.md "Determinism").
   * @example Prng.derive(seed, 'session', cname, 2).chance(0.1)
   */
  static derive(seed: number, ...labels: readonly (string | number)[]): Prng {
    const digest = createHash('sha256')
      .update(JSON.stringify([seed, ...labels]))
      .digest();
    const word = (at: number) => digest.readUInt32LE(at);
    return new Prng([word(0), word(4), word(8), word(12)]);
  }

  /** @param seed any integer (two seeds give unrelated sequences), or the four words of a state. */
  constructor(seed: number | Words) {
    if (typeof seed !== 'number') {
      [this.a, this.b, this.c, this.d] = seed;
      for (let i = 0; i < 12; i++) this.uint32();
      return;
    }
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** An integer in [0, 2^32). */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A number in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** True with probability `p` (0..1). Draws once even when p is 0 or 1, so the sequence stays fixed. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** An exponential wait with the given mean (ms): the gap between events of a Poisson process. */
  exponential(meanMs: number): number {
    return -Math.log(1 - this.next()) * meanMs;
  }

  /** One item of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `length` lower-case hex digits. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.uint32().toString(16).padStart(8, '0');
    return text.slice(0, length);
  }

  /** A new source seeded from this one: a sub-run whose draws do not shift the parent's. */
  fork(): Prng {
    return new Prng(this.uint32());
  }
}
