// `recwatch/postgres`: the event log on PostgreSQL, with leases for several instances. A subpath
// of its own, so the main entry never loads the `pg` driver for hosts that do not use it.

export { LeaseLostError, LogDatabaseError } from './log/errors.js';
export type { Heartbeat, HeartbeatOptions } from './log/postgres-heartbeat.js';
export { startHeartbeat } from './log/postgres-heartbeat.js';
export type { Lease, PostgresLeases } from './log/postgres-leases.js';
export type { MigrationResult } from './log/postgres-schema.js';
export { migratePostgres, POSTGRES_SCHEMA_VERSION } from './log/postgres-schema.js';
export type {
  PostgresAppendOptions,
  PostgresEventLog,
  PostgresLogOptions,
} from './log/postgres-store.js';
export { openPostgresLog } from './log/postgres-store.js';
export type { WatchOptions } from './log/postgres-watch.js';
