import { spawn, type ChildProcess } from 'node:child_process';
import { ExternalCommandError } from '../errors/errors';

/** Options of {@link ServeSwap}. */
export interface ServeSwapOptions {
  /** Shell command with `{checkpoint}`; it must start a server for that checkpoint at `baseUrl`. */
  command: string;
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

/**
 * Keeps the OpenAI-compatible server on the checkpoint the loop needs: stops the server it started
 * before, runs `--serve-command` for the new checkpoint and waits until `<base-url>/models` answers.
 */
export class ServeSwap {
  private child: ChildProcess | undefined;
  private serving: string | undefined;

  constructor(private readonly o: ServeSwapOptions) {}

  /** Serves `checkpoint` (no-op when it is already served). */
  async serve(checkpoint: string): Promise<void> {
    if (this.serving === checkpoint) return;
    await this.stop();
    const command = this.o.command.replaceAll('{checkpoint}', checkpoint);
    this.o.log(`serving ${checkpoint}: ${command}`);
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'ignore', detached: true });
    this.child = child;
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
    const doFetch = this.o.fetch ?? fetch;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = Date.now() + (this.o.timeoutMs ?? 600_000);
    for (;;) {
      if (exited !== undefined) throw new ExternalCommandError(command, `the server exited (${exited}) before it was healthy`);
      try {
        const res = await doFetch(`${this.o.baseUrl.replace(/\/$/, '')}/models`);
        if (res.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new ExternalCommandError(command, `no healthy server at ${this.o.baseUrl} after ${(this.o.timeoutMs ?? 600_000) / 1000}s`);
      await sleep(1000);
    }
    this.serving = checkpoint;
  }

  /** Stops the server this object started (its whole process group). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.serving = undefined;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  }
}
