// Rule 13's memory: the earlier sessions of a recording that may still run a recorder, and the
// starts it gave up before Agora named their session (rule 11), which may have made one.
import type { Orphan, RecordingContext, StartAttempt } from './types.js';

/** How many given-up starts are kept: beyond them the oldest is forgotten (its uid is reused). */
const MAX_GIVEN_UP = 3;

/**
 * The orphan a life sign belongs to: the earlier session it names by `sid`, else a start given up
 * whose recorder uid it names (its sid was never known).
 * @example orphanOf(context.orphans, 'S1', '1001')
 */
export function orphanOf(orphans: readonly Orphan[], sid: string, uid: string): Orphan | undefined {
  return (
    orphans.find((one) => one.sid === sid) ??
    orphans.find((one) => one.sid === null && one.uid === uid)
  );
}

/**
 * The orphans after the current start attempt is given up and the next goes out with `nextUid`:
 * an attempt whose `start` was sent (its resource known) but whose session Agora never named may
 * have made a recorder (rule 11), so it is kept with `sid` null, and a sid that names its channel
 * and uid is stopped as an orphan (rule 13). A given-up start on `nextUid` is dropped: the new
 * recorder shares its uid, and Agora lets only one of them stay (rule 7).
 */
export function orphansAfterGivingUp(
  context: RecordingContext,
  attempt: StartAttempt | null,
  nextUid: string,
): readonly Orphan[] {
  const { host, session, orphans } = context;
  const resourceId = attempt?.resourceId ?? null;
  const made = resourceId !== null && session?.resourceId !== resourceId;
  const kept = orphans.filter((one) => one.sid !== null || one.uid !== nextUid);
  if (!made || host === null || attempt === null || attempt.uid === nextUid) {
    return kept.length === orphans.length ? orphans : kept;
  }
  const givenUp = kept.filter((one) => one.sid === null);
  const forgotten = givenUp.length >= MAX_GIVEN_UP ? givenUp[0] : undefined;
  return [
    ...kept.filter((one) => one !== forgotten),
    { sid: null, resourceId, mode: host.mode, cname: host.cname, uid: attempt.uid },
  ];
}
