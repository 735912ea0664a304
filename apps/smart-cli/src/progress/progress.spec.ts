import { Interrupt } from './interrupt';
import { formatDuration, Progress } from './progress';
import { InterruptedError } from '../errors/errors';

class Sink {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(t: string): void {
    this.text += t;
  }
}

describe('Progress', () => {
  it('prints plain lines at most every interval when not a TTY, with ETA and tokens/s', () => {
    let t = 0;
    const sink = new Sink(false);
    const p = new Progress({ sink, label: 'generate', total: 10, now: () => t, lineIntervalMs: 1000 });
    p.update(0);
    t = 500;
    p.addTokens(100);
    p.update(2); // within the interval: no line
    t = 2000;
    p.update(4);
    p.finish();
    const lines = sink.text.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('generate 4/10 · 50.0 tok/s · elapsed 2s · ETA 3s');
    expect(sink.text).not.toContain('\r');
  });

  it('redraws one line on a TTY', () => {
    const sink = new Sink(true);
    const p = new Progress({ sink, label: 'eval', total: 4, now: () => 0 });
    p.update(2, { loss: 0.6931 });
    expect(sink.text).toBe('\r\x1b[2K[############------------] eval 2/4 · loss 0.6931 · elapsed 0s');
  });

  it('formats durations', () => {
    expect([formatDuration(5), formatDuration(75), formatDuration(3700)]).toEqual(['5s', '1m15s', '1h01m']);
  });
});

describe('Interrupt', () => {
  it('stops at the next safe point on the first Ctrl-C and exits on the second', () => {
    const handlers: (() => void)[] = [];
    let exited: number | undefined;
    const proc = { on: (_: string, fn: () => void) => handlers.push(fn), off: () => undefined, exit: (c: number) => (exited = c) };
    const said: string[] = [];
    const i = new Interrupt();
    i.install(proc as never, (l) => said.push(l));
    expect(() => i.check('generate')).not.toThrow();
    handlers[0]!();
    expect(() => i.check('generate')).toThrow(InterruptedError);
    expect(exited).toBeUndefined();
    handlers[0]!();
    expect(exited).toBe(130);
    expect(said.join('')).toContain('press Ctrl-C again');
  });
});
