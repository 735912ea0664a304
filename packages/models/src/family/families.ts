import { UnsupportedModelTypeError } from '../errors';
import { llavaFamily } from '../llava/family';
import type { LlavaConfig } from '../llava/llava-config';
import { qwen2VlFamily } from '../qwen2-vl/family';
import type { Qwen2VlConfig } from '../qwen2-vl/qwen2-vl-config';
import { checkModelType, readConfigJson } from './config-json';
import type { ModelFamily } from './model-family';

/** A validated config of any implemented family (a union as families are added). */
export type ModelConfig = LlavaConfig | Qwen2VlConfig;

// The one place a `model_type` selects its family.
const FAMILIES: Readonly<Record<string, ModelFamily<ModelConfig>>> = { llava: llavaFamily, qwen2_vl: qwen2VlFamily };

/** The top-level `model_type`s implemented. */
export const MODEL_TYPES: readonly string[] = Object.keys(FAMILIES);

/** The family of a `model_type`; throws UnsupportedModelTypeError for any other. */
export function modelFamily(modelType: string, file = 'config.json'): ModelFamily<ModelConfig> {
  const family = FAMILIES[modelType];
  if (!family) throw new UnsupportedModelTypeError(file, 'model_type', modelType, MODEL_TYPES);
  return family;
}

/** The family a validated config belongs to. */
export function familyOf(config: ModelConfig): ModelFamily<ModelConfig> {
  return modelFamily(config.model_type);
}

/** Validates a parsed config.json of any implemented family, selected by its `model_type`. */
export function parseModelConfig(json: unknown, file = 'config.json'): ModelConfig {
  const modelType = (json as { model_type?: unknown } | null)?.model_type;
  checkModelType(file, 'model_type', modelType, MODEL_TYPES);
  return modelFamily(modelType as string, file).parseConfig(json, file);
}

/** Reads and validates `<folder>/config.json` of any implemented family. */
export function readModelConfig(folder: string): ModelConfig {
  const { json, file } = readConfigJson(folder);
  return parseModelConfig(json, file);
}
