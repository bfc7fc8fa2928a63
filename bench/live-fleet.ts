// What the webhook benches start from: a log where recordings are already live, and a supervisor
// whose Agora is unreachable, so only the webhook path is measured.
import type { Journal } from '../src/index.js';
import { CNAME } from '../test/fixtures/agora.js';

/**
 * Agora settings under which every REST call fails at once (nothing listens on port 9) and is
 * logged as such, with no retry: nothing of Agora is measured.
 */
export const UNREACHABLE_AGORA = {
  appId: 'a',
  customerId: 'c',
  customerSecret: 's',
  baseUrl: 'http://127.0.0.1:9',
  retryDelaysMs: [],
} as const;

/**
 * Logs `count` live recordings through `journal` at `at` (ms), as a host's log holds them:
 * r<i> started and `started` with sid S<i>, resourceId R<i>, uid 1000+i.
 * @example await logLiveRecordings(journal, 50, Date.now());
 */
export async function logLiveRecordings(journal: Journal, count: number, at: number) {
  for (let i = 0; i < count; i += 1) {
    const recording = `r${i}`;
    const uid = String(1000 + i);
    await journal.receive({ at, type: 'start', recording, cname: CNAME, uid, mode: 'mix' });
    await journal.receive({
      at,
      type: 'started',
      recording,
      resourceId: `R${i}`,
      sid: `S${i}`,
      uid,
    });
  }
}
