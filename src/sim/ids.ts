// Where sids, resource ids and noticeIds come from: fresh random ones by default, so two runs of
// one seed never hand out the same sid (a log that outlives a run would mix their sessions).
import { randomBytes, randomInt } from 'node:crypto';
import type { Prng } from './prng.js';

/** How ids are made: `unique` (random, the default) or `seeded` (from the seed, byte-for-byte runs). */
export type IdMode = 'unique' | 'seeded';

/** The ids the service hands out. */
export interface IdSource {
  /** 32 lower-case hex digits, as Agora's sids. */
  sid(): string;
  /** 112 characters of `A-Za-z0-9-_`, as Agora's resource ids. */
  resourceId(): string;
  /** The numeric part before `:` of every noticeId of one run. */
  noticeIdPrefix(): string;
}

const RESOURCE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Random ids from node:crypto: unique across runs and processes. */
export function uniqueIds(): IdSource {
  return {
    sid: () => randomBytes(16).toString('hex'),
    // 84 bytes are exactly 112 base64url characters (the same alphabet).
    resourceId: () => randomBytes(84).toString('base64url'),
    noticeIdPrefix: () => String(randomInt(1_000_000_000, 281_474_976_710_655)),
  };
}

/** Ids drawn from `prng`: the same seed gives the same ids (and the same bytes on the wire). */
export function seededIds(prng: Prng): IdSource {
  return {
    sid: () => prng.hex(32),
    resourceId: () => {
      let id = '';
      for (let i = 0; i < 112; i++) id += prng.pick([...RESOURCE_ID_ALPHABET]);
      return id;
    },
    noticeIdPrefix: () => String(prng.int(1_000_000_000, 2_999_999_999)),
  };
}
