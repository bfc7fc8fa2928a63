// What a stream operation is given besides its state: its options, and the edit token of a fold
// that owns the state. One value, built once per fold, instead of a trailing positional token.
import type { Edit } from './collections/index.js';

/**
 * A stream operation's context: its options, and `edit`, the token of a fold that owns the state
 * until it is done (absent or null: every update is persistent, the state given is never
 * changed). Plain options are a context: `dedupe(state, key, at, { ...options, edit })` in a fold.
 */
export type StreamContext<O extends object> = O & {
  readonly edit?: Edit | null;
  /**
   * Under a token, keep dedupe's key sets as compact tries changed in place, rather than JS
   * Sets (see `withKey`): for a core that lives long and holds a set per sid.
   */
  readonly compactKeys?: boolean;
};

/** The edit token of a context, or null. */
export function editOf(context: { readonly edit?: Edit | null }): Edit | null {
  return context.edit ?? null;
}
