// Stately's WebSocket inspector plugged into a supervisor (`createSupervisor({ inspect })`): a
// WebSocket server on loopback, standing in for the inspector's UI, receives each recording as
// an actor with the lifecycle machine's definition, its events and its snapshots.
import type { AddressInfo } from 'node:net';
import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type Supervised, supervised } from '../fixtures/supervised.js';

interface Message {
  readonly type: string;
  readonly sessionId: string;
  readonly name?: string;
  readonly definition?: string;
  readonly event?: { type: string };
  readonly snapshot?: { value?: unknown; context?: { session?: { sid: string } | null } };
}

let harness: Supervised | undefined;
let server: WebSocketServer | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe("Stately's WebSocket inspector on a supervisor", () => {
  it('receives each recording as an actor with its machine, then its events and snapshots', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server = wss;
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const messages: Message[] = [];
    let wanted = (_: readonly Message[]) => false;
    let arrived = () => {};
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        messages.push(JSON.parse(String(data)) as Message);
        if (wanted(messages)) arrived();
      });
    });
    const { port } = wss.address() as AddressInfo;
    const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
    try {
      harness = await supervised({ overrides: { inspect: inspector.inspect } });
      const { supervisor } = harness;
      // Until r1's snapshot says what the supervisor says: recording, with its sid.
      const done = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      wanted = (seen) =>
        seen.some(
          (m) =>
            m.type === '@xstate.snapshot' &&
            m.sessionId === 'r1' &&
            JSON.stringify(m.snapshot?.value) === JSON.stringify({ recording: 'healthy' }),
        );
      await supervisor.start({ recording: 'r1', cname: 'room1', uid: '1001', mode: 'mix' });
      await harness.advance(5_000);
      await done;
      const actors = messages.filter((m) => m.type === '@xstate.actor');
      expect(actors.map((m) => m.sessionId)).toEqual(['r1']);
      expect(actors[0]?.name).toBe('recording');
      expect(JSON.parse(actors[0]?.definition ?? '{}')).toMatchObject({ id: 'recording' });
      const events = messages.filter((m) => m.type === '@xstate.event' && m.sessionId === 'r1');
      expect(events.map((m) => m.event?.type).slice(0, 3)).toEqual([
        'start',
        'startSent',
        'started',
      ]);
      const last = messages.filter((m) => m.type === '@xstate.snapshot').at(-1);
      expect(last?.snapshot?.context?.session?.sid).toBe(supervisor.get('r1')?.sid);
      expect(supervisor.get('r1')?.state).toBe('recording');
    } finally {
      inspector.stop();
    }
  });
});
