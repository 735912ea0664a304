import type { CliDeps, TextOut } from '../src/commands/cli-deps';

/** A TextOut that keeps what was written. */
export class BufferOut implements TextOut {
  text = '';
  constructor(readonly isTTY = false) {}
  write(t: string): boolean {
    this.text += t;
    return true;
  }
}

/** A fake signal source: `emit('SIGINT')` calls the handlers the CLI installed; `exit` is recorded. */
export class FakeSignals {
  private handlers = new Map<string, Set<() => void>>();
  exitCode: number | undefined;
  on(event: string, fn: () => void): this {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(fn);
    return this;
  }
  off(event: string, fn: () => void): this {
    this.handlers.get(event)?.delete(fn);
    return this;
  }
  exit(code?: number): never {
    this.exitCode = code;
    return undefined as never;
  }
  emit(event: string): void {
    for (const fn of [...(this.handlers.get(event) ?? [])]) fn();
  }
}

/** CLI deps writing into buffers. */
export function testDeps(env: NodeJS.ProcessEnv = {}, signals?: FakeSignals): CliDeps & { stdout: BufferOut; stderr: BufferOut } {
  return { stdout: new BufferOut(), stderr: new BufferOut(), env, ...(signals ? { signals: signals as unknown as CliDeps['signals'] } : {}) };
}
