/**
 * A seeded source of uniform numbers. Every random choice in the toolkit (wrong-option draws,
 * augmentations, sample draws) takes one of these from the caller, so runs are reproducible.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
}
