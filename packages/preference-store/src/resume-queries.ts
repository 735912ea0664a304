import type { DropReason, RationaleKind } from '@smart/types';
import type { Funnel } from './records';
import type { Statements } from './statements';

/** Sample ids of iteration `k`, sorted. */
export function samplesOfIteration(st: Statements, iteration: number): string[] {
  return st.get('SELECT sample_id FROM iteration_samples WHERE iteration = ? ORDER BY sample_id').pluck().all(iteration) as string[];
}

/** Every sample id already used by some iteration (what a new draw must exclude). */
export function usedSampleIds(st: Statements): Set<string> {
  return new Set(st.get('SELECT sample_id AS used FROM iteration_samples').pluck().all() as string[]);
}

/** Samples of iteration `k` that still lack a rationale of `kind` (candidate 0 unless given). */
export function samplesMissing(st: Statements, iteration: number, kind: RationaleKind, candidate = 0): string[] {
  return st
    .get(
      `SELECT s.sample_id FROM iteration_samples s
       WHERE s.iteration = ? AND NOT EXISTS (
         SELECT 1 FROM generations g
         WHERE g.sample_id = s.sample_id AND g.iteration = s.iteration AND g.kind = ? AND g.candidate = ?)
       ORDER BY s.sample_id`,
    )
    .pluck()
    .all(iteration, kind, candidate) as string[];
}

/** Samples of iteration `k` that have both rationales but no filter verdict yet. */
export function samplesAwaitingVerdict(st: Statements, iteration: number): string[] {
  return st
    .get(
      `SELECT s.sample_id FROM iteration_samples s
       WHERE s.iteration = ?
         AND EXISTS (SELECT 1 FROM generations g WHERE g.sample_id = s.sample_id AND g.iteration = s.iteration AND g.kind = 'positive')
         AND EXISTS (SELECT 1 FROM generations g WHERE g.sample_id = s.sample_id AND g.iteration = s.iteration AND g.kind = 'negative')
         AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.sample_id = s.sample_id AND p.iteration = s.iteration)
       ORDER BY s.sample_id`,
    )
    .pluck()
    .all(iteration) as string[];
}

/** Stage counts of one iteration (or of the whole run when `iteration` is undefined). */
export function funnel(st: Statements, iteration?: number): Funnel {
  const all = iteration === undefined ? 1 : 0;
  const it = iteration ?? -1;
  const counts = st
    .get(
      `WITH s AS (SELECT sample_id, iteration FROM iteration_samples WHERE ? OR iteration = ?),
       g AS (
         SELECT s.sample_id,
           EXISTS (SELECT 1 FROM generations x WHERE x.sample_id = s.sample_id AND x.iteration = s.iteration AND x.kind = 'positive') AS pos,
           EXISTS (SELECT 1 FROM generations x WHERE x.sample_id = s.sample_id AND x.iteration = s.iteration AND x.kind = 'negative') AS neg
         FROM s)
       SELECT
         (SELECT count(*) FROM s) AS samples,
         (SELECT count(*) FROM g WHERE pos) AS withPositive,
         (SELECT count(*) FROM g WHERE neg) AS withNegative,
         (SELECT count(*) FROM g WHERE pos AND neg) AS withBoth,
         (SELECT count(*) FROM pairs WHERE ? OR iteration = ?) AS judged,
         (SELECT count(*) FROM pairs WHERE (? OR iteration = ?) AND kept = 1) AS kept`,
    )
    .get(all, it, all, it, all, it) as Omit<Funnel, 'dropped' | 'dropReasons'>;
  const reasons = st
    .get(
      `SELECT r.value AS reason, count(*) AS n FROM pairs p, json_each(p.drop_reasons) r
       WHERE ? OR p.iteration = ? GROUP BY r.value ORDER BY r.value`,
    )
    .all(all, it) as { reason: DropReason; n: number }[];
  const dropReasons: Funnel['dropReasons'] = {};
  for (const r of reasons) dropReasons[r.reason] = r.n;
  return { ...counts, dropped: counts.judged - counts.kept, dropReasons };
}
