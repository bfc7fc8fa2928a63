export { JournalClosedError } from './errors.js';
export type { HostRecord, JournalOptions, Received } from './journal.js';
export { Journal } from './journal.js';
export type { RebuildOptions, Rebuilt } from './rebuild.js';
export { rebuildFromLog, saveCoreSnapshot } from './rebuild.js';
export { SnapshotPolicy } from './snapshot-policy.js';
