// The main entry's runtime names, as a user's `import('recwatch')` gets them from the built
// package: a name added or removed must be a deliberate change to this list (and to the docs).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUILT = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));

/** Grouped as src/index.ts groups them. */
const PUBLIC_NAMES = {
  supervisor: ['createSupervisor', 'SUPERVISOR_DEFAULTS'],
  agora: ['AGORA_DOMAINS', 'createAgoraClient', 'createWebhookHandler', 'TEST_WEBHOOK_CNAME'],
  journalAndLog: ['Journal', 'rebuildFromLog', 'allEntries', 'createMemoryLog', 'openSqliteLog'],
  core: [
    'coreFor',
    'createCore',
    'DEFAULT_CORE_OPTIONS',
    'deserializeCore',
    'differingOptions',
    'LiveCore',
    'machineStepsOf',
    'manifestOf',
    'nextWakeOf',
    'picture',
    'readTrace',
    'replay',
    'replayUntrusted',
    'resolveCoreOptions',
    'serializeCore',
    'step',
    'stepUntrusted',
    'writeTrace',
  ],
  machine: ['createRecordingMachine', 'recordingMachine'],
  signals: [
    'CLOUD_RECORDING_PRODUCT_ID',
    'classifyQuery',
    'EVENT_NAMES',
    'isKnownEventType',
    'parseNotification',
    'parseTraceRecord',
    'RECORDING_STATUS',
    'verifySignature',
  ],
  time: ['scaledClock', 'systemClock', 'VirtualClock'],
  errors: [
    'ConfigurationError',
    'InvalidArgumentError',
    'InvalidCommandError',
    'isRecwatchError',
    'NoSessionError',
    'RecordingExistsError',
    'RecwatchError',
    'SupervisorClosedError',
    'UnknownRecordingError',
    'InvalidTimeError',
    'LeaseLostError',
    'LogClosedError',
    'LogDatabaseError',
    'LogFileError',
    'LogGapError',
    'LogInUseError',
    'SnapshotUnreadableError',
    'VersionConflictError',
    'CoreStateError',
    'JournalClosedError',
  ],
} as const;

const sorted = (names: Iterable<string>) => [...names].sort((a, b) => (a < b ? -1 : 1));

describe("the main entry's public names", () => {
  it('are exactly the curated list', async () => {
    const entry: Record<string, unknown> = await import(BUILT);
    expect(sorted(Object.keys(entry))).toEqual(sorted(Object.values(PUBLIC_NAMES).flat()));
  });

  it('hold no internal helper', async () => {
    const entry: Record<string, unknown> = await import(BUILT);
    const internal = [
      'PersistentMap',
      'readReceived',
      'toLogItem',
      'streamOf',
      'idempotencyKeys',
      'LOG_APPLICATION_ID',
      'CORE_STATE_VERSION',
      'toMachineSnapshot',
      'CODE_REQUEST_NOT_COMPLETED',
      'Dedupe',
      'Reorder',
      'stepSignal',
      'stepLine',
      'stepRejected',
      'stepRecording',
      'Replay',
      'nextWake',
      'recordingState',
      'lifecycleState',
      'classifyCall',
    ];
    expect(internal.filter((name) => name in entry)).toEqual([]);
  });

  it('make every error class a RecwatchError', async () => {
    const entry: Record<string, unknown> = await import(BUILT);
    const { RecwatchError } = entry as { RecwatchError: abstract new () => Error };
    for (const name of PUBLIC_NAMES.errors.filter((n) => /^[A-Z]\w*Error$/.test(n))) {
      const made = entry[name] as { prototype: unknown };
      expect(made.prototype instanceof RecwatchError || made === RecwatchError, name).toBe(true);
    }
  });
});
