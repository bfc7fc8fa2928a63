// The edit token of the persistent collections, as Clojure's transients have: a fold that owns
// its state until it is done updates the nodes created with its token in place.

/**
 * The right to change, in place, the collection nodes created with it. Whoever holds one must
 * not let a collection built with it escape before it stops using the token.
 */
export class Edit {
  /** Tokens are told apart by identity; this field only keeps the type nominal. */
  protected readonly edit = 'edit' as const;
}
