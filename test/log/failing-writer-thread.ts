// A writer thread that fails as no real one should: it throws, uncaught, on a commit to the
// stream 'crash' (the thread ends before writing it), and is the real thread
// (sqlite-writer-thread.ts) otherwise. Started by sqlite-writer-thread.int.spec.ts in its place.
import { parentPort } from 'node:worker_threads';
import { unpackGroup } from '../../src/log/sqlite-wire.js';
import type { WriterRequest } from '../../src/log/sqlite-writer-protocol.js';

const port = parentPort;
if (port !== null) {
  // The real thread's listener is wrapped, so the throw comes before it sees the request.
  const on = port.on.bind(port) as (event: string, listener: (value: unknown) => void) => unknown;
  port.on = ((event: string, listener: (request: WriterRequest) => void) =>
    on(event, (value) => {
      const request = value as WriterRequest;
      if (request.kind === 'commit' && unpackGroup(request)[0]?.stream === 'crash') {
        throw new Error('the writer thread broke');
      }
      listener(request);
    })) as typeof port.on;
}
await import('../../src/log/sqlite-writer-thread.js');
