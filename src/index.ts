// biome-ignore-all assist/source/organizeImports: the list is grouped by kind, not by module.
// The public surface of recwatch's main entry, listed name by name and grouped by kind (the way
// rxjs lists its barrel): anything not here is internal and may change in any release. What pulls
// a heavy dependency has its own entry: `recwatch/postgres`, `recwatch/sim`, `recwatch/inspect`.
// test/package/public-names.e2e.spec.ts pins the runtime names: a new one is a deliberate change.

/* The supervisor: recwatch inside a host application. */
export { createSupervisor, SUPERVISOR_DEFAULTS } from './runtime/index.js';
export type {
  ClientRequestFactory,
  DomainEventOf,
  Logger,
  SharedInstance,
  StartAttemptInfo,
  StartCommand,
  SupervisedRecording,
  Supervisor,
  SupervisorOptions,
  SupervisorUsage,
  UpdateCommand,
} from './runtime/index.js';

/* Agora: the webhook endpoint, and the REST client the supervisor calls Agora with. */
export {
  AGORA_DOMAINS,
  createAgoraClient,
  createWebhookHandler,
  TEST_WEBHOOK_CNAME,
} from './agora/index.js';
export type {
  AgoraAnswer,
  AgoraClient,
  AgoraClientOptions,
  CallFailureReason,
  CallOptions,
  RawResponse,
  RefusedAnswer,
  SessionRef,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookReceiver,
  WebhookVerdict,
} from './agora/index.js';

/* The journal and the event log: append before act, rebuild after a restart. */
export { Journal, rebuildFromLog } from './runtime/index.js';
export type { JournalOptions, RebuildOptions, Rebuilt, Received } from './runtime/index.js';
export { allEntries, createMemoryLog, openSqliteLog } from './log/index.js';
export type {
  AllEntriesOptions,
  AppendOptions,
  AppendResult,
  CommitStats,
  EventLog,
  ExpectedVersion,
  LogEntry,
  LogItem,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SqliteDurability,
  SqliteEventLog,
  SqliteLogOptions,
} from './log/index.js';

/* The core: one pure step from (state, record) to (state, outputs), its replay, its picture. */
export {
  coreFor,
  createCore,
  DEFAULT_CORE_OPTIONS,
  deserializeCore,
  differingOptions,
  LiveCore,
  machineStepsOf,
  manifestOf,
  nextWakeOf,
  picture,
  readTrace,
  replay,
  replayUntrusted,
  resolveCoreOptions,
  serializeCore,
  step,
  stepUntrusted,
  writeTrace,
} from './core/index.js';
export type {
  BoundCore,
  CoreOptions,
  CoreOutput,
  CoreState,
  CoreStateJson,
  CoreStateProblem,
  CoreStep,
  Coverage,
  CoverageGap,
  Decision,
  DecisionKind,
  Delivery,
  FleetManifest,
  GapCause,
  Interval,
  LastQuery,
  ManifestFile,
  ManifestMark,
  ManifestOptions,
  Picture,
  Playlist,
  ReceivedLine,
  RecordingManifest,
  RecordingPicture,
  ReplayOptions,
  ResolvedCoreOptions,
  SessionEnd,
  SessionManifest,
  StateChange,
  TraceLine,
  TraceProblem,
} from './core/index.js';

/* The lifecycle machine: one XState v5 statechart per recording. */
export { createRecordingMachine, recordingMachine } from '../machines/index.js';
export type {
  DomainEvent,
  Effect,
  LifecycleState,
  PersistedRecording,
  QuitReason,
  RecordingContext,
  RecordingEvent,
  RecordingInput,
  RecordingMachine,
  RecordingOptions,
  RecordingOutput,
  RecordingSnapshot,
} from '../machines/index.js';

/* Signals: what Agora sends, parsed into typed values; a parse never throws. */
export {
  CLOUD_RECORDING_PRODUCT_ID,
  classifyQuery,
  EVENT_NAMES,
  isKnownEventType,
  parseNotification,
  parseTraceRecord,
  RECORDING_STATUS,
  verifySignature,
} from './signals/index.js';
export type {
  AliveQuery,
  CallFailure,
  CallFailureKind,
  CallOutcome,
  EventDetails,
  ExtensionServices,
  HeaderSource,
  KnownEventType,
  KnownNotification,
  Notification,
  NotificationBase,
  ParseError,
  ParseIssue,
  ParseIssueCode,
  ParseResult,
  QueryOutcome,
  QueryResponse,
  QueryServerResponse,
  RecordedFile,
  RecordingMode,
  RtmpOutput,
  SignatureCheck,
  SignatureHeader,
  TraceRecord,
  TraceRecordType,
  UnknownNotification,
  WebRecorderState,
} from './signals/index.js';

/* Time: a clock is an input of the supervisor; tests drive a virtual one. */
export { scaledClock, systemClock, VirtualClock } from './clock/index.js';
export type { Clock, ClockTimer, ScaledClockOptions } from './clock/index.js';

/* Errors: one family (`instanceof RecwatchError`), told apart by a stable `code`. */
export {
  ConfigurationError,
  InvalidArgumentError,
  InvalidCommandError,
  isRecwatchError,
  NoSessionError,
  RecordingExistsError,
  RecwatchError,
  SupervisorClosedError,
  UnknownRecordingError,
} from './errors/index.js';
export type { RecwatchErrorCode } from './errors/index.js';
export {
  InvalidTimeError,
  LeaseLostError,
  LogClosedError,
  LogDatabaseError,
  LogFileError,
  LogGapError,
  LogInUseError,
  SnapshotUnreadableError,
  VersionConflictError,
} from './log/index.js';
export { CoreStateError } from './core/index.js';
/** The lifecycle machine's own errors (`MACHINE_COMPILE`, `UNKNOWN_STATE_VALUE`): `isRecwatchError` knows them. */
export type { MachineError } from '../machines/recording/errors.js';
export { JournalClosedError } from './runtime/index.js';
