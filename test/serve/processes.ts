// The built `recwatch sim` and `recwatch serve` as child processes, for the service's end-to-end
// tests: started, waited for by what they print (never by time), and ended by their own pid.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { pkg, root } from '../cli/recwatch.js';

const BIN = `${root}${pkg.bin.recwatch}`;

/** A child process with what it printed so far. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { process: child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves once `test` holds for what the child printed; rejects if it exits first. */
export function printed(child: Child, test: (stdout: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const look = () => {
      if (test(child.stdout())) {
        child.process.stdout.off('data', look);
        resolve();
      }
    };
    child.process.stdout.on('data', look);
    child.exited.then((code) =>
      reject(new Error(`exited (${code}) first: ${child.stdout()}\n${child.stderr()}`)),
    );
    look();
  });
}

/** The simulator's REST base URL and credentials, as it prints them. */
export interface SimCredentials {
  readonly baseUrl: string;
  readonly appId: string;
  readonly customerId: string;
  readonly customerSecret: string;
}

/** `recwatch sim` on `port`, posting to `webhook` signed with `secret`. */
export async function startSim(
  port: number,
  webhook: string,
  secret: string,
): Promise<{ child: Child; credentials: SimCredentials }> {
  const child = run([
    'sim',
    '--profile',
    'clean',
    '--seed',
    '5',
    '--port',
    String(port),
    '--webhook',
    webhook,
    '--secret',
    secret,
  ]);
  await printed(child, (out) => out.includes('Ctrl-C to stop.'));
  // The simulator prints the quick start's variables as `AGORA_*=…` lines.
  const field = (name: string) =>
    new RegExp(`^${name}=(\\S+)$`, 'm').exec(child.stdout())?.[1] ??
    (() => {
      throw new Error(`recwatch sim printed no ${name}`);
    })();
  return {
    child,
    credentials: {
      baseUrl: field('AGORA_BASE_URL'),
      appId: field('AGORA_APP_ID'),
      customerId: field('AGORA_CUSTOMER_ID'),
      customerSecret: field('AGORA_CUSTOMER_SECRET'),
    },
  };
}

/** `recwatch serve` with this environment; resolves once it says it listens. */
export async function startServe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<Child> {
  const child = run(['serve', ...args], { ...process.env, ...env });
  await printed(child, (out) => out.includes('"msg":"listening"'));
  return child;
}

/** The JSON log lines a serve printed. */
export function logLines(child: Child): Record<string, unknown>[] {
  return child
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
