import { ropeKind, type TextConfig } from './text-config';

/** RoPE kinds whose frequencies are fixed per model (no dependence on the running sequence length). */
export const IMPLEMENTED_ROPE_KINDS = ['default', 'linear', 'llama3'] as const;

const num = (obj: Record<string, unknown>, key: string, fallback?: number): number => {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`rope scaling field '${key}' must be a number`);
  return v;
};

/**
 * The inverse frequencies θ^(-2i/d) of a decoder's RoPE with its scaling applied, as transformers'
 * `ROPE_INIT_FUNCTIONS` compute them: `linear` divides every frequency by `factor` (position interpolation,
 * Chen et al. 2023); `llama3` divides the low-frequency band by `factor`, keeps the high-frequency band, and
 * interpolates smoothly between (Llama 3.1). Both keep the attention scaling at 1.
 */
export function ropeInverseFrequencies(c: TextConfig): number[] {
  const d = c.head_dim;
  const inv = Array.from({ length: d / 2 }, (_, i) => 1 / Math.pow(c.rope_theta, (2 * i) / d));
  const { kind } = ropeKind(c);
  const params = (c.rope_parameters ?? c.rope_scaling ?? {}) as Record<string, unknown>;
  if (kind === 'default') return inv;
  if (kind === 'linear') {
    const factor = num(params, 'factor');
    return inv.map((f) => f / factor);
  }
  if (kind === 'llama3') {
    const factor = num(params, 'factor');
    const low = num(params, 'low_freq_factor');
    const high = num(params, 'high_freq_factor');
    const context = num(params, 'original_max_position_embeddings');
    const lowWavelen = context / low;
    const highWavelen = context / high;
    return inv.map((f) => {
      const wavelen = (2 * Math.PI) / f;
      if (wavelen < highWavelen) return f;
      if (wavelen > lowWavelen) return f / factor;
      const smooth = (context / wavelen - low) / (high - low);
      return (1 - smooth) * (f / factor) + smooth * f;
    });
  }
  throw new TypeError(`RoPE kind '${kind}' has no fixed frequencies`);
}
