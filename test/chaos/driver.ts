// A chaos run: host processes embedding the supervisor (the built package) against the simulator,
// their webhooks through a round-robin balancer and their calls through edges, while the driver
// kills them (-9), pauses them past their lease (SIGSTOP, then SIGCONT), restarts PostgreSQL and
// cuts its connections, and the edges answer some calls with redirects and huge bodies. Then it
// ends the hosts, reads what is left and counts the five figures (measure.ts).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { allEntries, type LogEntry, openSqliteLog } from '../../src/index.js';
import { openPostgresLog } from '../../src/postgres.js';
import { startSimulator } from '../../src/sim/index.js';
import { balancer } from '../fixtures/balancer.js';
import { freePort } from '../fixtures/free-port.js';
import type { PostgresCluster } from '../fixtures/postgres-cluster.js';
import { rng } from '../fixtures/random.js';
import { sharedClock } from '../fixtures/shared-clock.js';
import {
  type AgoraEdge,
  drawEdgeFault,
  type EdgeCall,
  type EdgeFault,
  startAgoraEdge,
} from './agora-edge.js';
import { type AcknowledgedCommand, type HostExit, HostProcess, isCrash } from './host-process.js';
import { leaseSpans, recordLeaseHistory } from './lease-history.js';
import { type Figures, type Findings, measure } from './measure.js';
import { BUILT_PACKAGE } from './paths.js';
import { type ChaosEvent, type ChaosSettings, planRun } from './plan.js';

/** How long a host may take to come up, or to close after SIGTERM, real ms. */
const HOST_LIMIT_MS = 30_000;

/** Where a run keeps its files and, on PostgreSQL, the cluster it may restart. */
export interface ChaosPlace {
  /** A folder for SQLite logs. */
  readonly dir: string;
  /** A cluster of the run's own (restarted by the run): required for `store: 'postgres'`. */
  readonly postgres?: PostgresCluster;
}

/** What a run did and found: one entry of the JSON report. */
export interface RunReport {
  readonly seed: number;
  readonly store: ChaosSettings['store'];
  readonly figures: Figures;
  /** The details of the non-zero figures. */
  readonly findings: Partial<Findings>;
  /** The faults injected. */
  readonly faults: {
    readonly kills: number;
    readonly zombies: number;
    readonly postgresRestarts: { readonly fast: number; readonly immediate: number };
    readonly terminations: number;
    readonly connectionsCut: number;
    readonly edge: Readonly<Record<EdgeFault, number>>;
  };
  /** What went through. */
  readonly traffic: {
    readonly webhookAttempts: number;
    readonly webhooksAcknowledged: number;
    readonly commandsSent: number;
    readonly commandsAcknowledged: number;
    readonly calls: number;
    readonly sessions: number;
    readonly logEntries: number;
  };
  /** Distinct warning and error lines of the hosts' loggers, with their counts. */
  readonly warnings: Readonly<Record<string, number>>;
  /** How the hosts ended that counts as a crash. */
  readonly crashes: readonly HostExit[];
  readonly simulatedMs: number;
  readonly realMs: number;
}

/**
 * Runs one chaos run of `settings` drawn from `seed` and reports it.
 * @throws Error when dist/ is missing (run `npm run build`) or a host does not come up at all.
 */
