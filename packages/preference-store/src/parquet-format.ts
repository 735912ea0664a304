import { OPTION_LETTERS, type PreferencePair } from '@smart/types';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import { z } from 'zod';

const letter = z.enum(OPTION_LETTERS);

/** One Parquet row as hyparquet reads it back: TRL's standard (plain text) preference columns plus provenance. */
export const parquetRowSchema = z.object({
  sample_id: z.string(),
  iteration: z.number().int().nonnegative(),
  images: z.array(z.string()).length(1),
  prompt: z.string(),
  chosen: z.string(),
  rejected: z.string(),
  answer: letter,
  wrong_answer: letter,
});
export type ParquetRow = z.infer<typeof parquetRowSchema>;

/** The plain string columns after `images`. */
const TEXT_COLUMNS = ['prompt', 'chosen', 'rejected', 'answer', 'wrong_answer'] as const;

/** Explicit schema: `images` as a standard 3-level LIST<STRING> so pandas/pyarrow/datasets read a list column. */
export const PARQUET_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 8 },
  { name: 'sample_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'iteration', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'images', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  ...TEXT_COLUMNS.map((name): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' })),
];

/** Column-major data for hyparquet-writer, in {@link PARQUET_SCHEMA} order. */
export function pairsToParquetColumns(pairs: readonly PreferencePair[]): ColumnSource[] {
  return [
    { name: 'sample_id', data: pairs.map((p) => p.sampleId) },
    { name: 'iteration', data: pairs.map((p) => p.iteration) },
    { name: 'images', data: pairs.map((p) => [p.image]) },
    { name: 'prompt', data: pairs.map((p) => p.prompt) },
    { name: 'chosen', data: pairs.map((p) => p.chosen) },
    { name: 'rejected', data: pairs.map((p) => p.rejected) },
    { name: 'answer', data: pairs.map((p) => p.answer) },
    { name: 'wrong_answer', data: pairs.map((p) => p.wrongAnswer) },
  ];
}

/** A validated Parquet row as a pair. */
export function parquetRowToPair(r: ParquetRow): PreferencePair {
  return {
    sampleId: r.sample_id,
    prompt: r.prompt,
    image: r.images[0]!,
    chosen: r.chosen,
    rejected: r.rejected,
    answer: r.answer,
    wrongAnswer: r.wrong_answer,
    iteration: r.iteration,
  };
}
