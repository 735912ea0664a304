import { InterruptedError } from '../errors/errors';

/**
 * Ctrl-C handling: the first SIGINT asks the running stage to stop at its next safe point (after the
 * current batch is stored); the second exits at once. Stages call `check(stage)` between batches.
 */
export class Interrupt {
  private requested = false;
  private readonly controller = new AbortController();

  /** Aborted on the first Ctrl-C, for work that stops itself at a safe point (the trainer saves its state). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get stopRequested(): boolean {
    return this.requested;
  }

  /** Marks a stop request (what the first SIGINT does). */
  request(): void {
    this.requested = true;
    this.controller.abort();
  }

  /** Throws InterruptedError when a stop was requested. */
  check(stage: string): void {
    if (this.requested) throw new InterruptedError(stage);
  }

  /** Installs the SIGINT handler on `proc`; returns a function that removes it. */
  install(proc: Pick<NodeJS.Process, 'on' | 'off' | 'exit'>, say: (line: string) => void): () => void {
    const onSigint = (): void => {
      if (this.requested) {
        say('\nsecond Ctrl-C: exiting now (the store keeps everything written so far)');
        proc.exit(130);
        return;
      }
      this.request();
      say('\nCtrl-C: stopping after the current batch (press Ctrl-C again to exit now)');
    };
    proc.on('SIGINT', onSigint);
    return () => proc.off('SIGINT', onSigint);
  }
}
