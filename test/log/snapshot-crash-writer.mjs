// A host that saves large snapshots (several parts each) to a SQLite log until it is killed: the
// child process of snapshot-crash.e2e.spec.ts. It uses the built package, as a real host would.
// Usage: node snapshot-crash-writer.mjs <log file> <first snapshot number>
// Prints one JSON line per event, to stdout (synchronous for pipes on Linux):
//   {"saving":n}   before snapshot n is handed to the log
//   {"saved":n}    after its promise resolved
const { openSqliteLog, SnapshotJsonText } = await import(
  new URL('../../dist/src/log/index.js', import.meta.url)
);

const [file, firstText] = process.argv.slice(2);

/**
 * Snapshot n's text: about 3.3 million characters (4 parts), n in every element, surrogate pairs
 * and multi-byte letters throughout. As in snapshot-crash.e2e.spec.ts.
 */
function snapshotText(n) {
  return JSON.stringify(
    Array.from({ length: 1200 }, (_, i) => `${n}:${i}:${'語é😀a'.repeat(550)}`),
  );
}

/** The text in chunks of changing sizes (1 to 100,000 characters), cut anywhere. */
function chunksOf(text, n) {
  const chunks = [];
  let size = 1 + (n % 7);
  for (let at = 0; at < text.length; ) {
    chunks.push(text.slice(at, at + size));
    at += size;
    size = (size * 7919 + n) % 100_000 || 1;
  }
  return chunks;
}

const log = await openSqliteLog(file);
if ((await log.streamVersion('clock')) === 0) {
  await log.append('clock', [{ kind: 'input', at: 1, record: { at: 1, type: 'tick' } }], {
    expectedVersion: 0,
  });
}
for (let n = Number(firstText); ; n += 1) {
  const chunks = chunksOf(snapshotText(n), n);
  process.stdout.write(`${JSON.stringify({ saving: n })}\n`);
  await log.saveSnapshot({ position: 1, schemaVersion: 1, state: new SnapshotJsonText(chunks) });
  process.stdout.write(`${JSON.stringify({ saved: n })}\n`);
}
