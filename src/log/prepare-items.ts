import { InvalidArgumentError } from '../errors/index.js';
import { isTime } from '../signals/index.js';
import { encodeItem } from './codec.js';
import { type IdempotencyKeys, idempotencyKeys } from './keys.js';
import type { LogItem } from './types.js';

/** An item made ready outside any transaction: its keys and its stored text. */
export interface PreparedItem {
  readonly keys: IdempotencyKeys;
  readonly at: number;
  readonly text: string;
}

/**
 * Computes keys and stored text for each item; throws an `InvalidArgumentError` for an item that is not one.
 * @example prepareItems([{ kind: 'input', at: 5, record: { at: 5, type: 'tick' } }])
 */
export function prepareItems(items: readonly LogItem[]): PreparedItem[] {
  if (!Array.isArray(items)) throw new InvalidArgumentError('items must be an array of log items');
  return items.map((item: LogItem, index) => {
    if (item?.kind !== 'input' && item?.kind !== 'reject') {
      throw new InvalidArgumentError(
        `items[${index}] is not a log item (kind 'input' or 'reject')`,
      );
    }
    if (!isTime(item.at)) {
      throw new InvalidArgumentError(
        `items[${index}].at must be a time in ms, not ${String(item.at)}`,
      );
    }
    return { keys: idempotencyKeys(item), at: item.at, text: encodeItem(item) };
  });
}
