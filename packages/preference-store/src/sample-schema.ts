import { MAX_OPTIONS, MIN_OPTIONS, OPTION_LETTERS, type Sample } from '@smart/types';
import { z } from 'zod';
import { InvalidRecordError } from './errors';

const letter = z.enum(OPTION_LETTERS);

/** A sample as the store accepts it (the `Sample` contract of @smart/types, checked). */
export const storeSampleSchema = z
  .object({
    id: z.string().min(1),
    image: z.object({ path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }),
    question: z.string(),
    hint: z.string().optional(),
    choices: z.array(z.object({ letter, text: z.string() })).min(MIN_OPTIONS).max(MAX_OPTIONS),
    answer: letter,
    source: z.enum(['mathv360k', 'scienceqa', 'm3cot', 'synthetic']),
    meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .refine((s) => new Set(s.choices.map((c) => c.letter)).size === s.choices.length, { message: 'choice letters repeat', path: ['choices'] })
  .refine((s) => s.choices.some((c) => c.letter === s.answer), { message: 'answer is not one of the choices', path: ['answer'] });

/** Throws InvalidRecordError naming the sample and the first problems when `sample` breaks the contract. */
export function validateSample(sample: Sample): void {
  const parsed = storeSampleSchema.safeParse(sample);
  if (parsed.success) return;
  const key = typeof (sample as { id?: unknown })?.id === 'string' ? sample.id : '(no id)';
  throw new InvalidRecordError('sample', key, parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(sample)'}: ${i.message}`).join('; '));
}
