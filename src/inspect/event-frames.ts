// What the inspector's event stream says, as server-sent event frames: the history a page opens
// with (written a slice at a time), the steps it missed, and each new step.
import type { InspectorFeed } from './feed.js';
import type { InspectorStep } from './inspector-step.js';
import { toJson } from './json.js';

/** About this many characters of steps go into one write of a history. */
const SLICE_CHARS = 64 * 1024;

/** A new step, as one event (`id` is its position, so a reconnecting page says what it saw). */
export function stepFrame(step: InspectorStep): string {
  return `id: ${step.position}\nevent: step\ndata: ${toJson(step)}\n\n`;
}

/**
 * The frames a page opening the stream gets, and the last position they cover: the steps after
 * `lastEventId` when the page reconnects and they are all still kept, otherwise the whole
 * history as one `history` event. Produced lazily, a slice at a time, from the feed's memory.
 */
export function openingFrames(
  feed: InspectorFeed,
  lastEventId: string | undefined,
): { readonly frames: Iterable<string>; readonly last: number } {
  const { base, steps } = feed.history();
  const last = steps.at(-1)?.position ?? 0;
  const seen = Number(lastEventId);
  const first = steps[0]?.position ?? 1;
  if (lastEventId !== undefined && Number.isInteger(seen) && seen >= first - 1) {
    return { frames: missed(steps, seen), last };
  }
  return { frames: history(feed, base, steps, last), last };
}

function* missed(steps: readonly InspectorStep[], seen: number): Generator<string> {
  for (const step of steps) if (step.position > seen) yield stepFrame(step);
}

// One `history` event (the page's WireHistory), its steps array written a slice at a time.
function* history(
  feed: InspectorFeed,
  base: unknown,
  steps: readonly InspectorStep[],
  last: number,
): Generator<string> {
  const head = toJson({ title: feed.title, live: feed.live, base });
  yield `retry: 2000\nid: ${last}\nevent: history\ndata: ${head.slice(0, -1)},"steps":[`;
  let slice = '';
  for (let i = 0; i < steps.length; i += 1) {
    slice += (i === 0 ? '' : ',') + toJson(steps[i]);
    if (slice.length >= SLICE_CHARS) {
      yield slice;
      slice = '';
    }
  }
  yield `${slice}]}\n\n`;
}
