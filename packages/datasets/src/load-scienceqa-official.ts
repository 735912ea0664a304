import { parseScienceQA } from '@smart/aot-prompts';
import { z } from 'zod';
import { SampleSource, type FormatAdapter, type LoadOptions } from './sample-source';

/**
 * One problem of ScienceQA's released `problems.json` (an object of id → problem). Fields beyond these
 * (lecture, solution, subject, grade, ...) are allowed and ignored.
 */
export const scienceQaProblemSchema = z.looseObject({
  question: z.string(),
  choices: z.array(z.string()),
  answer: z.number().int(),
  hint: z.string().nullish(),
  /** The image's file name inside `images/<split>/<id>/`, or null for a text-only problem. */
  image: z.string().nullish(),
  split: z.string().min(1),
});

/** A problem of the official `problems.json`. */
export type ScienceQaProblem = z.infer<typeof scienceQaProblemSchema>;

/** Options of {@link loadScienceQAProblems}. */
export interface ScienceQaProblemsOptions extends Omit<LoadOptions, 'format'> {
  /** Splits to keep (`train`, `val`, `test`, `minitrain`, ...); problems of others are skipped as `other-split`. Default: all. */
  splits?: readonly string[];
}

function adapter(splits: ReadonlySet<string> | null): FormatAdapter<typeof scienceQaProblemSchema> {
  return {
    format: 'scienceqa',
    schema: scienceQaProblemSchema,
    adapt(problem, key) {
      const parsed = parseScienceQA({ question: problem.question, choices: problem.choices, answer: problem.answer, ...(problem.hint ? { hint: problem.hint } : {}) });
      // The released layout: images/<split>/<id>/<file name>, next to problems.json.
      const image = problem.image && key !== undefined ? `images/${problem.split}/${key}/${problem.image}` : null;
      const skip = splits && !splits.has(problem.split) ? { reason: 'other-split' as const, detail: `split ${problem.split} not requested` } : undefined;
      return { id: key, image, parsed, meta: { split: problem.split }, ...(skip ? { skip } : {}) };
    },
  };
}

/**
 * Streams ScienceQA as released: `problems.json`, an object of id → problem with `split`, `image`,
 * `choices` and an `answer` index, with images at `images/<split>/<id>/image.png` beside it (the default
 * `imageRoot` is the file's folder). Sample ids are the object's keys; text-only problems (`image: null`)
 * are skipped as `no-image`, problems of unrequested splits as `other-split`.
 */
export function loadScienceQAProblems(options: ScienceQaProblemsOptions): SampleSource<typeof scienceQaProblemSchema> {
  const { splits, ...load } = options;
  return new SampleSource(adapter(splits ? new Set(splits) : null), { ...load, format: 'json-object' });
}
