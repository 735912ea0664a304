/**
 * OpenAI CLIP's normalization: the model the expected values in these tests were computed for. The library
 * takes mean/std from its caller (`@smart/models` exposes each model's); tests name the one they use.
 */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;
export const CLIP = { mean: CLIP_MEAN, std: CLIP_STD } as const;
