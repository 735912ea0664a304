import { z } from 'zod';

/** `questions.jsonl`: one question about one image. */
export const LlavaQuestionSchema = z.object({
  question_id: z.union([z.number(), z.string()]).transform(String),
  image: z.string(),
  text: z.string(),
  category: z.enum(['conv', 'detail', 'complex']),
});
/** `context.jsonl`: the caption(s) the judge sees in place of the image. */
export const LlavaContextSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String).optional(),
  image: z.string(),
  caption: z.union([z.string(), z.array(z.string())]).transform((c) => (Array.isArray(c) ? c.join('\n') : c)),
});
/** `answers_gpt4.jsonl`: the reference answers (Assistant 1). */
export const LlavaAnswerSchema = z.object({
  question_id: z.union([z.number(), z.string()]).transform(String),
  text: z.string(),
});
export type LlavaQuestion = z.infer<typeof LlavaQuestionSchema>;
export type LlavaContext = z.infer<typeof LlavaContextSchema>;
export type LlavaAnswer = z.infer<typeof LlavaAnswerSchema>;

/** A question joined with its caption and reference answer. */
export interface LlavaBenchItem {
  id: string;
  image: string;
  question: string;
  category: LlavaQuestion['category'];
  caption: string;
  reference: string;
}

/**
 * A row of HF `lmms-lab/llava-bench-in-the-wild` (one Parquet file holding all three): `image` is the
 * embedded image's path once `loadRecords` has written it, `gpt_answer` the reference. Parsed straight
 * into a joined item.
 */
export const LlavaBenchRowSchema = z
  .object({
    question_id: z.union([z.number(), z.string()]).transform(String),
    question: z.string(),
    image: z.string(),
    category: z.enum(['conv', 'detail', 'complex']),
    caption: z.union([z.string(), z.array(z.string())]).transform((c) => (Array.isArray(c) ? c.join('\n') : c)),
    gpt_answer: z.string(),
  })
  .transform((r): LlavaBenchItem => ({ id: r.question_id, image: r.image, question: r.question, category: r.category, caption: r.caption, reference: r.gpt_answer }));

/** Joins the three files; questions without a caption or reference are returned as `missing`. */
export function joinLlavaBench(questions: readonly LlavaQuestion[], contexts: readonly LlavaContext[], answers: readonly LlavaAnswer[]): { items: LlavaBenchItem[]; missing: { id: string; reason: string }[] } {
  const captionByImage = new Map(contexts.map((c) => [c.image, c.caption]));
  const refById = new Map(answers.map((a) => [a.question_id, a.text]));
  const items: LlavaBenchItem[] = [];
  const missing: { id: string; reason: string }[] = [];
  for (const q of questions) {
    const caption = captionByImage.get(q.image);
    const reference = refById.get(q.question_id);
    if (caption === undefined) missing.push({ id: q.question_id, reason: `no context for image ${q.image}` });
    else if (reference === undefined) missing.push({ id: q.question_id, reason: 'no reference answer' });
    else items.push({ id: q.question_id, image: q.image, question: q.text, category: q.category, caption, reference });
  }
  return { items, missing };
}
