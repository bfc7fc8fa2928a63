// Reading the inspector's server-sent events in tests, as a page's EventSource would.
/** One server-sent event, its data parsed. */
export interface ReadEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
}

/**
 * Reads server-sent events from a response until `count` have come (or `until` says so, given
 * those read so far), then lets the stream go.
 */
export async function readEvents(
  response: Response,
  count: number | ((events: readonly ReadEvent[]) => boolean),
): Promise<ReadEvent[]> {
  const enough =
    typeof count === 'number' ? (events: readonly ReadEvent[]) => events.length >= count : count;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: ReadEvent[] = [];
  let text = '';
  while (!enough(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end = text.indexOf('\n\n');
    while (end >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      end = text.indexOf('\n\n');
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const data = field('data');
      if (data !== undefined) {
        events.push({
          event: field('event') ?? 'message',
          id: field('id'),
          data: JSON.parse(data),
        });
      }
    }
  }
  await reader.cancel();
  return events;
}
