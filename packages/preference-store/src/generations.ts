import type { FinishReason, OptionLetter, PromptVariant, RationaleKind, SamplingParams } from '@smart/types';
import { MissingRecordError } from './errors';
import type { AugmentationRecord, GenerationRecord, StoredGeneration } from './records';
import type { Statements } from './statements';

interface GenerationRow {
  id: number;
  sample_id: string;
  iteration: number;
  kind: string;
  candidate: number;
  variant: string;
  prompt: string;
  target_answer: string | null;
  text: string;
  model: string;
  seed: number | null;
  sampling: string;
  augmented: number;
  augmentation: string | null;
  finish_reason: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  latency_ms: number | null;
  created_at: string;
}

const INSERT = `
  INSERT INTO generations (sample_id, iteration, kind, candidate, variant, prompt, target_answer, text, model, seed,
    sampling, augmented, finish_reason, prompt_tokens, completion_tokens, latency_ms, augmentation, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(sample_id, iteration, kind, candidate) DO NOTHING`;

const UPDATE = `
  UPDATE generations SET variant = ?, prompt = ?, target_answer = ?, text = ?, model = ?, seed = ?,
    sampling = ?, augmented = ?, finish_reason = ?, prompt_tokens = ?, completion_tokens = ?, latency_ms = ?, augmentation = ?
  WHERE sample_id = ? AND iteration = ? AND kind = ? AND candidate = ?
  RETURNING id`;

/** Upserts a rationale keyed by (sampleId, iteration, kind, candidate); returns its row id. */
export function putGeneration(st: Statements, g: GenerationRecord, createdAt: string): number {
  // Positional binding is measurably cheaper than named parameters on this hot path.
  const args = [
    g.sampleId,
    g.iteration,
    g.kind,
    g.candidate ?? 0,
    g.variant,
    g.prompt,
    g.targetAnswer ?? null,
    g.text,
    g.model,
    g.seed ?? g.sampling.seed ?? null,
    JSON.stringify(g.sampling),
    g.augmented ? 1 : 0,
    g.finishReason ?? null,
    g.promptTokens ?? null,
    g.completionTokens ?? null,
    g.latencyMs ?? null,
    g.augmentation ? JSON.stringify(g.augmentation) : null,
  ];
  try {
    // A fresh insert (the common case) needs no RETURNING, which costs more than the rowid lookup.
    const r = st.get(INSERT).run(...args, createdAt);
    if (r.changes === 1) return Number(r.lastInsertRowid);
  } catch (err) {
    // The only foreign key of a generation is (sample_id, iteration) -> iteration_samples; letting the
    // constraint do the check saves a lookup per write.
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new MissingRecordError('sample in iteration', `${g.sampleId}@${g.iteration}`);
    }
    throw err;
  }
  return (st.get(UPDATE).get(...args.slice(4), ...args.slice(0, 4)) as { id: number }).id;
}

/** Reads one rationale by its natural key. */
export function getGeneration(
  st: Statements,
  sampleId: string,
  iteration: number,
  kind: RationaleKind,
  candidate = 0,
): StoredGeneration | undefined {
  const row = st
    .get('SELECT * FROM generations WHERE sample_id = ? AND iteration = ? AND kind = ? AND candidate = ?')
    .get(sampleId, iteration, kind, candidate) as GenerationRow | undefined;
  return row && rowToGeneration(row);
}

/** Every rationale of one sample in one iteration, positives first. */
export function listGenerations(st: Statements, sampleId: string, iteration: number): StoredGeneration[] {
  const rows = st
    .get('SELECT * FROM generations WHERE sample_id = ? AND iteration = ? ORDER BY kind DESC, candidate')
    .all(sampleId, iteration) as GenerationRow[];
  return rows.map(rowToGeneration);
}

function rowToGeneration(r: GenerationRow): StoredGeneration {
  const g: StoredGeneration = {
    id: r.id,
    sampleId: r.sample_id,
    iteration: r.iteration,
    kind: r.kind as RationaleKind,
    candidate: r.candidate,
    variant: r.variant as PromptVariant,
    prompt: r.prompt,
    text: r.text,
    model: r.model,
    sampling: JSON.parse(r.sampling) as SamplingParams,
    augmented: r.augmented === 1,
    createdAt: r.created_at,
  };
  if (r.target_answer !== null) g.targetAnswer = r.target_answer as OptionLetter;
  if (r.seed !== null) g.seed = r.seed;
  if (r.finish_reason !== null) g.finishReason = r.finish_reason as FinishReason;
  if (r.prompt_tokens !== null) g.promptTokens = r.prompt_tokens;
  if (r.completion_tokens !== null) g.completionTokens = r.completion_tokens;
  if (r.latency_ms !== null) g.latencyMs = r.latency_ms;
  if (r.augmentation !== null) g.augmentation = JSON.parse(r.augmentation) as AugmentationRecord;
  return g;
}
