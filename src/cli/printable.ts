// Text from a trace or a webhook, made safe to print on a terminal: control characters (escape
// sequences that recolor, move the cursor or retitle the window), bidirectional overrides and
// lone surrogates are shown as \u escapes, never passed through raw.

const BIDI: ReadonlySet<number> = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

// C0 controls but tab, DEL and C1 controls, bidi controls, and surrogates without their pair.
function unsafeAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 0x20) return code !== 0x09;
  if (code >= 0x7f && code <= 0x9f) return true;
  if (BIDI.has(code)) return true;
  if (isHigh(code)) return !isLow(text.charCodeAt(index + 1));
  if (isLow(code)) return !isHigh(text.charCodeAt(index - 1));
  return false;
}

/**
 * `text` with every character a terminal would act on written as a `\uXXXX` escape.
 * @example printable('S1\u001b[2J') // 'S1\\u001b[2J'
 */
export function printable(text: string): string {
  let out = '';
  let from = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (!unsafeAt(text, index)) continue;
    const hex = text.charCodeAt(index).toString(16).padStart(4, '0');
    out += `${text.slice(from, index)}\\u${hex}`;
    from = index + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
