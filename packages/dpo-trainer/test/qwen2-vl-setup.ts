import { createPromptEncoder } from '@smart/mllm';
import { createTinyQwen2VlModel, type TinyQwen2VlModel } from '@smart/models';
import type { ImageInput, PromptEncoder } from '@smart/types';
import type { PreferenceExample, SftExample } from '../src/collate/examples';

/** A tiny Qwen2-VL, its transformers.js PromptEncoder and a few image pairs whose images differ in size. */
export interface TinyQwen2VlSetup {
  model: TinyQwen2VlModel;
  encoder: PromptEncoder;
  pairs: PreferenceExample[];
  sft: SftExample[];
}

/** An 8-bit RGB image on the tiny processor's 8-pixel grid (inside its [64, 1024] pixel bounds), deterministic from `seed`. */
export function qwenImage(width: number, height: number, seed: number): ImageInput {
  const data = new Uint8Array(width * height * 3).map((_, i) => (i * 37 + seed * 101) % 256);
  return { kind: 'rgb', width, height, data };
}

// 24×16 → 6×4 patches (6 image tokens), 16×16 → 4×4 (4), 32×8 → 8×2 (4, another grid).
const SIZES: [number, number][] = [
  [24, 16],
  [16, 16],
  [32, 8],
  [16, 24],
];
const QUESTIONS = ['How many circles?', 'Which shape is red?', 'Is the square left of the dot?', 'What color is the big one?'];

/** Builds the tiny Qwen2-VL under `dir` and `count` pairs with differently sized images. */
export async function tinyQwen2VlSetup(dir: string, count = 4, seed = 3): Promise<TinyQwen2VlSetup> {
  const model = await createTinyQwen2VlModel({ dir, seed });
  const encoder = await createPromptEncoder(model.modelDir);
  const pairs: PreferenceExample[] = Array.from({ length: count }, (_, i) => ({
    id: `q-${i}`,
    prompt: QUESTIONS[i % QUESTIONS.length]!,
    image: qwenImage(...SIZES[i % SIZES.length]!, i),
    chosen: `Step 1: look. The answer is (${'ABCD'[i % 4]}).`,
    rejected: `So it is ${'DCBA'[i % 4]}.`,
  }));
  const sft = pairs.map((p) => ({ id: p.id, prompt: p.prompt, image: p.image!, completion: p.chosen }));
  return { model, encoder, pairs, sft };
}
