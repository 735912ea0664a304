import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchmarkName, EvalItemResult, EvalResult, RationaleKind, Sample } from '@smart/types';
import { MissingRecordError, PreferenceStoreError, SchemaTooNewError, StoreCorruptError, StoreFileError } from './errors';
import { ImageFolder, type StoredImage } from './image-folder';
import { countJudgeResponses, getJudgeResponse, putJudgeResponse, type StoreJudgeCache } from './judge-cache';
import { listEvalItems, listEvalResults, putEvalResult } from './eval-results';
import { getGeneration, listGenerations, putGeneration } from './generations';
import { migrate } from './migrate';
import { SCHEMA_VERSION } from './migrations';
import { listPairs, recordVerdict, setReferenceLogps, writePairRow } from './pairs';
import type { Funnel, GenerationRecord, PairVerdict, PairWrite, StoredGeneration, StoredPair, StoredSample } from './records';
import { funnel, samplesAwaitingVerdict, samplesMissing, samplesOfIteration, usedSampleIds } from './resume-queries';
import { assignSamples, getImageRecord, getSample, putImage, putSample } from './samples';
import { mapSqliteError } from './sqlite-errors';
import { Statements } from './statements';
import { checkStoreFile } from './store-file';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** How long a write waits for another connection's lock before {@link StoreLockedError} (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Open read-only: no migrations, no writes. */
  readonly?: boolean;
  /**
   * `normal` (default) survives a killed process (WAL commits are atomic) but may lose the last
   * transactions on power loss; `full` fsyncs every commit.
   */
  synchronous?: 'normal' | 'full';
  /** Run PRAGMA integrity_check on open and throw {@link StoreCorruptError} when it fails (slow on big stores). */
  checkIntegrity?: boolean;
  /** Content-addressed image folder (default: `images/` beside the database file). */
  imageDir?: string;
  /** Clock for `created_at` columns (default: the system clock). */
  now?: () => Date;
}

