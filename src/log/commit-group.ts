/**
 * Takes from the front of `queue` the appends one group commit writes: the first always, then
 * more while the group holds fewer than `maxItems` items. Every store's group commit uses it, so
 * they split a burst the same way.
 * @example const group = takeGroup(queue, 10_000); // removed from queue, in order
 */
export function takeGroup<T extends { readonly items: readonly unknown[] }>(
  queue: T[],
  maxItems: number,
): T[] {
  let items = 0;
  let count = 0;
  while (count < queue.length && (count === 0 || items < maxItems)) {
    items += queue[count]!.items.length;
    count += 1;
  }
  return queue.splice(0, count);
}
