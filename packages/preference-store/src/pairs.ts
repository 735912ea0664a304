import type { DropReason, OptionLetter } from '@smart/types';
import { MissingRecordError } from './errors';
import type { PairVerdict, StoredPair } from './records';
import type { Statements } from './statements';

interface PairRow {
  sample_id: string;
  iteration: number;
  prompt: string;
  answer: string;
  wrong_answer: string;
  kept: number;
  drop_reasons: string;
  ref_logp_chosen: number | null;
  ref_logp_rejected: number | null;
  chosen: string;
  rejected: string;
  image_path: string;
  image_sha256: string | null;
  image_file: string | null;
}

const UPSERT = `
  INSERT INTO pairs (sample_id, iteration, positive_id, negative_id, prompt, answer, wrong_answer, kept, drop_reasons, created_at)
  VALUES (?, ?, ?, ?, ?, (SELECT answer FROM samples WHERE id = ?), ?, ?, ?, ?)
  ON CONFLICT(iteration, sample_id) DO UPDATE SET
    ref_logp_chosen = CASE WHEN positive_id = excluded.positive_id AND negative_id = excluded.negative_id THEN ref_logp_chosen END,
    ref_logp_rejected = CASE WHEN positive_id = excluded.positive_id AND negative_id = excluded.negative_id THEN ref_logp_rejected END,
    positive_id = excluded.positive_id, negative_id = excluded.negative_id, prompt = excluded.prompt,
    answer = excluded.answer, wrong_answer = excluded.wrong_answer, kept = excluded.kept,
    drop_reasons = excluded.drop_reasons`;

const GEN_ID = 'SELECT id, target_answer FROM generations WHERE sample_id = ? AND iteration = ? AND kind = ? AND candidate = ?';

/** Upserts the verdict on a sample's (positive, negative) pair; both rationales must already be stored. */
export function recordVerdict(st: Statements, v: PairVerdict, createdAt: string): void {
  const pos = st.get(GEN_ID).get(v.sampleId, v.iteration, 'positive', v.positiveCandidate ?? 0) as { id: number } | undefined;
  if (!pos) throw new MissingRecordError('positive rationale', `${v.sampleId}@${v.iteration}`);
  const neg = st.get(GEN_ID).get(v.sampleId, v.iteration, 'negative', v.negativeCandidate ?? 0) as
    | { id: number; target_answer: string | null }
    | undefined;
  if (!neg) throw new MissingRecordError('negative rationale', `${v.sampleId}@${v.iteration}`);
  writePairRow(st, v, pos.id, neg.id, (neg.target_answer ?? undefined) as OptionLetter | undefined, createdAt);
}

/** Writes the pair row once the ids of its two rationales are known (the hot path of `recordPairs`). */
export function writePairRow(
  st: Statements,
  v: PairVerdict,
  positiveId: number,
  negativeId: number,
  negativeTarget: OptionLetter | undefined,
  createdAt: string,
): void {
  const wrong = v.wrongAnswer ?? negativeTarget;
  if (wrong === undefined) throw new MissingRecordError('wrong answer of negative rationale', `${v.sampleId}@${v.iteration}`);
  st.get(UPSERT).run(
    v.sampleId,
    v.iteration,
    positiveId,
    negativeId,
    v.prompt,
    v.sampleId,
    wrong,
    v.dropReasons.length === 0 ? 1 : 0,
    JSON.stringify(v.dropReasons),
    createdAt,
  );
}

const SELECT = `
  SELECT p.sample_id, p.iteration, p.prompt, p.answer, p.wrong_answer, p.kept, p.drop_reasons,
    p.ref_logp_chosen, p.ref_logp_rejected, pos.text AS chosen, neg.text AS rejected,
    s.image_path, s.image_sha256, i.file AS image_file
  FROM pairs p
  JOIN generations pos ON pos.id = p.positive_id
  JOIN generations neg ON neg.id = p.negative_id
  JOIN samples s ON s.id = p.sample_id
  LEFT JOIN images i ON i.sha256 = s.image_sha256`;

/** Candidate pairs in (iteration, sampleId) order, optionally only one iteration and/or only kept ones. */
export function listPairs(st: Statements, filter: { iteration?: number; kept?: boolean } = {}): StoredPair[] {
  const where: string[] = [];
  const args: number[] = [];
  if (filter.iteration !== undefined) {
    where.push('p.iteration = ?');
    args.push(filter.iteration);
  }
  if (filter.kept !== undefined) {
    where.push('p.kept = ?');
    args.push(filter.kept ? 1 : 0);
  }
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY p.iteration, p.sample_id`;
  return (st.get(sql).all(...args) as PairRow[]).map(rowToPair);
}

function rowToPair(r: PairRow): StoredPair {
  return {
    sampleId: r.sample_id,
    prompt: r.prompt,
    image: r.image_file !== null ? `images/${r.image_file}` : r.image_path,
    chosen: r.chosen,
    rejected: r.rejected,
    answer: r.answer as OptionLetter,
    wrongAnswer: r.wrong_answer as OptionLetter,
    iteration: r.iteration,
    kept: r.kept === 1,
    dropReasons: JSON.parse(r.drop_reasons) as DropReason[],
    imageSha256: r.image_sha256,
    refLogpChosen: r.ref_logp_chosen,
    refLogpRejected: r.ref_logp_rejected,
  };
}

/** Stores the frozen reference model's summed log-probs of a pair's chosen and rejected completions. */
export function setReferenceLogps(st: Statements, sampleId: string, iteration: number, chosen: number, rejected: number): void {
  const r = st
    .get('UPDATE pairs SET ref_logp_chosen = ?, ref_logp_rejected = ? WHERE sample_id = ? AND iteration = ?')
    .run(chosen, rejected, sampleId, iteration);
  if (r.changes === 0) throw new MissingRecordError('pair', `${sampleId}@${iteration}`);
}