/** Opens (creating its folder, the file and migrating as needed) the SQLite store of a run. */
export function openStore(file: string, options: OpenStoreOptions = {}): PreferenceStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: Database.Database | undefined;
  try {
    if (!options.readonly) mkdirSync(dirname(file), { recursive: true });
    checkStoreFile(file, options.readonly ?? false);
    db = new Database(file, { timeout: busyTimeoutMs, readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    if (!options.readonly) migrate(db, file);
    else {
      const found = db.pragma('user_version', { simple: true }) as number;
      if (found > SCHEMA_VERSION) throw new SchemaTooNewError(file, found, SCHEMA_VERSION);
    }
    const images = new ImageFolder(options.imageDir ?? join(dirname(file), 'images'));
    const store = new PreferenceStore(db, file, images, busyTimeoutMs, options.now ?? (() => new Date()));
    if (options.checkIntegrity) {
      const problems = store.checkIntegrity();
      if (problems.length > 0) throw new StoreCorruptError(file, problems.slice(0, 5).join('; '));
    }
    return store;
  } catch (err) {
    db?.close();
    const mapped = mapSqliteError(err, file, busyTimeoutMs);
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (mapped === err && typeof code === 'string' && !(err instanceof PreferenceStoreError)) throw new StoreFileError(file, `cannot open (${code})`, { cause: err });
    throw mapped;
  }
}

/**
 * The run's store. Every write is idempotent (upsert on a natural key) and runs in a transaction, so a
 * killed process leaves either the whole write or none of it, and re-running the same work changes nothing.
 */
export class PreferenceStore {
  private readonly st: Statements;

  /** Use {@link openStore}. */
  constructor(
    readonly db: Database.Database,
    readonly file: string,
    readonly images: ImageFolder,
    private readonly busyTimeoutMs: number,
    private readonly now: () => Date,
  ) {
    this.st = new Statements(db);
  }

  /** Schema version of the open file. */
  get schemaVersion(): number {
    return this.guard(() => this.db.pragma('user_version', { simple: true }) as number);
  }

  /** Highest schema version this code knows. */
  static readonly latestSchemaVersion = SCHEMA_VERSION;

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  /** Upserts samples (with optional image bytes, content-addressed); returns them with `image.sha256` filled in. */
  putSamples(items: readonly { sample: Sample; sourceName: string; imageBytes?: Uint8Array }[]): Sample[] {
    return this.transaction(() => items.map((i) => putSample(this.st, this.images, i.sample, i.sourceName, i.imageBytes)));
  }

  /** Reads a sample and its source name. */
  getSample(id: string): StoredSample | undefined {
    return this.guard(() => getSample(this.st, id));
  }

  /** Stores image bytes under their sha256; returns the hash. */
  putImage(bytes: Uint8Array): string {
    return this.transaction(() => putImage(this.st, this.images, bytes));
  }

  /** An image's record (MIME type, size, file name in the image folder). */
  getImageRecord(sha256: string): StoredImage | undefined {
    return this.guard(() => getImageRecord(this.st, sha256));
  }

  /** Image bytes and MIME type by hash. */
  getImage(sha256: string): { bytes: Buffer; mime: string } | undefined {
    const rec = this.getImageRecord(sha256);
    if (!rec) return undefined;
    const bytes = this.images.read(rec.file);
    if (!bytes) throw new MissingRecordError('image file', this.images.pathOf(rec.file));
    return { bytes, mime: rec.mime };
  }

  /** Adds samples to iteration `k`; throws {@link IterationOverlapError} when one belongs to another iteration. Returns how many were new. */
  assignSamples(iteration: number, sampleIds: readonly string[], model?: string): number {
    return this.transaction(() => assignSamples(this.st, iteration, sampleIds, this.stamp(), model));
  }

  /** Sample ids of iteration `k`. */
  samplesOfIteration(iteration: number): string[] {
    return this.guard(() => samplesOfIteration(this.st, iteration));
  }

  /** Every sample id some iteration already used. */
  usedSampleIds(): Set<string> {
    return this.guard(() => usedSampleIds(this.st));
  }

  /** Upserts one rationale; returns its row id. */
  putGeneration(g: GenerationRecord): number {
    return this.transaction(() => putGeneration(this.st, g, this.stamp()));
  }

  /** Reads one rationale by (sampleId, iteration, kind, candidate). */
  getGeneration(sampleId: string, iteration: number, kind: RationaleKind, candidate = 0): StoredGeneration | undefined {
    return this.guard(() => getGeneration(this.st, sampleId, iteration, kind, candidate));
  }

  /** All rationales of a sample in an iteration. */
  listGenerations(sampleId: string, iteration: number): StoredGeneration[] {
    return this.guard(() => listGenerations(this.st, sampleId, iteration));
  }

  /** Records the filter verdict (kept, or dropped with reasons) on rationales already stored. */
  recordVerdict(v: PairVerdict): void {
    this.transaction(() => recordVerdict(this.st, v, this.stamp()));
  }

  /** Writes both rationales and the verdict of one sample atomically. */
  recordPair(w: PairWrite): void {
    this.recordPairs([w]);
  }

  /** Writes many pairs in one transaction (faster; all or nothing). */
  recordPairs(writes: readonly PairWrite[]): void {
    this.transaction(() => {
      const at = this.stamp();
      for (const w of writes) {
        const { sampleId, iteration } = w.verdict;
        const pos = putGeneration(this.st, { ...w.positive, sampleId, iteration, kind: 'positive' }, at);
        const neg = putGeneration(this.st, { ...w.negative, sampleId, iteration, kind: 'negative' }, at);
        writePairRow(this.st, w.verdict, pos, neg, w.negative.targetAnswer, at);
      }
    });
  }

  /** Candidate pairs (kept and dropped unless filtered). */
  listPairs(filter: { iteration?: number; kept?: boolean } = {}): StoredPair[] {
    return this.guard(() => listPairs(this.st, filter));
  }

  /** Stores reference-model log-probs for a pair (cleared automatically if a rationale's text changes). */
  setReferenceLogps(sampleId: string, iteration: number, chosen: number, rejected: number): void {
    this.transaction(() => setReferenceLogps(this.st, sampleId, iteration, chosen, rejected));
  }

  /** Samples of iteration `k` still lacking a rationale of `kind`. */
  samplesMissing(iteration: number, kind: RationaleKind, candidate = 0): string[] {
    return this.guard(() => samplesMissing(this.st, iteration, kind, candidate));
  }

  /** Samples of iteration `k` with both rationales but no verdict. */
  samplesAwaitingVerdict(iteration: number): string[] {
    return this.guard(() => samplesAwaitingVerdict(this.st, iteration));
  }

  /** Stage and drop-reason counts for the run report. */
  funnel(iteration?: number): Funnel {
    return this.guard(() => funnel(this.st, iteration));
  }

  /** Cached judge response for `key` (keys come from `judgeCacheKey` of `@smart/evaluators`). */
  getJudgeResponse(key: string): string | undefined {
    return this.guard(() => getJudgeResponse(this.st, key));
  }

  /** Caches a judge response unless `key` has one (first writer wins, across processes); returns the stored response. */
  putJudgeResponse(key: string, model: string, response: string): string {
    return this.transaction(() => putJudgeResponse(this.st, key, model, response, this.stamp()));
  }

  /** Number of cached judge responses. */
  judgeCacheSize(): number {
    return this.guard(() => countJudgeResponses(this.st));
  }

  /** This store as a judge cache: pass it to `GeneratorJudge` of `@smart/evaluators` as `cache`. */
  get judgeCache(): StoreJudgeCache {
    return {
      get: (key) => this.getJudgeResponse(key),
      put: (key, completion, model) => this.putJudgeResponse(key, model, completion),
    };
  }

  /** Upserts a benchmark result and its per-item rows. */
  putEvalResult(result: EvalResult, items?: readonly EvalItemResult[]): void {
    this.transaction(() => putEvalResult(this.st, result, items, this.stamp()));
  }

  /** Stored benchmark results. */
  listEvalResults(filter: { benchmark?: BenchmarkName; iteration?: number } = {}): EvalResult[] {
    return this.guard(() => listEvalResults(this.st, filter));
  }

  /** Per-item rows of one benchmark run. */
  listEvalItems(benchmark: BenchmarkName, model: string, iteration?: number): EvalItemResult[] {
    return this.guard(() => listEvalItems(this.st, benchmark, model, iteration));
  }

  /** Problems found by integrity_check, foreign_key_check and a size check of every image file; empty when sound. */
  checkIntegrity(): string[] {
    return this.guard(() => {
      const integrity = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      const problems = integrity.filter((m) => m !== 'ok');
      const fk = this.db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      for (const f of fk) problems.push(`${f.table} row ${f.rowid} points to a missing ${f.parent} row`);
      for (const img of this.db.prepare('SELECT file, size FROM images').all() as { file: string; size: number }[]) {
        const path = this.images.pathOf(img.file);
        if (!existsSync(path)) problems.push(`image file missing: ${path}`);
        else if (statSync(path).size !== img.size) problems.push(`image file has the wrong size: ${path}`);
      }
      return problems;
    });
  }

  /** Closes the connection (SQLite checkpoints the WAL when the last connection closes). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw mapSqliteError(err, this.file, this.busyTimeoutMs);
    }
  }
}
