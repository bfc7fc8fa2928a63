import { startSimulator, VirtualClock } from 'recwatch/sim';
import { expect, it } from 'vitest';

it('sees its recording survive failovers', async () => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const sim = await startSimulator({ seed: 42, profile: 'failoverStorm', clock });
  const { appId, authorization } = sim.credentials;
  const post = async (path: string, body: object): Promise<Record<string, string>> => {
    const url = `${sim.baseUrl}/v1/apps/${appId}/cloud_recording/${path}`;
    const headers = { authorization, 'content-type': 'application/json' };
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    return (await response.json()) as Record<string, string>;
  };
  const request = { cname: 'class-7', uid: '527841', clientRequest: {} };
  const { resourceId } = await post('acquire', request);
  const { sid } = await post(`resourceid/${resourceId}/mode/mix/start`, request);
  for (let minute = 0; minute < 60; minute++) {
    clock.advanceBy(60_000);
    await sim.settle();
  }
  const [recording] = sim.recordings();
  expect(recording?.sid).toBe(sid);
  expect(recording?.failovers.length).toBeGreaterThan(0);
  await sim.close();
});
