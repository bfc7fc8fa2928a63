// A host that appends to a SQLite log until it is killed: the child process of
// log-crash.e2e.spec.ts. It uses the built package, as a real host would.
// Usage: node crash-writer.mjs <log file> <run> <seed> <retry file>
// Prints one JSON line per event, to stdout (synchronous for pipes on Linux):
//   {"ready":true}                                   the log is open, retries are done
//   {"send":id,"stream":s,"items":[...]}             before an append is issued
//   {"ack":id,"positions":[...],"version":n}         after its promise resolved
import { readFileSync } from 'node:fs';

const { openSqliteLog } = await import(new URL('../../dist/src/log/index.js', import.meta.url));

const [file, runText, seedText, retryFile] = process.argv.slice(2);
const run = Number(runText);
let seed = Number(seedText) >>> 0;
const STREAMS = ['recording-r0', 'recording-r1', 'recording-r2', 'recording-r3', 'recording-r4'];

// mulberry32, as in test/fixtures/random.ts: this plain-Node child cannot import TypeScript.
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function print(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

let counter = 0;

function item(stream) {
  counter += 1;
  const at = run * 1_000_000 + counter;
  const recording = stream.slice('recording-'.length);
  const pick = random();
  if (pick < 0.4) {
    const body = {
      serverResponse: { status: 5, fileList: `f-${at}.m3u8` },
      pad: 'x'.repeat(random() * 400),
    };
    return {
      kind: 'input',
      at,
      record: { at, type: 'query', recording, sid: `S${run}`, httpStatus: 200, body },
    };
  }
  if (pick < 0.8) {
    const body = {
      noticeId: `n-${at}`,
      productId: 3,
      eventType: 40,
      notifyMs: at,
      payload: {
        cname: 'room',
        uid: '527841',
        sid: `S${run}`,
        sequence: counter,
        sendts: at,
        details: {},
      },
    };
    return { kind: 'input', at, record: { at, type: 'notification', body } };
  }
  return { kind: 'reject', at, reason: 'at: expected number', raw: `garbage ${at} ${random()}` };
}

const log = await openSqliteLog(file);

// What the previous run sent and never saw acknowledged is sent again, as a host retries.
const retries = JSON.parse(readFileSync(retryFile, 'utf8'));
await Promise.all(
  retries.map(async (batch) => {
    const result = await log.append(batch.stream, batch.items, { expectedVersion: 'any' });
    print({ ack: batch.send, positions: result.positions, version: result.version, retry: true });
  }),
);
print({ ready: true });

async function writer(stream) {
  let version = await log.streamVersion(stream);
  for (;;) {
    const items = Array.from({ length: 1 + Math.floor(random() * 20) }, () => item(stream));
    const id = `${run}-${counter}`;
    print({ send: id, stream, items });
    const result = await log.append(stream, items, { expectedVersion: version });
    version = result.version;
    print({ ack: id, positions: result.positions, version });
  }
}

await Promise.all(STREAMS.map(writer));
