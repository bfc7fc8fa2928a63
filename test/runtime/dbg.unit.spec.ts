import { it } from 'vitest';
import { supervised } from '../fixtures/supervised.js';
it('dbg', async () => {
  const h = await supervised();
  await h.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix', backupUid: '1002' });
  await h.advance(10_000);
  console.log(JSON.stringify(h.agora.deliveries()), JSON.stringify(h.agora.requests().map(r => [r.at, r.kind, r.status])), h.lines);
  await h.close();
});
