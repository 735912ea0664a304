import { OPTION_LETTERS, type PreferencePair } from '@smart/types';
import type { ColumnSource, KeyValue, SchemaElement } from 'hyparquet-writer';
import { z } from 'zod';
import { pairToTrlRecord, trlMessageSchema, trlRecordToPair } from './trl-format';

const letter = z.enum(OPTION_LETTERS);

/** HF `datasets`' Image struct: the encoded file, and/or a path (`datasets` decodes `bytes` first). */
export const hfImageSchema = z.object({
  bytes: z.union([z.instanceof(Uint8Array), z.string()]).nullable().optional(),
  path: z.string().nullable().optional(),
});
export type HfImage = z.infer<typeof hfImageSchema>;

/**
 * One Parquet row as hyparquet reads it back. Written: TRL's conversational vision preference columns
 * (`prompt` with a `{"type":"image"}` part, `chosen`, `rejected`), `images` as HF Image structs with the bytes
 * embedded, SMART's provenance, and `ref_chosen_logps` / `ref_rejected_logps` when every pair has them.
 * Read: also plain-string prompt/completions and image path strings (earlier exports, other tools); extra columns ignored.
 */
export const parquetRowSchema = z.object({
  sample_id: z.string(),
  // pandas and pyarrow write integers as INT64, which hyparquet reads as bigint.
  iteration: z
    .union([z.number(), z.bigint().transform((b) => Number(b))])
    .pipe(z.number().int().nonnegative()),
  images: z.array(z.union([z.string(), hfImageSchema])).length(1),
  prompt: z.union([z.string(), z.array(trlMessageSchema).min(1)]),
  chosen: z.union([z.string(), z.array(trlMessageSchema).min(1)]),
  rejected: z.union([z.string(), z.array(trlMessageSchema).min(1)]),
  answer: letter,
  wrong_answer: letter,
});
export type ParquetRow = z.infer<typeof parquetRowSchema>;

const utf8 = (name: string, repetition_type: 'REQUIRED' | 'OPTIONAL' = 'REQUIRED'): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type });

/** A list<struct<content: list<struct<text?, type>>, role>> column: Arrow's layout of TRL messages. */
function messagesColumn(name: string): SchemaElement[] {
  return [
    { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
    { name: 'content', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
    utf8('text', 'OPTIONAL'),
    utf8('type'),
    utf8('role'),
  ];
}

/** Explicit schema (standard 3-level lists, so pyarrow/pandas/`datasets` read nested columns); ref log-prob columns optional. */
export function parquetSchema(withReferenceLogProbs: boolean): SchemaElement[] {
  return [
    { name: 'root', num_children: withReferenceLogProbs ? 10 : 8 },
    utf8('sample_id'),
    { name: 'iteration', type: 'INT32', repetition_type: 'REQUIRED' },
    { name: 'images', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
    { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
    utf8('path', 'OPTIONAL'),
    ...messagesColumn('prompt'),
    ...messagesColumn('chosen'),
    ...messagesColumn('rejected'),
    utf8('answer'),
    utf8('wrong_answer'),
    ...(withReferenceLogProbs
      ? (['ref_chosen_logps', 'ref_rejected_logps'] as const).map((name): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' }))
      : []),
  ];
}

/** The schema without reference log-prob columns. */
export const PARQUET_SCHEMA: SchemaElement[] = parquetSchema(false);

const value = (dtype: string) => ({ dtype, _type: 'Value' });
const messagesFeature = [{ content: [{ text: value('string'), type: value('string') }], role: value('string') }];

/**
 * The `huggingface` key-value metadata `datasets` reads its features from: `images` decode as a list of
 * PIL images (`Sequence(Image())`), so `load_dataset("parquet", ...)` gives TRL's vision DPO dataset as is.
 */
export function huggingfaceMetadata(withReferenceLogProbs: boolean): KeyValue[] {
  const features: Record<string, unknown> = {
    sample_id: value('string'),
    iteration: value('int32'),
    images: { feature: { _type: 'Image' }, _type: 'Sequence' },
    prompt: messagesFeature,
    chosen: messagesFeature,
    rejected: messagesFeature,
    answer: value('string'),
    wrong_answer: value('string'),
    ...(withReferenceLogProbs ? { ref_chosen_logps: value('float64'), ref_rejected_logps: value('float64') } : {}),
  };
  return [{ key: 'huggingface', value: JSON.stringify({ info: { features } }) }];
}

/** A pair to write, with its image's bytes and, when known, the reference log-probs. */
export interface ParquetPair {
  pair: PreferencePair;
  imageBytes: Uint8Array;
  ref?: { chosen: number; rejected: number };
}

/** Messages in Arrow's uniform struct layout (every content part has `text`, null on image parts). */
function arrowMessages(messages: z.infer<typeof trlMessageSchema>[]): unknown[] {
  return messages.map((m) => ({
    content: typeof m.content === 'string' ? [{ text: m.content, type: 'text' }] : m.content.map((c) => ({ text: c.type === 'text' ? c.text : null, type: c.type })),
    role: m.role,
  }));
}

/** Column-major data for hyparquet-writer, in {@link parquetSchema} order. */
export function pairsToParquetColumns(rows: readonly ParquetPair[], withReferenceLogProbs: boolean): ColumnSource[] {
  const trl = rows.map((r) => pairToTrlRecord(r.pair));
  const columns: ColumnSource[] = [
    { name: 'sample_id', data: trl.map((r) => r.sample_id) },
    { name: 'iteration', data: trl.map((r) => r.iteration) },
    { name: 'images', data: rows.map((r) => [{ bytes: r.imageBytes, path: r.pair.image }]) },
    { name: 'prompt', data: trl.map((r) => arrowMessages(r.prompt)) },
    { name: 'chosen', data: trl.map((r) => arrowMessages(r.chosen)) },
    { name: 'rejected', data: trl.map((r) => arrowMessages(r.rejected)) },
    { name: 'answer', data: trl.map((r) => r.answer) },
    { name: 'wrong_answer', data: trl.map((r) => r.wrong_answer) },
  ];
  if (withReferenceLogProbs) {
    columns.push({ name: 'ref_chosen_logps', data: rows.map((r) => r.ref!.chosen) });
    columns.push({ name: 'ref_rejected_logps', data: rows.map((r) => r.ref!.rejected) });
  }
  return columns;
}

/** A validated Parquet row as a pair (its image already resolved to a path by the importer), or the reasons it is not one. */
export function parquetRowToPair(r: ParquetRow): PreferencePair | string[] {
  const image = r.images[0]!;
  if (typeof image !== 'string') return ['images: an Image struct needs a readable path or bytes'];
  const { prompt, chosen, rejected } = r;
  if (typeof prompt === 'string' && typeof chosen === 'string' && typeof rejected === 'string') {
    return { sampleId: r.sample_id, prompt, image, chosen, rejected, answer: r.answer, wrongAnswer: r.wrong_answer, iteration: r.iteration };
  }
  if (typeof prompt === 'string' || typeof chosen === 'string' || typeof rejected === 'string') {
    return ['prompt, chosen and rejected must all be strings or all be conversational messages'];
  }
  return trlRecordToPair({ images: [image], prompt, chosen, rejected, sample_id: r.sample_id, iteration: r.iteration, answer: r.answer, wrong_answer: r.wrong_answer });
}
