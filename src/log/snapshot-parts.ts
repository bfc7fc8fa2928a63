// A snapshot's JSON text as a store writes it: in parts of about a megabyte, each part in pieces
// of at most about 64 K characters, never the whole text in one string. The text of 100,000
// recordings is 114 MB; joining it took 160-460 ms of the event loop. Even one megabyte is a
// pause here: building a 1 MB string, or encoding one to UTF-8, takes 3.5-4 ms on the 2-core
// machines (a fresh large allocation each time), where a 64 K piece takes 0.05-0.3 ms. So a
// store encodes (or joins) a piece per turn of the event loop, and whole parts only where it
// must (docs/performance.md, "Snapshots in pieces").

/** Characters a part holds at least (but the last): about 1 MB, a row of `snapshot_parts`. */
export const SNAPSHOT_PART = 1 << 20;

/** Characters a piece holds at most (one less where that would end inside a surrogate pair). */
export const SNAPSHOT_PIECE = 1 << 16;

/**
 * The parts to write of a text given in `chunks` (joined, they are the text), each part the
 * pieces it is made of. Pieces are consecutive small chunks joined, or slices of a large one, up
 * to `pieceSize` characters; a part is pieces up to `size` characters (every part but the last
 * holds at least `size`, so a text of at most `size` is one part). No piece but the text's last
 * ends inside a surrogate pair (its high half goes with the next piece), so each piece is text on
 * its own and encodes to the bytes the whole text would. An empty text is one part, `['']`.
 * @example [...snapshotParts(['{"a":', '1}'], 4, 2)] // [['{"', 'a"'], [':1', '}']]
 */
export function* snapshotParts(
  chunks: readonly string[],
  size: number = SNAPSHOT_PART,
  pieceSize: number = SNAPSHOT_PIECE,
): Generator<readonly string[], void, undefined> {
  let part: string[] = [];
  let length = 0;
  let parts = 0;
  for (const piece of snapshotPieces(chunks, pieceSize)) {
    part.push(piece);
    length += piece.length;
    if (length < size) continue;
    parts += 1;
    yield part;
    part = [];
    length = 0;
  }
  if (length > 0 || parts === 0) yield part.length === 0 ? [''] : part;
}

/** The text of `chunks` in pieces of at most `pieceSize` characters (see `snapshotParts`). */
function* snapshotPieces(
  chunks: readonly string[],
  pieceSize: number,
): Generator<string, void, undefined> {
  // Small chunks wait here until they make a piece; `held` is their length.
  let small: string[] = [];
  let held = 0;
  for (const chunk of chunks) {
    let rest = chunk;
    while (held + rest.length > pieceSize) {
      // It does not fit: what waits goes on at the front of the chunk, or of a piece of it (a
      // slice is not a copy, but a string joined to the whole chunk is copied whole once it is
      // sliced: 150-190 ms for 100 MB), and that is sliced.
      let text: string;
      if (held === 0) {
        text = rest;
        rest = '';
      } else {
        text = small.join('') + rest.slice(0, pieceSize);
        rest = rest.slice(pieceSize);
      }
      small = [];
      held = 0;
      while (text.length > pieceSize) {
        const end = endOfWholeText(text, pieceSize);
        yield text.slice(0, end);
        text = text.slice(end);
      }
      small.push(text);
      held = text.length;
    }
    small.push(rest);
    held += rest.length;
  }
  if (held > 0) yield small.join('');
}

/** Where to cut `text` near `at` so the cut is not inside a surrogate pair (at least 1). */
function endOfWholeText(text: string, at: number): number {
  const last = text.charCodeAt(at - 1);
  const isHigh = last >= 0xd800 && last <= 0xdbff;
  if (!isHigh) return at;
  return at > 1 ? at - 1 : at + 1;
}
