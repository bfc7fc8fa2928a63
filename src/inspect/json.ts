// The inspector's JSON: what it sends its page.
const utf8 = new TextDecoder();

/** JSON for the page; bodies received as bytes are shown as the text they carry. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    field instanceof Uint8Array ? utf8.decode(field) : field,
  );
}
