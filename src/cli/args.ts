// Arguments of a command, read with node:util's parseArgs; anything it does not expect is named.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** What a command takes: its options (boolean flags or options with a value) and its arguments. */
export interface CommandSpec {
  readonly options: Readonly<Record<string, { readonly type: 'boolean' | 'string' }>>;
  /** Names of the positional arguments, all required, in order. */
  readonly positionals: readonly string[];
}

/** The options and arguments given. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Reads a command's arguments; throws `UsageError` naming the problem (`unknown option --jsn`,
 * `missing <log.db>`, `unexpected argument 'b.db'`, `option --out needs a value`).
 * @example parseCommand({ options: { json: { type: 'boolean' } }, positionals: ['trace'] }, ['t.jsonl', '--json'])
 */
export function parseCommand(spec: CommandSpec, args: readonly string[]): CommandArgs {
  const { tokens } = parseArgs({
    args: [...args],
    options: spec.options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const known = spec.options[token.name];
    if (known === undefined) throw new UsageError(`unknown option ${quoted(token.rawName)}`);
    if (known.type === 'boolean' && token.value !== undefined)
      throw new UsageError(`option ${token.rawName} takes no value`);
    // Without strict parsing, `--out --json` would take '--json' as the file name.
    const taken = token.value !== undefined && !token.inlineValue && /^-./.test(token.value);
    if (known.type === 'string' && (token.value === undefined || taken))
      throw new UsageError(`option ${token.rawName} needs a value`);
    if (values[token.name] !== undefined)
      throw new UsageError(`option ${token.rawName} is given twice`);
    values[token.name] = known.type === 'boolean' ? true : token.value;
  }
  const missing = spec.positionals[positionals.length];
  if (missing !== undefined) throw new UsageError(`missing <${missing}>`);
  const extra = positionals[spec.positionals.length];
  if (extra !== undefined) throw new UsageError(`unexpected argument ${quoted(extra)}`);
  return { values, positionals };
}

function quoted(text: string): string {
  const shown = JSON.stringify(text).slice(1, -1);
  return /^[\w./:=-]+$/.test(shown) ? shown : `'${shown}'`;
}
