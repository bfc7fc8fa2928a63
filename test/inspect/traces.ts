// The rule traces, read and stepped through the core the way the inspector does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CoreState,
  createCore,
  type ReceivedLine,
  readTrace,
  stepLine,
} from '../../src/core/index.js';

/** The folder of the rule traces. */
export const TRACES = fileURLToPath(new URL('../traces/', import.meta.url));

/** Every rule trace's file name. */
export const RULE_TRACES = readdirSync(TRACES)
  .filter((name) => name.endsWith('.jsonl'))
  .sort();

/** A rule trace's lines. */
export function traceLines(name: string): ReceivedLine[] {
  return readTrace(readFileSync(join(TRACES, name), 'utf8')).records;
}

/** A rule trace's expected final picture. */
export function expectedPicture(name: string): unknown {
  return JSON.parse(readFileSync(join(TRACES, name.replace('.jsonl', '.expected.json')), 'utf8'));
}

/** Each core step of a list of lines: the state before, the line, the result. */
export function coreSteps(lines: readonly ReceivedLine[]) {
  let state: CoreState = createCore();
  return lines.map((line) => {
    const before = state;
    const result = stepLine(before, line);
    state = result.state;
    return { before, line, result };
  });
}
