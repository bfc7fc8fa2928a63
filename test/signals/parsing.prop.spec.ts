import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyQuery,
  type ParseResult,
  parseNotification,
  verifySignature,
} from '../../src/index.js';
import { readEnvelopeFast } from '../../src/signals/envelope-fast.js';
import { normalizeInput } from '../../src/signals/index.js';
import { recordSchema } from '../../src/signals/input.js';
import { envelopeSchema } from '../../src/signals/notification.js';
import { readQueryResponseFast } from '../../src/signals/query-fast.js';
import { queryResponse } from '../../src/signals/query-response.js';
import { readRecordFast } from '../../src/signals/record-fast.js';
import { DETAILS, legacyNotificationBody, notificationBody, queryBody } from '../fixtures/agora.js';
import { fleetTrace, NO_FAULTS } from '../fixtures/scenario.js';

const QUERY_KINDS = ['alive', 'notFound', 'transient', 'rateLimited', 'serverError', 'clientError'];

function expectExplained(result: ParseResult<unknown>): void {
  if (result.ok) return;
  expect(result.error.issues.length).toBeGreaterThan(0);
  for (const issue of result.error.issues) {
    expect(issue.path.length).toBeGreaterThan(0);
    expect(issue.problem.length).toBeGreaterThan(0);
  }
  expect(result.error.message).toBe(
    `${result.error.issues[0]?.path}: ${result.error.issues[0]?.problem}`,
  );
}

/** A valid body of any documented type, in either envelope. */
const validBody = fc
  .record({
    eventType: fc.constantFrom(...Object.keys(DETAILS).map(Number)),
    sequence: fc.nat(10_000),
    legacy: fc.boolean(),
  })
  .map(({ eventType, sequence, legacy }) =>
    (legacy ? legacyNotificationBody : notificationBody)({
      eventType,
      sequence,
      details: DETAILS[eventType],
    }),
  );

type Json = unknown;

