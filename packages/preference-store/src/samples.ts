import type { Choice, OptionLetter, Sample, SourceFormat } from '@smart/types';
import { IterationOverlapError, MissingRecordError, SampleInUseError } from './errors';
import type { ImageFolder, StoredImage } from './image-folder';
import type { StoredSample } from './records';
import { validateSample } from './sample-schema';
import type { Statements } from './statements';

interface SampleRow {
  id: string;
  source_name: string;
  source: string;
  question: string;
  hint: string | null;
  choices: string;
  answer: string;
  image_path: string;
  image_sha256: string | null;
  meta: string | null;
}

/** Writes image bytes to the folder and records them under their sha256 (a no-op when present); returns the hash. */
export function putImage(st: Statements, images: ImageFolder, bytes: Uint8Array): string {
  const img = images.write(bytes);
  st.get('INSERT INTO images (sha256, mime, size, file) VALUES (?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING').run(
    img.sha256,
    img.mime,
    img.size,
    img.file,
  );
  return img.sha256;
}

/** An image's record, if the store holds it. */
export function getImageRecord(st: Statements, sha256: string): StoredImage | undefined {
  return st.get('SELECT sha256, mime, size, file FROM images WHERE sha256 = ?').get(sha256) as StoredImage | undefined;
}

/**
 * Upserts a sample keyed by its id; with `imageBytes` the image is stored and `image.sha256` set.
 * The sample is validated first (InvalidRecordError). A stored sample that rationales or pairs were
 * made from is never rewritten: changing its question, hint, choices, answer or image throws
 * SampleInUseError (the same content again is a no-op). Without bytes or a hash, the stored hash of
 * the same image path is kept rather than cleared.
 */
export function putSample(st: Statements, images: ImageFolder, sample: Sample, sourceName: string, imageBytes?: Uint8Array): Sample {
  validateSample(sample);
  const existing = st.get('SELECT * FROM samples WHERE id = ?').get(sample.id) as SampleRow | undefined;
  let sha = sample.image.sha256;
  if (imageBytes) sha = putImage(st, images, imageBytes);
  else if (sha && !st.get('SELECT 1 FROM images WHERE sha256 = ?').get(sha)) throw new MissingRecordError('image', sha);
  else if (!sha && existing?.image_sha256 && existing.image_path === sample.image.path) sha = existing.image_sha256;
  if (existing) refuseRewriteInUse(st, existing, sample, sha ?? null);
  st.get(
    `INSERT INTO samples (id, source_name, source, question, hint, choices, answer, image_path, image_sha256, meta)
     VALUES (@id, @source_name, @source, @question, @hint, @choices, @answer, @image_path, @image_sha256, @meta)
     ON CONFLICT(id) DO UPDATE SET source_name = excluded.source_name, source = excluded.source,
       question = excluded.question, hint = excluded.hint, choices = excluded.choices, answer = excluded.answer,
       image_path = excluded.image_path, image_sha256 = excluded.image_sha256, meta = excluded.meta`,
  ).run({
    id: sample.id,
    source_name: sourceName,
    source: sample.source,
    question: sample.question,
    hint: sample.hint ?? null,
    choices: JSON.stringify(sample.choices),
    answer: sample.answer,
    image_path: sample.image.path,
    image_sha256: sha ?? null,
    meta: sample.meta === undefined ? null : JSON.stringify(sample.meta),
  });
  return sha === undefined ? sample : { ...sample, image: { ...sample.image, sha256: sha } };
}

function refuseRewriteInUse(st: Statements, row: SampleRow, sample: Sample, sha: string | null): void {
  const changed: string[] = [];
  if (row.question !== sample.question) changed.push('question');
  if (row.hint !== (sample.hint ?? null)) changed.push('hint');
  if (row.choices !== JSON.stringify(sample.choices)) changed.push('choices');
  if (row.answer !== sample.answer) changed.push('answer');
  if (row.image_path !== sample.image.path || row.image_sha256 !== sha) changed.push('image');
  if (changed.length === 0) return;
  const generations = st.get('SELECT count(*) FROM generations WHERE sample_id = ?').pluck().get(row.id) as number;
  const pairs = st.get('SELECT count(*) FROM pairs WHERE sample_id = ?').pluck().get(row.id) as number;
  if (generations > 0 || pairs > 0) throw new SampleInUseError(row.id, generations, pairs, changed);
}

/** Reads one sample back exactly as it was stored. */
export function getSample(st: Statements, id: string): StoredSample | undefined {
  const row = st.get('SELECT * FROM samples WHERE id = ?').get(id) as SampleRow | undefined;
  return row && rowToSample(row);
}

function rowToSample(row: SampleRow): StoredSample {
  const sample: Sample = {
    id: row.id,
    image: row.image_sha256 === null ? { path: row.image_path } : { path: row.image_path, sha256: row.image_sha256 },
    question: row.question,
    choices: JSON.parse(row.choices) as Choice[],
    answer: row.answer as OptionLetter,
    source: row.source as SourceFormat,
  };
  if (row.hint !== null) sample.hint = row.hint;
  if (row.meta !== null) sample.meta = JSON.parse(row.meta) as Record<string, string | number | boolean>;
  return { sample, sourceName: row.source_name };
}

/**
 * Adds samples to iteration `k` (creating the iteration). Re-adding a sample to the same iteration is a
 * no-op; adding it to a different one throws, and the primary key on iteration_samples.sample_id
 * rejects it even for raw SQL writers.
 */
export function assignSamples(st: Statements, iteration: number, sampleIds: readonly string[], createdAt: string, model?: string): number {
  st.get('INSERT INTO iterations (k, model, created_at) VALUES (?, ?, ?) ON CONFLICT(k) DO NOTHING').run(
    iteration,
    model ?? null,
    createdAt,
  );
  if (model !== undefined) st.get('UPDATE iterations SET model = ? WHERE k = ?').run(model, iteration);
  const insert = st.get('INSERT INTO iteration_samples (sample_id, iteration) VALUES (?, ?) ON CONFLICT(sample_id) DO NOTHING');
  const owner = st.get('SELECT iteration FROM iteration_samples WHERE sample_id = ?').pluck();
  const exists = st.get('SELECT 1 FROM samples WHERE id = ?').pluck();
  let added = 0;
  for (const id of sampleIds) {
    if (!exists.get(id)) throw new MissingRecordError('sample', id);
    if (insert.run(id, iteration).changes === 1) {
      added++;
      continue;
    }
    const existing = owner.get(id) as number;
    if (existing !== iteration) throw new IterationOverlapError(id, iteration, existing);
  }
  return added;
}
