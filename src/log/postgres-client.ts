// A connection checked out of a pool has no 'error' listener of the pool's: one the server drops
// while it is out (a restart, a failover, pg_terminate_backend, a proxy's timeout) would be an
// uncaught 'error' event that ends the process. Every connection the log checks out goes through
// here.
import type pg from 'pg';

/** What `withClient` gives the work: the connection, and whether it broke (then it is dropped). */
export interface CheckedOutClient {
  readonly client: pg.PoolClient;
  /** The connection's own error, once it broke; the query under way rejects too. */
  broken(): Error | undefined;
  /** Marks the connection unfit to reuse (a failed rollback), so it is closed on release. */
  discard(error: Error): void;
}

/**
 * The connection a piece of work ran on was lost under it (the server went away, or cut it):
 * whether its last statement took effect is unknown. `cause` is the driver's error.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';

  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`connection lost: ${detail}`, { cause });
  }
}

/**
 * Checks out a connection, runs `work` with it and releases it, closed rather than reused when
 * it broke or was discarded. A connection lost meanwhile fails the query under way, and the work
 * then rejects with `ConnectionLostError`; it is never thrown at the process. A connection that
 * cannot be had at all rejects with the driver's error.
 * @example const rows = await withClient(pool, async ({ client }) => (await client.query(sql)).rows);
 */
export async function withClient<T>(
  pool: pg.Pool,
  work: (checkedOut: CheckedOutClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    return await work({ client, broken: () => broken, discard: (error) => onError(error) });
  } catch (error) {
    throw broken !== undefined || isConnectionLoss(error) ? new ConnectionLostError(error) : error;
  } finally {
    // Released with its error, the pool closes it; the pool's own listener takes later events.
    client.off('error', onError);
    client.release(broken);
  }
}

/** Tries of a statement (or a group commit) whose connection is lost under it. */
export const CONNECTION_ATTEMPTS = 3;

// SQLSTATE classes of a server that went away or cut the session: 08 connection exception, 57P
// operator intervention (admin or crash shutdown, cannot connect now).
const LOST_STATES = /^(08|57P0[123])/;
// What pg and Node say when the socket closed under a query (pg gives these errors no code).
const LOST_MESSAGES = /^(Connection terminated|Client has encountered a connection error)/;
const LOST_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Whether `error` says the connection was lost (rather than the statement refused): then what the
 * statement did is unknown, and trying again on another connection is how to find out.
 * @example isConnectionLoss({ code: '57P01' }) // true: terminating connection due to administrator command
 */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof ConnectionLostError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (LOST_STATES.test(code) || LOST_SOCKET.has(code))) return true;
  return typeof message === 'string' && LOST_MESSAGES.test(message);
}

/**
 * Keeps a pool's idle connections that the server drops from crashing the process (pg emits
 * those on the pool, and an 'error' event nobody listens to is thrown); the pool replaces them.
 * Returns the removal of the listener.
 * @example const forget = survivePoolErrors(pool); ...; forget();
 */
export function survivePoolErrors(pool: pg.Pool): () => void {
  const ignore = () => {};
  // Every connection the pool makes from now on has a listener of its own too: a connection the
  // server drops while it is checked out between statements (a heartbeat's, a lease's) fails
  // the statement under way, which its caller handles, and is never thrown at the process.
  const guard = (client: pg.PoolClient) => {
    client.on('error', ignore);
  };
  pool.on('error', ignore);
  pool.on('connect', guard);
  return () => {
    pool.off('error', ignore);
    pool.off('connect', guard);
  };
}
