import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { scaledClock } from '../../clock/index.js';
import {
  PROFILE_NAMES,
  type ProfileName,
  type Simulator,
  SimulatorOptionsError,
  startSimulator,
} from '../../sim/index.js';
import { parseCommand } from '../args.js';
import { EXIT, outputError, shortPath, UsageError, userFailure } from '../errors.js';
import type { CliIo } from '../run.js';

/** How the command waits to be stopped: SIGINT or SIGTERM by default. */
export type StopSignal = () => Promise<void>;

const untilInterrupted: StopSignal = () =>
  new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

/** `recwatch sim`: runs the simulator until interrupted; resolves to the exit code. */
export async function simCommand(
  args: readonly string[],
  io: CliIo,
  stopped: StopSignal = untilInterrupted,
): Promise<number> {
  // A usage error is one line naming the problem (runCli prints it, exit 64).
  const options = readOptions(args);
  if (options.truth !== undefined) {
    const problem = unwritable(options.truth, options.force);
    if (problem !== undefined) {
      io.err.write(`recwatch sim: --truth ${problem}; nothing started\n`);
      return EXIT.cantCreate;
    }
  }
  let sim: Simulator;
  try {
    sim = await startSimulator({
      seed: options.seed,
      profile: options.profile,
      clock: scaledClock({ speed: options.speed }),
      port: options.port,
      ...(options.webhook !== undefined && { webhookUrl: options.webhook }),
      ...(options.secret !== undefined && { secret: options.secret }),
    });
  } catch (error) {
    if (error instanceof SimulatorOptionsError) {
      io.err.write(`recwatch sim: ${error.message}\n`);
      return 64;
    }
    if (isCode(error, 'EADDRINUSE') || isCode(error, 'EACCES')) {
      io.err.write(
        `recwatch sim: cannot listen on port ${options.port} (${(error as { code: string }).code})\n`,
      );
      return 69;
    }
    throw error;
  }
  const { credentials } = sim;
  io.out.write(
    [
      `recwatch sim: profile ${options.profile}, seed ${options.seed}, speed ${options.speed}x`,
      `  REST paths  ${sim.baseUrl}/v1/apps/${credentials.appId}/cloud_recording/...`,
      `  webhook     ${options.webhook ?? '(none: notifications are only recorded)'}`,
      '# The variables of the quick start (README): paste them after `export`, or save them',
      '# as a file for `node --env-file=<file>`. The simulator takes any token.',
      ...simEnvLines(sim, options.secret !== undefined),
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await stopped();
  await sim.close();
  const summary = sim.summary();
  const quits = Object.entries(summary.quits)
    .map(([cause, count]) => `${cause} ${count}`)
    .join(', ');
  io.out.write(
    `recwatch sim: stopped. ${summary.requests} requests, ${summary.recordings} recordings ` +
      `(${summary.startRefusals} starts refused, ${summary.failovers} failovers, quits: ${quits || 'none'}), ` +
      `${summary.deliveries} notification attempts (${summary.acknowledged} acknowledged, ${summary.lost} lost)\n`,
  );
  if (options.truth !== undefined) {
    try {
      writeFileSync(options.truth, sim.truthJsonl());
    } catch (error) {
      throw outputError(error, options.truth);
    }
    io.out.write(`recwatch sim: truth written to ${options.truth}\n`);
  }
  return 0;
}

/** A certificate for the quick start's token builder (32 hex digits, as Agora's are). */
export const SIM_APP_CERTIFICATE = '0123456789abcdef0123456789abcdef';

/**
 * The `AGORA_*=…` lines a host reads (README quick start), for this simulator. A webhook secret
 * the user chose is theirs to know and is not echoed; a drawn one must be shown to be usable.
 */
export function simEnvLines(sim: Simulator, secretGiven: boolean): string[] {
  const { credentials } = sim;
  return [
    `AGORA_APP_ID=${credentials.appId}`,
    `AGORA_CUSTOMER_ID=${credentials.customerId}`,
    `AGORA_CUSTOMER_SECRET=${credentials.customerSecret}`,
    // The simulator checks no token: any certificate builds one the quick start can send.
    `AGORA_APP_CERTIFICATE=${SIM_APP_CERTIFICATE}`,
    secretGiven
      ? '# AGORA_NCS_SECRET: the --secret you gave'
      : `AGORA_NCS_SECRET=${credentials.secret}`,
    `AGORA_BASE_URL=${sim.baseUrl}`,
  ];
}

function readOptions(args: readonly string[]) {
  const { values } = parseCommand(
    {
      options: {
        profile: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        webhook: { type: 'string' },
        secret: { type: 'string' },
        port: { type: 'string' },
        truth: { type: 'string' },
        force: { type: 'boolean' },
      },
      positionals: [],
    },
    args,
  );
  const text = (name: string, fallback?: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : fallback;
  };
  const profile = text('profile', 'clean') as ProfileName;
  if (!PROFILE_NAMES.includes(profile)) {
    throw new UsageError(
      `unknown profile '${profile}' (expected one of ${PROFILE_NAMES.join(', ')})`,
    );
  }
  return {
    profile,
    seed: integer(text('seed', '1') ?? '1', '--seed'),
    speed: number(text('speed', '1') ?? '1', '--speed'),
    port: integer(text('port', '0') ?? '0', '--port'),
    webhook: text('webhook'),
    secret: text('secret'),
    truth: text('truth'),
    force: values.force === true,
  };
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new UsageError(`${name} must be an integer >= 0`);
  return value;
}

function number(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name} must be a number > 0`);
  return value;
}

/**
 * Why the truth file cannot be written where it is asked (one line naming the path), checked
 * before the simulator starts so a run is not lost at its end; undefined when it can be.
 */
function unwritable(path: string, force: boolean): string | undefined {
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) return `${shortPath(path)}: is a folder, not a file`;
      // As export --out: what is there is replaced only when asked.
      if (!force) return `${shortPath(path)} exists; add --force to replace it`;
      accessSync(path, constants.W_OK);
    } else {
      const folder = dirname(resolve(path));
      if (!statSync(folder).isDirectory())
        return `${shortPath(path)}: a part of the path is not a folder`;
      accessSync(folder, constants.W_OK);
    }
    return undefined;
  } catch (error) {
    const failure = userFailure(Object.assign(error as Error, { path }));
    return failure?.message ?? `${shortPath(path)}: cannot be written`;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
