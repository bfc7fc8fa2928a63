import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryLog,
  type EventLog,
  type ExpectedVersion,
  type LogItem,
  openSqliteLog,
  VersionConflictError,
} from '../../src/index.js';
import { tempDir } from '../fixtures/temp-dir.js';
import { notification, query, reject, tick } from './items.js';

// A small pool of items, so that random appends repeat one another often.
const POOL: readonly LogItem[] = [
  tick(1),
  tick(2),
  query(3, 'r1'),
  query(3, 'r2'),
  notification(4, { eventType: 40, sid: 'S', sequence: 1, noticeId: 'a' }),
  notification(5, { eventType: 40, sid: 'S', sequence: 1, noticeId: 'b' }),
  notification(6, { eventType: 41, sid: 'S', sequence: 2, noticeId: 'a' }),
  reject(7, 'garbage'),
  reject(8, new Uint8Array([1, 2])),
];

interface Append {
  readonly stream: string;
  readonly items: readonly number[];
  readonly expectedVersion: ExpectedVersion;
}

const append: fc.Arbitrary<Append> = fc.record({
  stream: fc.constantFrom('a', 'b', 'c'),
  items: fc.array(fc.nat(POOL.length - 1), { maxLength: 4 }),
  expectedVersion: fc.oneof(fc.constant<'any'>('any'), fc.nat(5)),
});

/** Rounds of appends; the appends of one round are issued together, as concurrent callers would. */
const rounds = fc.array(fc.array(append, { minLength: 1, maxLength: 4 }), { maxLength: 8 });

async function play(log: EventLog, script: readonly (readonly Append[])[]) {
  const outcomes: unknown[] = [];
  for (const round of script) {
    const settled = await Promise.allSettled(
      round.map(({ stream, items, expectedVersion }) =>
        log.append(
          stream,
          items.map((index) => POOL[index]!),
          { expectedVersion },
        ),
      ),
    );
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') outcomes.push(outcome.value);
      else if (outcome.reason instanceof VersionConflictError) {
        const { stream, expected, actual } = outcome.reason;
        outcomes.push({ conflict: { stream, expected, actual } });
      } else throw outcome.reason;
    }
  }
  const versions = await Promise.all(['a', 'b', 'c'].map((stream) => log.streamVersion(stream)));
  return { outcomes, entries: await log.readAll({ limit: 1000 }), versions };
}

describe('the memory and SQLite stores', () => {
  let dir: ReturnType<typeof tempDir>;
  let files = 0;

  beforeAll(() => {
    dir = tempDir();
  });

  afterAll(() => dir.remove());

  it('give the same results and the same log for any appends', async () => {
    await fc.assert(
      fc.asyncProperty(rounds, async (script) => {
        const memory = createMemoryLog();
        files += 1;
        const sqlite = await openSqliteLog(dir.file(`agree-${files}.db`));
        try {
          expect(await play(sqlite, script)).toEqual(await play(memory, script));
        } finally {
          await Promise.all([memory.close(), sqlite.close()]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
