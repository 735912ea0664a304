import { z } from 'zod';

/** One MathVista item as in `testmini.json` / HF `AI4Math/MathVista` (image bytes not needed). */
export const MathVistaRecordSchema = z
  .object({
    pid: z.union([z.string(), z.number()]).transform(String),
    question: z.string(),
    image: z.string(),
    choices: z.array(z.string()).nullable().optional(),
    unit: z.string().nullable().optional(),
    precision: z.number().int().nullable().optional(),
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
    query: z.string(),
  })
  .superRefine((r, ctx) => {
    if (r.question_type === 'multi_choice' && !(r.choices && r.choices.length > 0)) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'multi_choice item without choices' });
    }
    if (r.answer_type === 'float' && (r.precision === null || r.precision === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['precision'], message: 'float item without precision' });
    }
  });
export type MathVistaRecord = z.infer<typeof MathVistaRecordSchema>;

/** Breakdown keys MathVista reports. */
export const MATHVISTA_BREAKDOWNS = ['question_type', 'answer_type', 'source', 'category', 'task', 'context', 'grade', 'skills', 'language'] as const;
