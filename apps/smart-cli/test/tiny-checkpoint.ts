import { join } from 'node:path';
import { createTinyModel, type TinyModel } from '@smart/models';

/** A tiny random LLaVA (HF checkpoint + transformers.js folder) under `dir`: a stand-in for a trained model. */
export function tinyModel(dir: string, seed = 0): Promise<TinyModel> {
  return createTinyModel({ dir: join(dir, `tiny-${seed}`), preset: 'tiny', seed });
}
