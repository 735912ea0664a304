import type { McRejectReason } from '@smart/aot-prompts';
import type { SourceFormat } from '@smart/types';

/**
 * Why a row was skipped: the MC parser's reasons, plus `invalid-json` (the line does not parse),
 * `schema-violation` (wrong fields/types), `no-image` (the record names no image), `missing-image`
 * (the named file does not exist), `duplicate-id` (an earlier row had the same id) and `other-split`
 * (a record of a split the load did not ask for).
 */
export type SkipReason = McRejectReason | 'invalid-json' | 'schema-violation' | 'no-image' | 'missing-image' | 'duplicate-id' | 'other-split';

/** One skipped row, located in its file. */
export interface RowIssue {
  file: string;
  /** 1-based line where the record starts. */
  line: number;
  reason: SkipReason;
  detail: string;
  /** The record's id when it could be read. */
  id?: string;
}

/** What a load did: rows read, kept and skipped (by reason), and the first few issues. */
export interface LoadSummary {
  file: string;
  format: SourceFormat;
  /** Records seen (blank lines are not records). */
  read: number;
  kept: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** The first `maxExamples` issues, in file order. */
  examples: RowIssue[];
}

/** Total number of skipped rows in a summary. */
export function skippedTotal(summary: Pick<LoadSummary, 'skipped'>): number {
  return Object.values(summary.skipped).reduce((s, n) => s + (n ?? 0), 0);
}

/** Adds up summaries of several files (e.g. shards of one dataset); examples are concatenated. */
export function mergeSummaries(summaries: LoadSummary[], maxExamples = 5): Omit<LoadSummary, 'file' | 'format'> {
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const s of summaries) {
    for (const [reason, n] of Object.entries(s.skipped) as [SkipReason, number][]) skipped[reason] = (skipped[reason] ?? 0) + n;
  }
  return {
    read: summaries.reduce((t, s) => t + s.read, 0),
    kept: summaries.reduce((t, s) => t + s.kept, 0),
    skipped,
    examples: summaries.flatMap((s) => s.examples).slice(0, maxExamples),
  };
}
