import type { Rng } from '@smart/types';
import { GenerationAbortedError, MllmError } from '../errors';
import { TokenSampler, type TokenSamplingParams } from '../sampling/token-sampler';
import type { DecoderSessions, ModelPrompt } from './decoder-sessions';
import { KvBatch, type KvGeometry } from './kv-batch';
import type { PromptPositions } from './mrope-positions';

/** One row to generate: a prompt (encoded when the row is admitted), its sampler settings and RNG stream. */
export interface BatchRow {
  requestId: string;
  /** Resolved when the row gets a slot; an MllmError makes this row an error row. */
  prompt(): Promise<ModelPrompt>;
  sampling: TokenSamplingParams;
  maxNewTokens: number;
  rng: Rng;
}

/** What a row produced. */
export interface BatchRowResult {
  /** Generated tokens, the stopping EOS included when there was one. */
  tokens: number[];
  finishReason: 'stop' | 'length' | 'error';
  error?: string;
  promptTokens: number;
  /** When the row got its slot and when it finished (the batcher's clock, ms). */
  startMs: number;
  endMs: number;
}

/** Per-call hooks of {@link ContinuousBatcher.run}. */
export interface BatchRunOptions {
  signal?: AbortSignal;
  /** New tokens of this call's rows, per step. */
  onTokens?: (count: number) => void;
  /** Row `index` of this call finished. */
  onRowDone?: (index: number) => void;
}

interface Submission {
  rows: readonly BatchRow[];
  options: BatchRunOptions;
  results: BatchRowResult[];
  /** Next row to admit. */
  next: number;
  open: number;
  resolve(results: BatchRowResult[]): void;
  reject(err: unknown): void;
}

interface LiveRow {
  submission: Submission;
  index: number;
  tokens: number[];
  promptTokens: number;
  /** Rope delta of the prompt: a decode step's position is the row's cached length + delta (0 without M-RoPE). */
  delta: number;
  startMs: number;
}

/** A row's prompt ready for prefill: embeddings [1, L, H] and position ids [rows, L]. */
interface PrefillPrompt {
  embeds: Float32Array;
  positions: PromptPositions;
}

/**
 * Continuous batching over decoder_model_merged with per-row KV caches: up to `slots` rows decode
 * together; a row that emits EOS or reaches its own maxNewTokens leaves the batch at once (it costs no
 * further decode work) and its slot is refilled with the next waiting row, so throughput does not depend
 * on the longest row. Rows admitted together are prefilled in one left-padded call; every row then
 * decodes with its own left-padded cache, mask and position ids, its own sampler settings and RNG stream,
 * so its tokens do not depend on its batch mates: greedy output equals unbatched output and seeded
 * sampling reproduces.
 *
 * Every `run` call shares the slots: rows are admitted round-robin across calls (one row of each waiting
 * call in turn), so a long job cannot hold back a later short one. An aborted call's rows leave the batch
 * at the next step.
 */
