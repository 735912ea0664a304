import { parseM3CoT, parseScienceQA } from '@smart/aot-prompts';
import { z } from 'zod';
import { SampleSource, type FormatAdapter, type LoadOptions } from './sample-source';

const idSchema = z.union([z.string().min(1), z.number()]).optional();

/** A ScienceQA-style record: option texts and the 0-based index of the correct one. */
export const scienceQaRecordSchema = z.object({
  id: idSchema,
  image: z.string().nullish(),
  question: z.string(),
  choices: z.array(z.string()),
  answer: z.number(),
  hint: z.string().nullish(),
});

/** An M3CoT-style record: option texts and the correct letter. */
export const m3CotRecordSchema = z.object({
  id: idSchema,
  image: z.string().nullish(),
  question: z.string(),
  choices: z.array(z.string()),
  answer: z.string(),
  context: z.string().nullish(),
});

const scienceQa: FormatAdapter<typeof scienceQaRecordSchema> = {
  format: 'scienceqa',
  schema: scienceQaRecordSchema,
  adapt: (r) => ({
    id: r.id === undefined ? undefined : String(r.id),
    image: r.image,
    parsed: parseScienceQA({ question: r.question, choices: r.choices, answer: r.answer, ...(r.hint ? { hint: r.hint } : {}) }),
  }),
};

const m3Cot: FormatAdapter<typeof m3CotRecordSchema> = {
  format: 'm3cot',
  schema: m3CotRecordSchema,
  adapt: (r) => ({
    id: r.id === undefined ? undefined : String(r.id),
    image: r.image,
    parsed: parseM3CoT({ question: r.question, choices: r.choices, answer: r.answer, ...(r.context ? { context: r.context } : {}) }),
  }),
};

/** Streams ScienceQA-style records (`choices[]`, `answer` index); rows without an id get their 0-based ordinal. */
export function loadScienceQA(options: LoadOptions): SampleSource<typeof scienceQaRecordSchema> {
  return new SampleSource(scienceQa, options);
}

/** Streams M3CoT-style records (`choices[]`, `answer` letter); rows without an id get their 0-based ordinal. */
export function loadM3CoT(options: LoadOptions): SampleSource<typeof m3CotRecordSchema> {
  return new SampleSource(m3Cot, options);
}
