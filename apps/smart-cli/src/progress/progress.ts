/** Where progress goes: a TTY gets a redrawn bar, anything else plain lines. */
export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link Progress}. */
export interface ProgressOptions {
  sink: ProgressSink;
  label: string;
  total: number;
  /** Unit shown beside the rate, e.g. "tok/s" counts `addTokens`. */
  now?: () => number;
  /** Plain mode: print a line at most this often (ms), plus the first and last update. */
  lineIntervalMs?: number;
}

/** `75s` → `1m15s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A progress display for one long stage: done/total, ETA, tokens/s and free-form fields (loss, lr). */
export class Progress {
  private done = 0;
  private tokens = 0;
  private fields: Record<string, string> = {};
  private readonly started: number;
  private lastLine = -Infinity;
  private readonly now: () => number;

  constructor(private options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Sets the count of finished units (resumed work included). */
  update(done: number, fields: Record<string, string | number> = {}): void {
    // The first count is work done before this process started (a resumed stage): the rate excludes it.
    this.baseline ??= done;
    this.done = done;
    for (const [k, v] of Object.entries(fields)) this.fields[k] = typeof v === 'number' ? formatNumber(v) : v;
    this.render(false);
  }

  /** Changes the total (known only once a stage has planned its work, e.g. optimizer steps). */
  setTotal(total: number): void {
    this.options.total = total;
  }

  /** Counts generated tokens for the tokens/s display. */
  addTokens(n: number): void {
    this.tokens += n;
  }

  /** Final line. */
  finish(message?: string): void {
    this.render(true, message);
  }

  /** The status text without the bar. */
  status(): string {
    const { total, label } = this.options;
    const elapsed = (this.now() - this.started) / 1000;
    const parts = [`${label} ${this.done}/${total}`];
    if (this.tokens > 0 && elapsed > 0) parts.push(`${(this.tokens / elapsed).toFixed(1)} tok/s`);
    for (const [k, v] of Object.entries(this.fields)) parts.push(`${k} ${v}`);
    parts.push(`elapsed ${formatDuration(elapsed)}`);
    if (this.done > 0 && this.done < total && this.rateBase() > 0) parts.push(`ETA ${formatDuration(this.eta(elapsed))}`);
    return parts.join(' · ');
  }

  private baseline: number | undefined;

  private rateBase(): number {
    return this.done - (this.baseline ?? 0);
  }

  private eta(elapsed: number): number {
    const rate = this.rateBase() / elapsed;
    return (this.options.total - this.done) / rate;
  }

  private render(final: boolean, message?: string): void {
    const { sink } = this.options;
    const text = message ? `${this.status()} · ${message}` : this.status();
    if (sink.isTTY) {
      const width = 24;
      const frac = this.options.total > 0 ? Math.min(1, this.done / this.options.total) : 1;
      const filled = Math.round(frac * width);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
      const cols = sink.columns ?? 120;
      sink.write(`\r\x1b[2K${line.slice(0, cols - 1)}${final ? '\n' : ''}`);
      return;
    }
    const t = this.now();
    if (final || t - this.lastLine >= (this.options.lineIntervalMs ?? 5000)) {
      this.lastLine = t;
      sink.write(`${text}\n`);
    }
  }
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4);
}
