import { parseM3CoT, parseScienceQA } from '@smart/aot-prompts';
import { z } from 'zod';
import { SampleSource, type AdaptedRecord, type FormatAdapter, type LoadOptions } from './sample-source';

/** Fields every list-shaped record has: option texts in order, an optional id and image. */
const listRecordSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).optional(),
  image: z.string().nullish(),
  question: z.string(),
  choices: z.array(z.string()),
});

/** A ScienceQA-style record: option texts and the 0-based index of the correct one. */
export const scienceQaRecordSchema = listRecordSchema.extend({
  answer: z.number(),
  hint: z.string().nullish(),
});

/** An M3CoT-style record: option texts and the correct letter. */
export const m3CotRecordSchema = listRecordSchema.extend({
  answer: z.string(),
  context: z.string().nullish(),
});

/** Id (stringified; undefined means "use the ordinal") and image of a list-shaped record. */
function idAndImage(r: z.infer<typeof listRecordSchema>): Omit<AdaptedRecord, 'parsed'> {
  return { id: r.id === undefined ? undefined : String(r.id), image: r.image };
}

const scienceQa: FormatAdapter<typeof scienceQaRecordSchema> = {
  format: 'scienceqa',
  schema: scienceQaRecordSchema,
  adapt: (r) => ({
    ...idAndImage(r),
    parsed: parseScienceQA({ question: r.question, choices: r.choices, answer: r.answer, ...(r.hint ? { hint: r.hint } : {}) }),
  }),
};

const m3Cot: FormatAdapter<typeof m3CotRecordSchema> = {
  format: 'm3cot',
  schema: m3CotRecordSchema,
  adapt: (r) => ({
    ...idAndImage(r),
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
