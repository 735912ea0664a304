import { createPromptEncoder } from '@smart/mllm';
import { createTinyModel, type TinyModel } from '@smart/models';
import type { PromptEncoder } from '@smart/types';
import type { PreferenceExample, SftExample } from '../src/collate/examples';

/** A tiny model, its transformers.js PromptEncoder (the one generation uses) and a few image pairs. */
export interface TinySetup {
  model: TinyModel;
  encoder: PromptEncoder;
  pairs: PreferenceExample[];
  sft: SftExample[];
}

/** A pre-normalized [3, 32, 32] image, deterministic from `seed` (the tiny tower's size). */
export function tinyImage(seed: number): PreferenceExample['image'] {
  const data = new Float32Array(3 * 32 * 32).map((_, i) => Math.sin(i * 0.37 + seed) * 0.8);
  return { kind: 'tensor', data, shape: [3, 32, 32] };
}

const QUESTIONS = ['How many circles?', 'Which shape is red?', 'Is the square left of the dot?', 'What color is the big one?', 'Count the stars.', 'Which is larger?'];

/** Builds the tiny model under `dir` and `count` pairs whose chosen and rejected answers differ. */
export async function tinySetup(dir: string, count = 4, seed = 1): Promise<TinySetup> {
  const model = await createTinyModel({ dir, seed });
  const encoder = await createPromptEncoder(model.modelDir);
  const pairs = tinyPairs(count);
  const sft = pairs.map((p) => ({ id: p.id, prompt: p.prompt, image: p.image!, completion: p.chosen }));
  return { model, encoder, pairs, sft };
}

/** `count` image pairs whose chosen and rejected answers differ (deterministic). */
export function tinyPairs(count: number): PreferenceExample[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `pair-${i}`,
    prompt: QUESTIONS[i % QUESTIONS.length]!,
    image: tinyImage(i),
    chosen: `Step 1: look. The answer is (${'ABCD'[i % 4]}).`,
    rejected: `So it is ${'DCBA'[i % 4]}.`,
  }));
}