export async function runChaos(
  settings: ChaosSettings,
  seed: number,
  place: ChaosPlace,
): Promise<RunReport> {
  if (!existsSync(BUILT_PACKAGE))
    throw new Error(`${BUILT_PACKAGE} is missing: run npm run build first`);
  if (settings.store === 'postgres' && place.postgres === undefined)
    throw new Error('a PostgreSQL run needs a cluster of its own');
  const realStart = Date.now();
  const { speed } = settings;
  const anchor = Date.UTC(2026, 0, 1);
  const wallAnchor = Date.now();
  const clock = sharedClock(anchor, wallAnchor, speed);
  const toRunTime = (wallMs: number) => anchor + (wallMs - wallAnchor) * speed;
  const realMs = (simulatedMs: number) => simulatedMs / speed;
  const slots = settings.store === 'sqlite' ? 1 : settings.hosts;
  const ports = await Promise.all(Array.from({ length: slots }, () => freePort()));
  const lb = await balancer(ports);
  const sim = await startSimulator({
    seed,
    // Every notification twice, reordered, early; recorders moved and exiting: no notification
    // is lost by Agora itself (a start answered by nobody is rule 11's documented limit then).
    profile: 'redundantReordered',
    overrides: { life: { processKillPerHour: 2, abnormalExitPerHour: 1 } },
    clock,
    webhookUrl: lb.url,
  });
  const { appId, customerId, customerSecret, secret } = sim.credentials;

  const cluster = place.postgres;
  const schema = `chaos_${randomBytes(6).toString('hex')}`;
  const sqliteFile = `${place.dir}/chaos-${seed}.db`;
  let admin: pg.Pool | null = null;
  if (settings.store === 'postgres' && cluster !== undefined) {
    await (await openPostgresLog(cluster.url, { schema })).close();
    admin = new pg.Pool({ connectionString: cluster.url, max: 2 });
    admin.on('error', () => {});
    await recordLeaseHistory(admin, schema);
  }
  const named = (instance: string) => {
    const url = new URL(cluster?.url ?? 'postgres://x');
    url.searchParams.set('application_name', `chaos_${instance}`);
    return url.toString();
  };

  let edgesOn = true;
  const calls: EdgeCall[] = [];
  const edges: AgoraEdge[] = [];
  const edgeRandom = rng(seed ^ 0x5eed);
  const acknowledged: AcknowledgedCommand[] = [];
  const exits: HostExit[] = [];
  const warnings = new Map<string, number>();
  const spawnSpans = new Map<string, { from: number; until: number }>();
  const hosts: (HostProcess | null)[] = Array.from({ length: slots }, () => null);
  const spawned = Array.from({ length: slots }, () => 0);
  let finishing = false;
  // Hosts to pause at their next call (a `midCall` zombie), by instance.
  const pauseAtCall = new Map<string, () => void>();
  const decide = (instance: string, path: string): EdgeFault | null => {
    const pause = pauseAtCall.get(instance);
    if (pause !== undefined) {
      pauseAtCall.delete(instance);
      pause();
      return 'resetAfter';
    }
    if (!edgesOn) return null;
    return drawEdgeFault(
      path.endsWith('/start') ? settings.edgeOnStart : settings.edge,
      edgeRandom,
    );
  };
  const background: Promise<unknown>[] = [];

  const spawnHost = async (slot: number): Promise<HostProcess> => {
    spawned[slot] = (spawned[slot] ?? 0) + 1;
    const instance = `host-${String.fromCharCode(97 + slot)}.${spawned[slot]}`;
    const edge = await startAgoraEdge({
      instance,
      target: sim.baseUrl,
      clock,
      decide,
      calls,
    });
    edges.push(edge);
    const host = new HostProcess(
      instance,
      {
        port: ports[slot],
        secret,
        baseUrl: edge.baseUrl,
        credentials: { appId, customerId, customerSecret },
        anchor,
        wallAnchor,
        speed,
        ...(settings.store === 'sqlite'
          ? { sqlite: sqliteFile }
          : { postgres: { url: named(instance), schema, leaseTtlMs: settings.leaseTtlMs } }),
      },
      acknowledged,
    );
    spawnSpans.set(instance, { from: clock.now(), until: Number.POSITIVE_INFINITY });
    hosts[slot] = host;
    void host.exited.then((exit) => {
      const span = spawnSpans.get(instance);
      if (span !== undefined) span.until = clock.now();
      exits.push(exit);
      for (const line of host.warnings) warnings.set(line, (warnings.get(line) ?? 0) + 1);
      // A host that ended by itself is restarted, as its service manager would.
      if (exit.endedBy === null && !finishing && hosts[slot] === host)
        background.push(spawnHost(slot));
    });
    await until(`${instance} up`, () => host.ready || spawnSpans.get(instance)?.until !== Infinity);
    return host;
  };

  const live = () => hosts.filter((h): h is HostProcess => h?.ready === true && !h.paused);
  const pick = (random: () => number) => {
    const ready = live();
    return ready[Math.floor(random() * ready.length)];
  };
  const commandRandom = rng(seed ^ 0xc0de);
  let commandsSent = 0;
  const faults = {
    kills: 0,
    zombies: 0,
    postgresRestarts: { fast: 0, immediate: 0 },
    terminations: 0,
    connectionsCut: 0,
  };

  const act = async (event: ChaosEvent) => {
    switch (event.kind) {
      case 'start':
      case 'stop': {
        // Sent to a host that is up (waiting for one, as a host application's retry would).
        await until('a host for a command', () => live().length > 0);
        const host = pick(commandRandom);
        if (host === undefined) return;
        const n = Number(event.recording.slice(1));
        commandsSent += 1;
        host.send(
          event.kind === 'stop'
            ? { stop: event.recording }
            : {
                start: {
                  recording: event.recording,
                  cname: `room${n}`,
                  uid: String(10_000 + 2 * n),
                  mode: 'mix',
                },
              },
        );
        return;
      }
      case 'kill': {
        // A host still coming back from the last kill is killed once it is up.
        await until('a host to kill', () => hosts[event.host]?.ready === true);
        const host = hosts[event.host];
        if (host === null || host === undefined) return;
        hosts[event.host] = null;
        faults.kills += 1;
        await host.kill();
        background.push(
          sleep(realMs(settings.restartAfterMs)).then(() =>
            finishing ? undefined : spawnHost(event.host),
          ),
        );
        return;
      }
      case 'zombie': {
        await until('a host to pause', () => hosts[event.host]?.ready === true);
        const host = hosts[event.host];
        if (host === null || host === undefined || host.paused) return;
        if (event.when === 'midCall') {
          // Paused by its edge at its next call; at the latest a minute on, wherever it is.
          let armed = true;
          const paused = new Promise<void>((resolve) => {
            pauseAtCall.set(host.instance, () => {
              armed = false;
              host.pause();
              resolve();
            });
          });
          await Promise.race([paused, sleep(realMs(60_000))]);
          pauseAtCall.delete(host.instance);
          if (armed) host.pause();
        } else host.pause();
        faults.zombies += 1;
        background.push(
          sleep(realMs(settings.zombieMs)).then(() => {
            if (host.paused) host.resume();
          }),
        );
        return;
      }
      case 'postgresRestart':
        faults.postgresRestarts[event.mode] += 1;
        await cluster?.restart(event.mode);
        return;
      case 'terminate': {
        faults.terminations += 1;
        const cut = await admin?.query<{ cut: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS cut FROM pg_stat_activity WHERE application_name LIKE 'chaos\\_%'",
        );
        faults.connectionsCut += cut?.rows[0]?.cut ?? 0;
        return;
      }
    }
  };

  let entries: LogEntry[] = [];
  let crashes: HostExit[] = [];
  const startedAt = clock.now();
  try {
    for (let slot = 0; slot < slots; slot += 1) await spawnHost(slot);
    const begin = clock.now();
    for (const event of planRun(settings, seed)) {
      const wait = begin + event.at - clock.now();
      if (wait > 0) await sleep(realMs(wait));
      await act(event);
    }
    const faultsEnd = begin + settings.faultsMs;
    if (faultsEnd > clock.now()) await sleep(realMs(faultsEnd - clock.now()));
    edgesOn = false;
    await sleep(realMs(settings.quietMs));
    // Hosts still coming back are waited for, so every host is ended by the driver.
    for (let waited = 0; waited < background.length; waited = background.length)
      await Promise.all(background);
    finishing = true;
    for (const host of hosts) if (host?.paused) host.resume();
    await Promise.all(
      hosts.map(async (host) => {
        if (host === null) return;
        // One that does not close is killed, and counts as a crash (code null after SIGTERM).
        const timer = setTimeout(() => host.child.kill('SIGKILL'), HOST_LIMIT_MS);
        await host.terminate();
        clearTimeout(timer);
      }),
    );
    crashes = exits.filter(isCrash);

    if (settings.store === 'postgres' && cluster !== undefined) {
      const log = await openPostgresLog(cluster.url, { schema });
      for await (const entry of allEntries(log)) entries.push(entry);
      await log.close();
    } else {
      const log = await openSqliteLog(sqliteFile, { readOnly: true });
      for await (const entry of allEntries(log)) entries.push(entry);
      await log.close();
    }
    const spans =
      admin === null ? [] : await leaseSpans(admin, schema, settings.leaseTtlMs, toRunTime);
    const leaseHeld =
      settings.store === 'postgres'
        ? (instance: string, recording: string, at: number) =>
            spans.some(
              (s) =>
                s.name === `recording:${recording}` &&
                s.holder.startsWith(`${instance}#`) &&
                s.from <= at &&
                at <= s.until,
            )
        : // One writer: the process holding the SQLite file's writer lock is the lease holder.
          (instance: string, _recording: string, at: number) => {
            const span = spawnSpans.get(instance);
            return span !== undefined && span.from <= at && at <= span.until;
          };
    const truth = sim.truth();
    const deliveries = sim.deliveries();
    const { figures, findings } = measure({
      truth,
      deliveries,
      entries,
      acknowledged,
      calls,
      leaseHeld,
      crashes: crashes.length,
    });
    // What the leases of a call's recording were around it, and the instance's calls just before.
    const context = findings.callsWithoutLease.map((call) => ({
      ...call,
      leases: spans.filter(
        (s) =>
          s.name === `recording:${call.recording}` &&
          s.until >= call.at - 2 * settings.leaseTtlMs &&
          s.from <= call.at + settings.leaseTtlMs,
      ),
      before: calls
        .filter((c) => c.instance === call.instance && c.at <= call.at && c.at > call.at - 60_000)
        .map(({ at, method, path, fault }) => ({ at, method, path, fault })),
    }));
    const edgeCounts: Record<EdgeFault, number> = {
      redirectBefore: 0,
      redirectAfter: 0,
      hugeAfter: 0,
      resetAfter: 0,
    };
    for (const call of calls) if (call.fault !== null) edgeCounts[call.fault] += 1;
    return {
      seed,
      store: settings.store,
      figures,
      findings: Object.fromEntries(
        Object.entries({ ...findings, callsWithoutLease: context }).filter(
          ([, list]) => (list as unknown[]).length > 0,
        ),
      ),
      faults: { ...faults, edge: edgeCounts },
      traffic: {
        webhookAttempts: deliveries.filter((d) => d.fault !== 'lost').length,
        webhooksAcknowledged: deliveries.filter(
          (d) => d.outcome?.kind === 'answered' && d.outcome.httpStatus === 200,
        ).length,
        commandsSent,
        commandsAcknowledged: acknowledged.length,
        calls: calls.length,
        sessions: truth.filter((r) => r.type === 'recording').length,
        logEntries: entries.length,
      },
      warnings: Object.fromEntries(warnings),
      crashes,
      simulatedMs: clock.now() - startedAt,
      realMs: Date.now() - realStart,
    };
  } finally {
    finishing = true;
    for (const host of hosts) host?.child.kill('SIGKILL');
    await Promise.all(hosts.map((host) => host?.exited));
    await sim.close();
    await lb.close();
    await Promise.all(edges.map((edge) => edge.close()));
    await admin?.end();
    entries = [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `done`, checking every 20 ms; fails after HOST_LIMIT_MS (a bound, not a sleep). */
async function until(what: string, done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > HOST_LIMIT_MS) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
