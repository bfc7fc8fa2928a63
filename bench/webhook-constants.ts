// What the webhook bench's load generator and its server process agree on.

/** The secret the bench signs with (a test value, not a credential). */
export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret';
/** Recordings live in the supervisor's log before the load starts. */
export const LIVE_RECORDINGS = 50;
