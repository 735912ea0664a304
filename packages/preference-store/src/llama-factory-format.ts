import { OPTION_LETTERS, type PreferencePair } from '@smart/types';
import { z } from 'zod';

/** LLaMA-Factory's image placeholder in a sharegpt human turn. */
export const IMAGE_TOKEN = '<image>';

const turn = (from: string) => z.object({ from: z.literal(from), value: z.string() });
const letter = z.enum(OPTION_LETTERS);

/** One LLaMA-Factory sharegpt ranking record, plus SMART's provenance fields (ignored by LLaMA-Factory). */
export const llamaFactoryRecordSchema = z.object({
  conversations: z.array(turn('human')).length(1),
  chosen: turn('gpt'),
  rejected: turn('gpt'),
  images: z.array(z.string()).length(1),
  sample_id: z.string(),
  iteration: z.number().int().nonnegative(),
  answer: letter,
  wrong_answer: letter,
});
export type LlamaFactoryRecord = z.infer<typeof llamaFactoryRecordSchema>;

/** `dataset_info.json` entry that tells LLaMA-Factory how to read the exported file. */
export function llamaFactoryDatasetInfo(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    ranking: true,
    columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', images: 'images' },
  };
}

/** A pair as a sharegpt ranking record: `<image>` is prepended to the question, once. */
export function pairToLlamaFactoryRecord(p: PreferencePair): LlamaFactoryRecord {
  return {
    conversations: [{ from: 'human', value: `${IMAGE_TOKEN}${p.prompt}` }],
    chosen: { from: 'gpt', value: p.chosen },
    rejected: { from: 'gpt', value: p.rejected },
    images: [p.image],
    sample_id: p.sampleId,
    iteration: p.iteration,
    answer: p.answer,
    wrong_answer: p.wrongAnswer,
  };
}

/** Converts a validated record back into a pair; returns the reasons when it lacks the leading `<image>`. */
export function llamaFactoryRecordToPair(r: LlamaFactoryRecord): PreferencePair | string[] {
  const value = r.conversations[0]!.value;
  if (!value.startsWith(IMAGE_TOKEN)) return [`human turn must start with ${IMAGE_TOKEN}`];
  return {
    sampleId: r.sample_id,
    prompt: value.slice(IMAGE_TOKEN.length),
    image: r.images[0]!,
    chosen: r.chosen.value,
    rejected: r.rejected.value,
    answer: r.answer,
    wrongAnswer: r.wrong_answer,
    iteration: r.iteration,
  };
}
