/**
 * A seeded source of uniform numbers. Every random choice in the toolkit (wrong-option draws,
 * augmentations, sample draws) takes one of these from the caller, so runs are reproducible.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
}

/** JSON-serializable state of a seeded stream; restoring it continues the exact same sequence. */
export interface RngState {
  algorithm: string;
  /** Opaque words of the generator state. */
  words: number[];
  /** Spare normal deviate cached by the polar/Box–Muller method, if any. */
  spareNormal?: number | null;
}

/** A seeded random stream with named, independent sub-streams (`rng.stream('augment/erase')`). */
export interface RandomStream extends Rng {
  /** Standard normal deviate. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element chosen uniformly. */
  choice<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this stream's seed and `name` (does not advance this stream). */
  stream(name: string): RandomStream;
  /** Savable state. */
  getState(): RngState;
  /** Restores a state written by `getState`. */
  setState(state: RngState): void;
}
