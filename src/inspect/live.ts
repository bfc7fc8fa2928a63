// The inspector page for a running supervisor: a live feed of its journal's steps, served on
// loopback, closed when the supervisor closes.
import type { CoreOptions, CoreState } from '../core/index.js';
import type { JournalStep } from '../runtime/index.js';
import { createLiveFeed } from './feed.js';
import { startInspector } from './server.js';

/** What `startLiveInspector` reads of a supervisor (a `Supervisor` has both). */
export interface InspectableSupervisor {
  /** The core's state now: the page starts from it. */
  readonly state: CoreState;
  /** The steps from now on; its completion (the supervisor closing) closes the page. */
  readonly steps$: {
    subscribe(observer: { next: (step: JournalStep) => void; complete: () => void }): {
      unsubscribe(): void;
    };
  };
}

/** Options of `startLiveInspector`. */
export interface LiveInspectorOptions {
  /** TCP port; default 0 (any free port). */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** More host names a page may reach it by (see `InspectorOptions.allowedHosts`). */
  readonly allowedHosts?: readonly string[];
  /** Shown on the page; default 'live supervisor'. */
  readonly title?: string;
  /**
   * @deprecated Not needed: the core's steps carry the machine events they delivered, and the
   * options in force are in its state (rule 12). Accepted and ignored.
   */
  readonly core?: Partial<CoreOptions>;
  /** Steps kept for the page; older ones fold into the recordings it starts from. Default 10000. */
  readonly maxSteps?: number;
  /**
   * Close the page when the supervisor closes. Default true; false keeps it readable (the steps
   * so far) until `close()`, e.g. after a demo run has ended.
   */
  readonly closeWithSupervisor?: boolean;
}

/** A live inspector: the page's address, and `close` (also done when the supervisor closes). */
export interface LiveInspector {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly port: number;
  /** Stops following the supervisor and serving the page. Idempotent. */
  close(): Promise<void>;
  /** Resolves once the inspector is closed, by `close` or by the supervisor closing. */
  readonly closed: Promise<void>;
}

/**
 * Serves recwatch's inspector page for a running supervisor: every recording it holds, and each
 * new step as a new row the moment the journal takes it (server-sent events).
 * @throws the listen error (e.g. EADDRINUSE) when the port cannot be taken.
 * @example
 * const supervisor = await createSupervisor({ ... });
 * const inspector = await startLiveInspector(supervisor, { port: 0 });
 * console.log(`inspector: ${inspector.url}`); // closes with the supervisor
 */
export async function startLiveInspector(
  supervisor: InspectableSupervisor,
  options: LiveInspectorOptions = {},
): Promise<LiveInspector> {
  const feed = createLiveFeed({
    state: supervisor.state,
    title: options.title ?? 'live supervisor',
    ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
  });
  // Subscribed before the server listens: no step taken meanwhile is missed.
  let ended = false;
  let close: () => Promise<void> = async () => {};
  const subscription = supervisor.steps$.subscribe({
    next: (step) => {
      try {
        feed.push(step);
      } catch {
        // The page is a view: a step it cannot show must never reach (and throw in) the journal.
      }
    },
    complete: () => {
      feed.end();
      if (options.closeWithSupervisor === false) return;
      ended = true;
      void close();
    },
  });
  let running: Awaited<ReturnType<typeof startInspector>>;
  try {
    running = await startInspector({
      feed,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
    });
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }
  let closing: Promise<void> | null = null;
  let resolveClosed = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  close = () => {
    closing ??= (async () => {
      subscription.unsubscribe();
      await running.close();
      resolveClosed();
    })();
    return closing;
  };
  // The supervisor closed while the server was starting.
  if (ended) await close();
  return { url: running.url, port: running.port, close, closed };
}
