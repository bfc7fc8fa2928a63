// Start intents as logs before rule 12 kept them, outside the log's inputs: in snapshot slot
// 1,000,001 (one instance) or as the note on a recording's lease (several instances). Each is
// migrated once into the `startSent` record it stands for, then cleared, so a replay sees it.
import type { EventLog } from '../log/index.js';

/**
 * The snapshot slot earlier versions kept start intents in. Read (and emptied) once when a log
 * is opened; nothing is written there any more.
 */
export const START_INTENTS_SLOT = 1_000_001;

/** A start that was about to be sent, as earlier versions kept it. */
export interface LegacyStartIntent {
  readonly recording: string;
  readonly resourceId: string;
  readonly uid: string;
}

/**
 * The intents of a saved `{ intents: [...] }` (a slot's state, or one intent's note parsed),
 * skipping any that lack a field.
 * @example readLegacyIntents({ intents: [{ recording: 'r1', resourceId: 'R', uid: '1001' }] }).length // 1
 */
export function readLegacyIntents(state: unknown): LegacyStartIntent[] {
  if (state === null || typeof state !== 'object' || !('intents' in state)) return [];
  const intents = state.intents;
  if (!Array.isArray(intents)) return [];
  return intents
    .filter(
      (intent): intent is LegacyStartIntent =>
        intent !== null &&
        typeof intent === 'object' &&
        typeof intent.recording === 'string' &&
        intent.recording !== '' &&
        typeof intent.resourceId === 'string' &&
        intent.resourceId !== '' &&
        typeof intent.uid === 'string',
    )
    .map(({ recording, resourceId, uid }) => ({ recording, resourceId, uid }));
}

/**
 * Takes the intents an earlier version left in the log's slot, and empties it (the caller
 * appends each as `startSent` first: an intent is cleared only once it is in the log).
 * @example const { intents, clear } = await takeSlotIntents(log); ...; await clear();
 */
export async function takeSlotIntents(
  log: EventLog,
): Promise<{ intents: LegacyStartIntent[]; clear: () => Promise<void> }> {
  const saved = await log.loadSnapshot(START_INTENTS_SLOT);
  const intents = readLegacyIntents(saved?.state);
  const clear = async () => {
    if (saved === null || intents.length === 0) return;
    await log.saveSnapshot({
      position: saved.position,
      schemaVersion: START_INTENTS_SLOT,
      state: { intents: [] },
    });
  };
  return { intents, clear };
}

/**
 * The intent a lease note held (an earlier version's instance kept its start there), if any.
 * @example readNoteIntent('{"recording":"r1","resourceId":"R","uid":"1001"}', 'r1')?.uid // '1001'
 */
export function readNoteIntent(note: string | null, recording: string): LegacyStartIntent | null {
  if (note === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(note);
  } catch {
    return null;
  }
  const [intent] = readLegacyIntents({ intents: [parsed] });
  return intent !== undefined && intent.recording === recording ? intent : null;
}
