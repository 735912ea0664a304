import { z } from 'zod';
import { mathvistaHint, mathvistaQuery } from './mathvista-query';

const nullish = <T extends z.ZodType>(t: T) => t.nullable().optional();

/**
 * One MathVista item, as in the official `data/testmini.json` (no `query`: it is built like
 * `data/query.json`) or a row of HF `AI4Math/MathVista` (with `query`, `precision` as a float, and
 * `decoded_image` — after `loadRecords`, the path of the embedded image written to disk).
 */
export const MathVistaRecordSchema = z
  .object({
    pid: z.union([z.string(), z.number()]).transform(String),
    question: z.string(),
    image: z.string(),
    decoded_image: nullish(z.string()),
    choices: nullish(z.array(z.string())),
    unit: nullish(z.string()),
    // HF stores precision as float64 (1.0); `round(x, 1.0)` would raise in Python, so it is read as the integer.
    precision: nullish(z.number().refine(Number.isInteger, 'precision must be a whole number')),
    answer: z.string(),
    question_type: z.enum(['multi_choice', 'free_form']),
    answer_type: z.enum(['text', 'integer', 'float', 'list']),
    metadata: z.object({
      source: z.string(),
      category: z.string(),
      task: z.string(),
      context: z.string(),
      grade: z.string(),
      skills: z.array(z.string()),
      language: z.string(),
    }),
    query: nullish(z.string()),
  })
  .superRefine((r, ctx) => {
    if (r.question_type === 'multi_choice' && !(r.choices && r.choices.length > 0)) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'multi_choice item without choices' });
    }
    if (r.answer_type === 'float' && (r.precision === null || r.precision === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['precision'], message: 'float item without precision' });
    } else if (!r.query && mathvistaHint(r) === null) {
      ctx.addIssue({ code: 'custom', path: ['query'], message: `no query and no official hint for ${r.answer_type} with precision ${String(r.precision)}` });
    }
  })
  .transform((r) => ({ ...r, query: r.query ? r.query : mathvistaQuery(r) }));
export type MathVistaRecord = z.infer<typeof MathVistaRecordSchema>;

/** Breakdown keys MathVista reports. */
export const MATHVISTA_BREAKDOWNS = ['question_type', 'answer_type', 'source', 'category', 'task', 'context', 'grade', 'skills', 'language'] as const;