export class ContinuousBatcher {
  private readonly submissions: Submission[] = [];
  private readonly sampler = new TokenSampler();
  private readonly geometry: KvGeometry;
  private active: LiveRow[] = [];
  private batch: KvBatch | undefined;
  private turn = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly sessions: DecoderSessions,
    private readonly eosIds: ReadonlySet<number>,
    private readonly slots: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be a positive integer, got ${slots}`);
    this.geometry = { arrays: 2 * sessions.layers, kvHeads: sessions.kvHeads, headDim: sessions.headDim };
  }

  /** Generates every row; resolves with one result per row, in row order. Rejects with GenerationAbortedError on abort. */
  run(rows: readonly BatchRow[], options: BatchRunOptions = {}): Promise<BatchRowResult[]> {
    if (rows.length === 0) return Promise.resolve([]);
    if (options.signal?.aborted) return Promise.reject(new GenerationAbortedError(options.signal.reason));
    const done = new Promise<BatchRowResult[]>((resolve, reject) => {
      this.submissions.push({ rows, options, results: new Array(rows.length), next: 0, open: rows.length, resolve, reject });
    });
    this.loop ??= this.drive().catch((err: unknown) => this.abandon(err));
    return done;
  }

  /** Resolves once no call is running. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /** Next-token logits [V] after a prompt, from a prefill of its own (for scoring). */
  async promptLogits(requestId: string, prompt: ModelPrompt): Promise<Float32Array> {
    const positions = this.sessions.promptPositions(requestId, prompt);
    return (await this.prefill([{ embeds: await this.sessions.promptEmbeds(requestId, prompt), positions }], [prompt.ids.length])).logits;
  }

  /** The step loop; it ends (and clears `loop` in the same tick, so the next `run` starts a new one) when no row is left. */
  private async drive(): Promise<void> {
    for (;;) {
      this.dropAborted();
      await this.admit();
      if (this.active.length === 0) {
        if (this.submissions.some((s) => s.next < s.rows.length)) continue;
        this.loop = undefined;
        return;
      }
      await this.step();
    }
  }

  /**
   * Fills free slots with waiting rows: each row's prompt embeddings on their own (a bad image fails only
   * its row), then one left-padded prefill call for all of them; first tokens come from its logits.
   */
  private async admit(): Promise<void> {
    const entering: { row: LiveRow; prefill: PrefillPrompt }[] = [];
    while (this.active.length + entering.length < this.slots) {
      const picked = this.nextWaiting();
      if (!picked) break;
      const { submission, index } = picked;
      const row = submission.rows[index]!;
      const startMs = this.now();
      let prompt: ModelPrompt;
      try {
        prompt = await row.prompt();
      } catch (err) {
        // A request that cannot be encoded (bad image, template) is an error row; anything else is a bug and fails the call.
        if (err instanceof MllmError) this.finish(submission, index, errorResult(err, [], 0, startMs, this.now()));
        else this.fail(submission, err);
        continue;
      }
      try {
        const positions = this.sessions.promptPositions(row.requestId, prompt);
        const embeds = await this.sessions.promptEmbeds(row.requestId, prompt);
        entering.push({ row: { submission, index, tokens: [], promptTokens: prompt.ids.length, delta: positions.delta, startMs }, prefill: { embeds, positions } });
      } catch (err) {
        this.finish(submission, index, errorResult(err, [], prompt.ids.length, startMs, this.now()));
      }
    }
    // A call that failed or was aborted meanwhile takes its rows with it.
    const rows = entering.filter((e) => this.submissions.includes(e.row.submission));
    if (rows.length === 0) return;
    let prefilled: { logits: Float32Array; vocab: number; cache: KvBatch };
    try {
      prefilled = await this.prefill(rows.map((r) => r.prefill), rows.map((r) => r.row.promptTokens));
    } catch (err) {
      const endMs = this.now();
      for (const { row } of rows) this.finish(row.submission, row.index, errorResult(err, [], row.promptTokens, row.startMs, endMs));
      return;
    }
    const sources = this.active.map((_, b) => ({ source: this.batch!, row: b }));
    const joined: LiveRow[] = [];
    rows.forEach(({ row }, b) => {
      if (this.sampleInto(row, prefilled.logits.subarray(b * prefilled.vocab, (b + 1) * prefilled.vocab))) return;
      joined.push(row);
      sources.push({ source: prefilled.cache, row: b });
    });
    if (joined.length === 0) return;
    this.active = [...this.active, ...joined];
    this.batch = KvBatch.gather(this.geometry, sources);
  }

  /** One decode step of every active row, then the finished rows leave the batch. */
  private async step(): Promise<void> {
    const batch = this.batch!;
    const rows = this.active;
    let out;
    try {
      const ids = BigInt64Array.from(rows, (r) => BigInt(r.tokens[r.tokens.length - 1]!));
      const embeds = await this.sessions.embedTokens(ids, rows.length, 1);
      out = await this.sessions.decode({ embeds, batch: rows.length, seq: 1, attentionMask: batch.stepMask(), positionIds: batch.stepPositions(rows.map((r) => r.delta), this.sessions.positionRows), past: batch.arrays, pastLength: batch.length });
    } catch (err) {
      // A failed step fails the rows in it; waiting rows still run.
      const endMs = this.now();
      for (const r of rows) this.finish(r.submission, r.index, errorResult(err, r.tokens, r.promptTokens, r.startMs, endMs));
      this.active = [];
      this.batch = undefined;
      return;
    }
    const advanced = batch.advance(out.present);
    const keep: number[] = [];
    rows.forEach((r, b) => {
      if (!this.sampleInto(r, out.logits.subarray(b * out.vocab, (b + 1) * out.vocab))) keep.push(b);
    });
    this.retain(keep, advanced);
  }

  /** Keeps only the rows at `keep` (indices into `active`), copying caches only when the batch changed. */
  private retain(keep: readonly number[], batch: KvBatch): void {
    if (keep.length === this.active.length) {
      this.batch = batch;
      return;
    }
    this.active = keep.map((b) => this.active[b]!);
    this.batch = keep.length > 0 ? KvBatch.gather(this.geometry, keep.map((b) => ({ source: batch, row: b }))) : undefined;
  }

  /** Samples the row's next token; true when the row is finished (EOS or its budget), which records its result. */
  private sampleInto(r: LiveRow, logits: Float32Array): boolean {
    const row = r.submission.rows[r.index]!;
    const token = this.sampler.sample(logits, row.sampling, row.rng);
    r.tokens.push(token);
    r.submission.options.onTokens?.(1);
    const stop = this.eosIds.has(token);
    if (!stop && r.tokens.length < row.maxNewTokens) return false;
    this.finish(r.submission, r.index, { tokens: r.tokens, finishReason: stop ? 'stop' : 'length', promptTokens: r.promptTokens, startMs: r.startMs, endMs: this.now() });
    return true;
  }

  /**
   * One decoder call over left-padded prompts (embeddings [1, L_b, H] each, position ids [rows, L_b]);
   * logits [B, V] of each row's last position. Padding gets position 1 on every row, as HF gives it.
   */
  private async prefill(prompts: readonly PrefillPrompt[], lengths: readonly number[]): Promise<{ logits: Float32Array; vocab: number; cache: KvBatch }> {
    const batch = lengths.length;
    const width = Math.max(...lengths);
    const hidden = prompts[0]!.embeds.length / lengths[0]!;
    const rows = this.sessions.positionRows;
    const padded = new Float32Array(batch * width * hidden); // [B, width, H], zeros on the padding
    const attentionMask = new BigInt64Array(batch * width);
    const positionIds = new BigInt64Array(rows * batch * width).fill(1n); // [rows, B, width]
    lengths.forEach((length, b) => {
      const pad = width - length;
      const { embeds, positions } = prompts[b]!;
      padded.set(embeds, (b * width + pad) * hidden);
      attentionMask.fill(1n, b * width + pad, (b + 1) * width);
      for (let r = 0; r < rows; r++) positionIds.set(positions.positions.subarray(r * length, (r + 1) * length), (r * batch + b) * width + pad);
    });
    const empty = Array.from({ length: this.geometry.arrays }, () => new Float32Array(0));
    const out = await this.sessions.decode({ embeds: padded, batch, seq: width, attentionMask, positionIds, past: empty, pastLength: 0 });
    return { logits: out.logits, vocab: out.vocab, cache: KvBatch.prefilled(this.geometry, out.present, lengths) };
  }

  /** The next row to admit: one row of each call with waiting rows, in turn. */
  private nextWaiting(): { submission: Submission; index: number } | undefined {
    const n = this.submissions.length;
    for (let k = 0; k < n; k++) {
      const submission = this.submissions[(this.turn + k) % n]!;
      if (submission.next < submission.rows.length) {
        this.turn = (this.turn + k + 1) % n;
        return { submission, index: submission.next++ };
      }
    }
    return undefined;
  }

  private finish(submission: Submission, index: number, result: BatchRowResult): void {
    if (!this.submissions.includes(submission)) return;
    submission.results[index] = result;
    submission.options.onRowDone?.(index);
    if (--submission.open > 0) return;
    this.remove(submission);
    submission.resolve(submission.results);
  }

  /** Ends a call early: its rows leave the batch and its promise rejects. */
  private fail(submission: Submission, err: unknown): void {
    this.remove(submission);
    const keep = this.active.flatMap((r, b) => (r.submission === submission ? [] : [b]));
    if (this.batch) this.retain(keep, this.batch);
    submission.reject(err);
  }

  /** The loop itself failed (a bug, not a model error): every waiting call rejects and the batcher starts over. */
  private abandon(err: unknown): void {
    for (const s of this.submissions.splice(0)) s.reject(err);
    this.active = [];
    this.batch = undefined;
    this.turn = 0;
    this.loop = undefined;
  }

  private dropAborted(): void {
    for (const s of [...this.submissions]) if (s.options.signal?.aborted) this.fail(s, new GenerationAbortedError(s.options.signal.reason));
  }

  private remove(submission: Submission): void {
    const i = this.submissions.indexOf(submission);
    if (i < 0) return;
    this.submissions.splice(i, 1);
    if (this.turn > i) this.turn--;
    if (this.submissions.length > 0) this.turn %= this.submissions.length;
    else this.turn = 0;
  }
}

function errorResult(err: unknown, tokens: number[], promptTokens: number, startMs: number, endMs: number): BatchRowResult {
  return { tokens, finishReason: 'error', error: err instanceof Error ? err.message : String(err), promptTokens, startMs, endMs };
}
