// Whether a received value can be kept and serialized as JSON at all: a cycle, a BigInt or
// nesting thousands of levels deep parses (or is built) fine, then breaks a snapshot or a log
// write much later. Such a value is rejected on receipt, with its reason.

/** The deepest nesting of objects and arrays received (Agora's bodies are about 6 deep). */
export const MAX_DEPTH = 64;

/** Where a value stops being JSON, and why. */
export interface ShapeProblem {
  readonly path: string;
  readonly problem: string;
}

/**
 * Why `value` cannot be kept as JSON (nested deeper than `MAX_DEPTH`, a cycle, a BigInt), or
 * undefined when it can. Bytes are not looked into; each object is visited once.
 * @example jsonShapeProblem({ a: 10n }) // { path: 'a', problem: 'a BigInt is not JSON' }
 */
export function jsonShapeProblem(value: unknown): ShapeProblem | undefined {
  // Depth-first, without recursion: `onPath` holds the objects being visited (a cycle leads back
  // to one), `done` the ones finished (shared, not cyclic), so each is walked once.
  const onPath = new Set<object>();
  const done = new Set<object>();
  const stack: { value: unknown; path: string; depth: number; leaving: boolean }[] = [
    { value, path: '(root)', depth: 0, leaving: false },
  ];
  while (stack.length > 0) {
    const frame = stack.pop() as (typeof stack)[number];
    const current = frame.value;
    if (typeof current === 'bigint') return at(frame.path, 'a BigInt is not JSON');
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    if (frame.leaving) {
      onPath.delete(current);
      done.add(current);
      continue;
    }
    if (done.has(current)) continue;
    if (onPath.has(current)) return at(frame.path, 'a cycle (the value contains itself)');
    if (frame.depth >= MAX_DEPTH) return at(frame.path, `nested deeper than ${MAX_DEPTH} levels`);
    onPath.add(current);
    stack.push({ ...frame, leaving: true });
    const entries = Array.isArray(current)
      ? current.map((item, index) => [`[${index}]`, item] as const)
      : Object.keys(current).map(
          (key) => [`.${key}`, (current as Record<string, unknown>)[key]] as const,
        );
    for (const [key, item] of entries) {
      if (typeof item === 'object' || typeof item === 'bigint')
        stack.push({
          value: item,
          path: join(frame.path, key),
          depth: frame.depth + 1,
          leaving: false,
        });
    }
  }
  return undefined;
}

// A path 64 levels deep is not worth reading in full.
function at(path: string, problem: string): ShapeProblem {
  return { path: path.length > 80 ? `${path.slice(0, 60)}…` : path, problem };
}

function join(path: string, key: string): string {
  if (path === '(root)') return key.startsWith('.') ? key.slice(1) : key;
  return `${path}${key}`;
}
