// The inspector answers only pages served from its own address: a DNS-rebinding page (its own
// name resolving to 127.0.0.1) reaches the socket but names its host, and gets 403.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hostCheck } from '../../src/inspect/host-check.js';
import { traceSource } from '../../src/inspect/offline.js';
import { startInspector } from '../../src/inspect/server.js';
import { TRACES } from './traces.js';

/** GET `path` with the given headers (Host included, which fetch would not let us set). */
function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        // An event stream never ends: its first bytes are enough.
        if (path === '/api/events') res.destroy();
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the inspector, asked by another host', () => {
  it('answers 403 to a Host or an Origin that is not its own, on every path', async () => {
    const { feed } = traceSource(`${TRACES}rule-04-failover.jsonl`);
    const inspector = await startInspector({ feed, allowedHosts: ['recwatch.lan'] });
    const { port } = inspector;
    try {
      for (const path of ['/', '/api/history', '/api/events', '/inspector.css']) {
        const rebound = await get(port, path, { host: `evil.example:${port}` });
        expect(rebound.status).toBe(403);
        expect(rebound.body).not.toContain('rule-04');
        const crossOrigin = await get(port, path, {
          host: `127.0.0.1:${port}`,
          origin: 'http://evil.example',
        });
        expect(crossOrigin.status).toBe(403);
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `recwatch.lan:${port}`]) {
        expect((await get(port, '/api/history', { host })).status).toBe(200);
        // Module scripts and fonts come with their page's Origin: the same one is fine.
        const same = await get(port, '/inspector.css', { host, origin: `http://${host}` });
        expect(same.status).toBe(200);
      }
      expect((await get(port, '/api/events', { host: `localhost:${port}` })).body).toContain(
        'event: history',
      );
    } finally {
      await inspector.close();
    }
  });
});

describe('hostCheck', () => {
  it('takes loopback names, the listening address, and any IP address only on a wildcard', () => {
    const loopback = hostCheck('127.0.0.1');
    expect(loopback({ host: '[::1]:80' })).toBe(true);
    expect(loopback({ host: 'LOCALHOST' })).toBe(true);
    expect(loopback({ host: '192.168.1.5:4000' })).toBe(false);
    expect(loopback({})).toBe(false);
    expect(loopback({ host: 'localhost@evil.example' })).toBe(false);
    expect(loopback({ host: 'localhost:4000', origin: 'null' })).toBe(false);
    expect(loopback({ host: 'localhost:4000', origin: 'http://localhost:4001' })).toBe(false);
    expect(loopback({ host: 'localhost:4000', origin: 'https://localhost:4000' })).toBe(false);
    const v6 = hostCheck('::1');
    expect(v6({ host: '[::1]:4000' })).toBe(true);
    const lan = hostCheck('192.168.1.5');
    expect(lan({ host: '192.168.1.5:4000' })).toBe(true);
    expect(lan({ host: '192.168.1.6:4000' })).toBe(false);
    const everywhere = hostCheck('0.0.0.0');
    expect(everywhere({ host: '10.0.0.7:4000' })).toBe(true);
    expect(everywhere({ host: '[fe80::1]:4000' })).toBe(true);
    expect(everywhere({ host: 'evil.example:4000' })).toBe(false);
  });
});