/** Replaces, deletes or retypes one value somewhere in a JSON tree. */
function mutate(value: Json, path: readonly number[], replacement: Json, remove: boolean): Json {
  if (value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [head = 0, ...rest] = path;
  const index = head % entries.length;
  const out: [string, Json][] = [];
  entries.forEach(([key, child], i) => {
    if (i !== index) out.push([key, child]);
    else if (rest.length === 0 && remove) return;
    else
      out.push([key, rest.length === 0 ? replacement : mutate(child, rest, replacement, remove)]);
  });
  return Array.isArray(value) ? out.map(([, v]) => v) : Object.fromEntries(out);
}

describe('parsing never throws and always explains a rejection', () => {
  it('parseNotification over arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expectExplained(parseNotification(body));
      }),
      { numRuns: 2000 },
    );
  });

  it('parseNotification over arbitrary strings and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), fc.uint8Array(), (text, bytes) => {
        expectExplained(parseNotification(text));
        expectExplained(parseNotification(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('parseNotification over mutated valid payloads: accepts sound ones, explains the rest', () => {
    fc.assert(
      fc.property(
        validBody,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        (body, path, replacement, remove) => {
          const result = parseNotification(mutate(body, path, replacement, remove));
          expectExplained(result);
          if (!result.ok) return;
          const value = result.value;
          expect(Number.isInteger(value.sequence) && value.sequence >= 0).toBe(true);
          expect(Number.isInteger(value.eventType) && value.eventType >= 0).toBe(true);
          expect(typeof value.sid === 'string' && value.sid.length > 0).toBe(true);
          expect(Number.isFinite(value.sendts)).toBe(true);
          expect(typeof value.noticeId).toBe('string');
          expect(typeof value.details).toBe('object');
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('every valid payload is accepted, and parsing its JSON text gives the same value', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const fromObject = parseNotification(body);
        expect(fromObject.ok).toBe(true);
        expect(parseNotification(JSON.stringify(body))).toEqual(fromObject);
      }),
    );
  });

  it('survives nesting deep enough to overflow a recursive reader', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expectExplained(parseNotification(deep));
    const nested = JSON.parse(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`) as unknown;
    expectExplained(
      parseNotification({
        noticeId: 'n',
        eventType: 999,
        payload: { sid: 's', sequence: 1, sendts: 1, details: nested },
      }),
    );
  });

  it('classifyQuery gives one of the six kinds for any status and body', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5, max: 700 }), fc.constant(null)),
        fc.oneof(fc.jsonValue(), fc.constant(queryBody(5)), fc.constant({ code: 404 })),
        (status, body) => {
          expect(QUERY_KINDS).toContain(classifyQuery(status, body).kind);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('normalizeInput explains every rejection of arbitrary records', () => {
    const record = fc.record(
      {
        at: fc.oneof(fc.nat(), fc.double()),
        type: fc.constantFrom(
          'start',
          'started',
          'startFailed',
          'query',
          'stopResult',
          'notification',
          'tick',
          'stop',
          'x',
        ),
        recording: fc.string(),
        sid: fc.string(),
        httpStatus: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constant(null)),
        body: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, (raw) => {
        expectExplained(normalizeInput(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('verifySignature never throws on arbitrary headers and bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.uint8Array()),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()))),
        fc.string(),
        (body, headers, secret) => {
          const check = verifySignature(body, headers, secret);
          expect(typeof check.ok).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('the fast envelope reader', () => {
  it('agrees with the schema wherever it answers, and answers for canonical bodies', () => {
    fc.assert(
      fc.property(
        validBody,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.jsonValue({ maxDepth: 2 }),
        fc.boolean(),
        fc.boolean(),
        (body, path, replacement, remove, mutateIt) => {
          const candidate = mutateIt ? mutate(body, path, replacement, remove) : body;
          const fast = readEnvelopeFast(candidate);
          const schema = envelopeSchema.safeParse(candidate);
          if (fast !== undefined) {
            expect(schema.success).toBe(true);
            expect(fast).toStrictEqual(schema.data);
          }
          const legacy = typeof (body as { notificationId?: unknown }).notificationId === 'string';
          if (!mutateIt && !legacy) expect(fast).toBeDefined();
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('the fast trace-record reader', () => {
  const records = fleetTrace(
    2,
    { minutes: 2, failovers: 1, ending: 'stop', restartReports: true, chatterPerMinute: 1 },
    NO_FAULTS,
    3,
  );
  const startRecord = {
    at: 1,
    type: 'start',
    recording: 'r1',
    cname: 'c',
    uid: '1001',
    mode: 'web',
    backupUid: '1002',
  };

  it('agrees with the schema wherever it answers, and answers for canonical records', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...records, startRecord),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.jsonValue({ maxDepth: 1 }),
        fc.boolean(),
        fc.boolean(),
        (record, path, replacement, remove, mutateIt) => {
          const candidate = mutateIt ? mutate(record, path, replacement, remove) : record;
          const fast = readRecordFast(candidate);
          const schema = recordSchema.safeParse(candidate);
          if (fast !== undefined) {
            expect(schema.success).toBe(true);
            expect(fast).toStrictEqual(schema.data);
          }
          if (!mutateIt) expect(fast).toBeDefined();
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('the fast query-response reader', () => {
  const bodies = [
    queryBody(5),
    queryBody(4, { sliceStartTime: 1_700_000_004 }),
    { serverResponse: { status: 5, fileList: '' } },
    { sid: 'S1', serverResponse: { status: 2 } },
  ];

  it('agrees with the schema wherever it answers, and answers for canonical bodies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bodies),
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.jsonValue({ maxDepth: 1 }),
        fc.boolean(),
        fc.boolean(),
        (body, path, replacement, remove, mutateIt) => {
          const candidate = mutateIt ? mutate(body, path, replacement, remove) : body;
          const fast = readQueryResponseFast(candidate);
          const schema = queryResponse.safeParse(candidate);
          if (fast !== undefined) {
            expect(schema.success).toBe(true);
            expect(fast).toStrictEqual(schema.data);
          }
          if (!mutateIt) expect(fast).toBeDefined();
        },
      ),
      { numRuns: 3000 },
    );
  });
});
