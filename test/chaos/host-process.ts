// One host process of a chaos run (chaos-host.mjs): spawned, fed commands, and ended by the
// driver, which writes down every way it ends itself so that any other end counts as a crash.
import { type ChildProcess, spawn } from 'node:child_process';
import { CHAOS_HOST } from './paths.js';

/** A command a host acknowledged: durable in the log once its promise resolved. */
export interface AcknowledgedCommand {
  readonly id: number;
  readonly type: 'start' | 'stop';
  readonly recording: string;
}

/** How a host process ended. */
export interface HostExit {
  readonly instance: string;
  /** The signal the driver sent to end it, or null when it ended on its own. */
  readonly endedBy: 'SIGKILL' | 'SIGTERM' | null;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** A running host. */
export class HostProcess {
  readonly child: ChildProcess;
  ready = false;
  webhooks = 0;
  paused = false;
  /** Lines of its logger at level warn or error (what an operator would see). */
  readonly warnings: string[] = [];
  readonly exited: Promise<HostExit>;
  private endedBy: 'SIGKILL' | 'SIGTERM' | null = null;
  private stderr = '';
  private nextId = 0;
  private readonly pending = new Map<number, AcknowledgedCommand>();

  constructor(
    readonly instance: string,
    options: object,
    private readonly acknowledged: AcknowledgedCommand[],
  ) {
    this.child = spawn(process.execPath, [CHAOS_HOST, JSON.stringify({ ...options, instance })], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A host killed while a command is being written: nobody's error.
    this.child.stdin?.on('error', () => {});
    let pending = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        this.read(pending.slice(0, end));
        pending = pending.slice(end + 1);
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) =>
        resolve({
          instance,
          endedBy: this.endedBy,
          code,
          signal,
          stderr: this.stderr,
        }),
      );
    });
  }

  /** Sends a host command; it counts as acknowledged once the host prints its `ack`. */
  send(
    command:
      | { start: { readonly recording: string; readonly [field: string]: unknown } }
      | { stop: string },
  ): void {
    const id = this.nextId++;
    const entry: AcknowledgedCommand =
      'start' in command
        ? { id, type: 'start', recording: command.start.recording }
        : { id, type: 'stop', recording: command.stop };
    this.pending.set(id, entry);
    this.child.stdin?.write(`${JSON.stringify({ id, ...command })}\n`);
  }

  kill(): Promise<HostExit> {
    this.endedBy = 'SIGKILL';
    this.child.kill('SIGKILL');
    return this.exited;
  }

  terminate(): Promise<HostExit> {
    if (this.paused) this.resume();
    this.endedBy = 'SIGTERM';
    this.child.kill('SIGTERM');
    return this.exited;
  }

  pause(): void {
    this.paused = true;
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.paused = false;
    this.child.kill('SIGCONT');
  }

  private read(text: string): void {
    let line: {
      ready?: true;
      webhooks?: number;
      ack?: number;
      refused?: number;
      log?: string;
      message?: string;
    };
    try {
      line = JSON.parse(text);
    } catch {
      this.stderr += `stdout: ${text}\n`;
      return;
    }
    if (line.ready === true) this.ready = true;
    if (line.webhooks !== undefined) this.webhooks = line.webhooks;
    if (line.ack !== undefined) {
      const command = this.pending.get(line.ack);
      if (command !== undefined) this.acknowledged.push(command);
      this.pending.delete(line.ack);
    }
    if (line.refused !== undefined) this.pending.delete(line.refused);
    if ((line.log === 'warn' || line.log === 'error') && line.message !== undefined)
      this.warnings.push(line.message);
  }
}

/**
 * A host that ended in a way the driver did not ask for: it exited by itself, or with an error
 * after SIGTERM, or wrote to stderr (an uncaught error or rejection, a warning of Node's).
 */
export function isCrash(exit: HostExit): boolean {
  if (exit.stderr !== '') return true;
  if (exit.endedBy === 'SIGKILL') return exit.signal !== 'SIGKILL' && exit.code !== 0;
  if (exit.endedBy === 'SIGTERM') return exit.code !== 0;
  return true;
}
