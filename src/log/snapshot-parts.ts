// A snapshot's JSON text as a store writes it: in parts of about a megabyte, never the whole
// text in one string. The text of 100,000 recordings is 114 MB; joining it took 160-460 ms of
// the event loop, and copying it to a thread or a socket as one value as long again.

/** Characters a part holds at least (but the last, and one before a large chunk): about 1 MB. */
export const SNAPSHOT_PART = 1 << 20;

/**
 * The parts to write of a text given in `chunks` (joined, they are the text): consecutive small
 * chunks joined up to `size` characters, a large one (at least `size`) as it is, never joined to
 * what comes before it (the join would copy it whole: 150-190 ms for 100 MB), so what comes
 * before goes as a shorter part. No part but the last ends inside a surrogate pair (its high half
 * goes with the next part), so each part is valid text on its own and encodes to the bytes the
 * whole text would. A text of at most `size` characters is one part.
 * @example [...snapshotParts(['{"a":', '1}'], 4)] // ['{"a":', '1}']
 */
export function* snapshotParts(
  chunks: readonly string[],
  size: number = SNAPSHOT_PART,
): Generator<string, void, undefined> {
  let held: string[] = [];
  let length = 0;
  let parts = 0;
  for (const given of chunks) {
    let chunk = given;
    if (chunk.length >= size && length > 0) {
      let part = held.join('');
      if (isHighSurrogate(part.charCodeAt(part.length - 1))) {
        // The pair's low half comes over (a slice of the chunk is not a copy of it).
        part += chunk.charAt(0);
        chunk = chunk.slice(1);
      }
      held = [];
      length = 0;
      parts += 1;
      yield part;
    }
    held.push(chunk);
    length += chunk.length;
    if (length < size) continue;
    let part = held.length === 1 ? (held[0] as string) : held.join('');
    held = [];
    length = 0;
    if (isHighSurrogate(part.charCodeAt(part.length - 1))) {
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

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
