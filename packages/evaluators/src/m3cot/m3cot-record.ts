import { z } from 'zod';

/**
 * One M3CoT item (HF `LightChen2333/M3CoT` Parquet rows, whose embedded `image` `loadRecords` writes to
 * disk and replaces by its path, or the repo's JSONL); the image itself is not validated here.
 */
export const M3CoTRecordSchema = z.object({
  id: z.string(),
  category: z.string().nullable().optional(),
  image_id: z.string().nullable().optional(),
  question: z.string(),
  choices: z.array(z.union([z.string(), z.number()]).transform(String)).min(2),
  context: z.string().nullable().optional(),
  answer: z.string().regex(/^[A-Z]$/, 'answer must be an option letter'),
  rationale: z.string().nullable().optional(),
  split: z.string().nullable().optional(),
  image: z.unknown().optional(),
  domain: z.string(),
  topic: z.string(),
}).superRefine((r, ctx) => {
  if (r.answer.charCodeAt(0) - 65 >= r.choices.length) {
    ctx.addIssue({ code: 'custom', path: ['answer'], message: `answer ${r.answer} but only ${r.choices.length} choices` });
  }
});
export type M3CoTRecord = z.infer<typeof M3CoTRecordSchema>;
