// Rule 8 end to end: whether Agora's `sequence` goes on across a failover or starts again from 0
// for the new recorder uid, every distinct notification a signed webhook delivers is stored once
// and reaches the core once, and no copy (a resend, a redundant send, a new noticeId on the same
// sid+uid+eventType+sequence) is stored or applied twice.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allEntries,
  type CoreOutput,
  createMemoryLog,
  createSupervisor,
  createWebhookHandler,
  replay,
  VirtualClock,
} from '../../src/index.js';

import { notificationBody } from '../fixtures/agora.js';

const SECRET = 'ncs-secret-for-the-property';
const SID = 'S-failover';
const T0 = 1_700_000_000_000;

type Reading = 'continuing' | 'restarting';
type CopyKind = 'same' | 'resent' | 'renamed';

interface Distinct {
  readonly uid: string;
  readonly eventType: number;
  readonly sequence: number;
  readonly body: Record<string, unknown>;
}

// Per recorder (the first, then one per failover): the event types it sends, in order.
const sessionArb = fc.record({
  reading: fc.constantFrom<Reading>('continuing', 'restarting'),
  recorders: fc.array(fc.array(fc.constantFrom(2, 43, 44), { minLength: 1, maxLength: 4 }), {
    minLength: 1,
    maxLength: 4,
  }),
});

function distinctOf(reading: Reading, recorders: readonly (readonly number[])[]): Distinct[] {
  let counter = 0;
  return recorders.flatMap((types, recorder) =>
    types.map((eventType, index) => {
      const uid = String(100_000 + recorder);
      const sequence = reading === 'continuing' ? counter++ : index;
      const sendts = T0 + recorder * 60_000 + index * 1_000;
      const body = notificationBody({
        eventType,
        sid: SID,
        uid,
        sequence,
        sendts,
        noticeId: `n-${recorder}-${index}`,
      });
      return { uid, eventType, sequence, body };
    }),
  );
}

function copyOf(original: Record<string, unknown>, kind: CopyKind, n: number) {
  if (kind === 'same') return original;
  if (kind === 'resent')
    return { ...original, notifyMs: (original.notifyMs as number) + 5_000 * n };
  return { ...original, noticeId: `${original.noticeId as string}-again-${n}` };
}

const deliveriesArb = sessionArb.chain(({ reading, recorders }) => {
  const distinct = distinctOf(reading, recorders);
  const copyKinds = fc.array(fc.constantFrom<CopyKind>('same', 'resent', 'renamed'), {
    maxLength: 2,
  });
  return fc
    .tuple(
      fc.constant(distinct),
      fc.array(copyKinds, { minLength: distinct.length, maxLength: distinct.length }),
    )
    .chain(([items, copies]) => {
      const sends = items.flatMap((item, index) => [
        item.body,
        ...(copies[index] ?? []).map((kind, n) => copyOf(item.body, kind, n + 1)),
      ]);
      return fc.tuple(
        fc.constant(items),
        fc.shuffledSubarray(sends, { minLength: sends.length, maxLength: sends.length }),
      );
    });
});

const identityOf = (uid: string, eventType: number, sequence: number) =>
  JSON.stringify([uid, eventType, sequence]);

describe('notification keys across a failover (rule 8, both readings of sequence)', () => {
  it('stores and applies every distinct notification once, and no copy twice', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArb, async ([distinct, sends]) => {
        const log = createMemoryLog();
        const supervisor = await createSupervisor({
          agora: {
            appId: 'a',
            customerId: 'c',
            customerSecret: 's',
            baseUrl: 'http://127.0.0.1:9',
          },
          clientRequest: () => ({}),
          log,
          clock: new VirtualClock(T0 + 600_000),
        });
        try {
          const webhook = createWebhookHandler(supervisor, { secret: SECRET });
          for (const body of sends) {
            const text = JSON.stringify(body);
            const headers = {
              'content-type': 'application/json',
              'Agora-Signature-V2': createHmac('sha256', SECRET).update(text).digest('hex'),
            };
            const request = new Request('http://127.0.0.1/agora', {
              method: 'POST',
              headers,
              body: text,
            });
            expect((await webhook.fetch(request)).status).toBe(200);
          }
          const entries = [];
          for await (const entry of allEntries(log)) entries.push(entry);
          const stored = entries.map((entry) => {
            const record = entry.item.kind === 'input' ? entry.item.record : null;
            const body = (
              record as { body: { eventType: number; payload: Record<string, unknown> } }
            ).body;
            return identityOf(
              String(body.payload.uid),
              body.eventType,
              Number(body.payload.sequence),
            );
          });
          // Nothing lost, nothing doubled in the log.
          expect([...stored].sort()).toEqual(
            distinct.map((each) => identityOf(each.uid, each.eventType, each.sequence)).sort(),
          );
          // Replayed, each stored notification reaches the core once and none is a copy.
          const decided = new Map<number, string[]>();
          const onOutput = (output: CoreOutput) => {
            if (output.kind !== 'decision') return;
            decided.set(output.position, [
              ...(decided.get(output.position) ?? []),
              output.decision,
            ]);
          };
          replay(
            entries.map((entry) => entry.item),
            { onOutput },
          );
          expect(decided.size).toBe(distinct.length);
          expect([...decided.values()].flat()).not.toContain('duplicate');
        } finally {
          await supervisor.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
