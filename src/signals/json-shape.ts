// Whether a received value can be kept and serialized as JSON at all: a cycle, a BigInt or
// nesting thousands of levels deep parses (or is built) fine, then breaks a snapshot or a log
// write much later. Such a value is rejected on receipt, with its reason.

/** The deepest nesting of objects and arrays received (Agora's bodies are about 6 deep). */
export const MAX_DEPTH = 64;

/** The most objects and arrays walked in one value (JSON text of tens of MB, or shared references). */
export const MAX_OBJECTS = 1_000_000;

/** Where a value stops being JSON, and why. */
export interface ShapeProblem {
  readonly path: string;
  readonly problem: string;
}

/**
 * Why `value` cannot be kept as JSON (nested deeper than `MAX_DEPTH`, a cycle, a BigInt, more
 * than `MAX_OBJECTS` objects as JSON would write them out), or undefined when it can. Bytes are
 * not looked into. Costs about one pass over the value, less than parsing it.
 * @example jsonShapeProblem({ a: 10n }) // { path: 'a', problem: 'a BigInt is not JSON' }
 */
export function jsonShapeProblem(value: unknown): ShapeProblem | undefined {
  // Nearly every value is fine: a walk that keeps no path says so, and only a value it refuses
  // is walked again, keeping its path, to say where and why (both refuse exactly the same).
  if (fits(value, 0, MAX_OBJECTS) >= 0) return undefined;
  // Recursion is safe: it stops at MAX_DEPTH. The path is built only for a problem found.
  const walk = new Walk();
  const problem = walk.visit(value);
  return problem === undefined ? undefined : at(pathOf(walk.keys), problem);
}

/**
 * The walk of `Walk.visit` that keeps nothing: `budget` objects may still be walked; returns what
 * is left of it, or -1 where `visit` finds a problem (a BigInt, `depth` objects above one at
 * `MAX_DEPTH`, more than `MAX_OBJECTS`). The same fields in the same order as `visit`.
 */
function fits(value: unknown, depth: number, budget: number): number {
  if (typeof value === 'bigint') return -1;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return budget;
  if (depth >= MAX_DEPTH || budget <= 0) return -1;
  let left = budget - 1;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length && left >= 0; index += 1) {
      const item: unknown = value[index];
      if (typeof item === 'object' || typeof item === 'bigint') left = fits(item, depth + 1, left);
    }
    return left;
  }
  for (const key in value) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if ((typeof item !== 'object' && typeof item !== 'bigint') || !Object.hasOwn(value, key))
      continue;
    left = fits(item, depth + 1, left);
    if (left < 0) return -1;
  }
  return left;
}

// No set of visited objects (that made a reject cost 10 times the parse): a cycle never ends,
// so it shows as depth, and is told apart by the objects on the path, checked only then.
class Walk {
  readonly ancestors: object[] = [];
  readonly keys: (string | number)[] = [];
  objects = 0;

  visit(value: unknown): string | undefined {
    if (typeof value === 'bigint') return 'a BigInt is not JSON';
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return undefined;
    if (this.ancestors.length >= MAX_DEPTH) {
      // A path that meets an object twice is a cycle, named where it first closes.
      const path = [...this.ancestors, value];
      const first = path.findIndex((each, index) => path.indexOf(each) < index);
      if (first < 0) return `nested deeper than ${MAX_DEPTH} levels`;
      this.keys.length = first;
      return 'a cycle (the value contains itself)';
    }
    this.objects += 1;
    if (this.objects > MAX_OBJECTS) return `more than ${MAX_OBJECTS} objects and arrays`;
    this.ancestors.push(value);
    const problem = Array.isArray(value) ? this.items(value) : this.fields(value);
    if (problem !== undefined) return problem;
    this.ancestors.pop();
    return undefined;
  }

  private items(list: readonly unknown[]): string | undefined {
    for (let index = 0; index < list.length; index += 1) {
      const item = list[index];
      if (typeof item !== 'object' && typeof item !== 'bigint') continue;
      this.keys.push(index);
      const problem = this.visit(item);
      if (problem !== undefined) return problem;
      this.keys.pop();
    }
    return undefined;
  }

  private fields(object: object): string | undefined {
    for (const key in object) {
      const item: unknown = (object as Record<string, unknown>)[key];
      if ((typeof item !== 'object' && typeof item !== 'bigint') || !Object.hasOwn(object, key))
        continue;
      this.keys.push(key);
      const problem = this.visit(item);
      if (problem !== undefined) return problem;
      this.keys.pop();
    }
    return undefined;
  }
}

function pathOf(keys: readonly (string | number)[]): string {
  let path = '';
  for (const key of keys)
    path += typeof key === 'number' ? `[${key}]` : path === '' ? key : `.${key}`;
  return path === '' ? '(root)' : path;
}

// A path 64 levels deep is not worth reading in full.
function at(path: string, problem: string): ShapeProblem {
  return { path: path.length > 80 ? `${path.slice(0, 60)}…` : path, problem };
}
