import { OPTION_LETTERS, type PreferencePair } from '@smart/types';
import { z } from 'zod';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
// Arrow-backed readers (`datasets`, Parquet) give image parts a null `text`, which is ignored.
const imagePart = z.object({ type: z.literal('image'), text: z.null().optional() });
/** One TRL conversational message (string content, or text and image parts). */
export const trlMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.union([z.string(), z.array(z.union([textPart, imagePart]))]),
});
const letter = z.enum(OPTION_LETTERS);

/** One TRL conversational preference record with an image, plus SMART's provenance columns. */
export const trlRecordSchema = z.object({
  images: z.array(z.string()).length(1),
  prompt: z.array(trlMessageSchema).min(1),
  chosen: z.array(trlMessageSchema).min(1),
  rejected: z.array(trlMessageSchema).min(1),
  sample_id: z.string(),
  iteration: z.number().int().nonnegative(),
  answer: letter,
  wrong_answer: letter,
  /** The frozen reference model's summed completion log-probs, which TRL's DPOTrainer uses instead of recomputing. */
  ref_chosen_logps: z.number().optional(),
  ref_rejected_logps: z.number().optional(),
});
export type TrlRecord = z.infer<typeof trlRecordSchema>;

/** A pair as a TRL record: the image placeholder comes first in the user turn, as TRL's VLM collators expect. */
export function pairToTrlRecord(p: PreferencePair): TrlRecord {
  return {
    images: [p.image],
    prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: p.prompt }] }],
    chosen: [{ role: 'assistant', content: [{ type: 'text', text: p.chosen }] }],
    rejected: [{ role: 'assistant', content: [{ type: 'text', text: p.rejected }] }],
    sample_id: p.sampleId,
    iteration: p.iteration,
    answer: p.answer,
    wrong_answer: p.wrongAnswer,
  };
}

type Message = z.infer<typeof trlMessageSchema>;

function textOf(messages: Message[], role: Message['role']): string | string[] {
  if (messages.length !== 1 || messages[0]!.role !== role) return [`expected one ${role} message`];
  const content = messages[0]!.content;
  if (typeof content === 'string') return content;
  const texts = content.filter((c) => c.type === 'text');
  if (texts.length !== 1) return [`expected one text part in the ${role} message`];
  return (texts[0] as { text: string }).text;
}

/** Converts a validated TRL record back into a pair; returns the reasons when its shape is not one SMART writes. */
export function trlRecordToPair(r: TrlRecord): PreferencePair | string[] {
  const prompt = textOf(r.prompt, 'user');
  const chosen = textOf(r.chosen, 'assistant');
  const rejected = textOf(r.rejected, 'assistant');
  const problems = [prompt, chosen, rejected].filter((x): x is string[] => Array.isArray(x)).flat();
  const first = r.prompt[0]!.content;
  if (typeof first !== 'string' && first.filter((c) => c.type === 'image').length !== r.images.length) {
    problems.push('number of {"type":"image"} parts differs from images');
  }
  if (problems.length > 0) return problems;
  return {
    sampleId: r.sample_id,
    prompt: prompt as string,
    image: r.images[0]!,
    chosen: chosen as string,
    rejected: rejected as string,
    answer: r.answer,
    wrongAnswer: r.wrong_answer,
    iteration: r.iteration,
  };
}
