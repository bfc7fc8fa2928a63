// A snapshot's JSON text as a store writes it: in parts of about a megabyte, never the whole
// text in one string. The text of 100,000 recordings is 114 MB; joining it took 160-460 ms of
// the event loop, and copying it to a thread or a socket as one value as long again.

/** Characters a part holds at least (but the last): about 1 MB, as the journal's chunks. */
export const SNAPSHOT_PART = 1 << 20;

/**
 * The parts to write of a text given in `chunks` (joined, they are the text): consecutive small
 * chunks joined up to `size` characters, a large one as it is. No part but the last ends inside
 * a surrogate pair (its high half goes with the next part), so each part is valid text on its
 * own and encodes to the bytes the whole text would.
 * @example [...snapshotParts(['{"a":', '1}'], 4)] // ['{"a":', '1}']
 */
export function* snapshotParts(
  chunks: readonly string[],
  size: number = SNAPSHOT_PART,
): Generator<string, void, undefined> {
  let held: string[] = [];
  let length = 0;
  let parts = 0;
  for (const chunk of chunks) {
    held.push(chunk);
    length += chunk.length;
    if (length < size) continue;
    let part = held.join('');
    held = [];
    length = 0;
    const last = part.charCodeAt(part.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      held.push(part.slice(-1));
      length = 1;
      part = part.slice(0, -1);
    }
    if (part.length === 0) continue;
    parts += 1;
    yield part;
  }
  if (length > 0 || parts === 0) yield held.join('');
}
