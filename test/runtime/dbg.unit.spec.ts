import { it } from 'vitest';
import { supervised } from '../fixtures/supervised.js';
it('dbg', async () => {
  const h = await supervised();
  await h.supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix', backupUid: '1002' });
  await h.advance(10_000);
  const sid = h.supervisor.get('r1')!.sid!;
    for (const uid of ['2001', '2002', '2003', '2004']) {
      h.agora.failover(sid, uid, 5_000);
      await h.advance(30_000);
    }
      console.log(h.supervisor.get('r1'));
  console.log(h.events.map(e => JSON.stringify(e)).join('\n'));
  console.log(JSON.stringify(h.agora.requests().map(r => [r.at - 1.7e12, r.kind, r.status, r.body.uid])));
  await h.close();
});
