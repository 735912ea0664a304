// Distribution checks for seeded samplers (KS test, moments), which the RNG specs and augment's noise specs use, and the mean ± SE of measured results.

/** Φ(x), the standard normal CDF, via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Exact mean and std of round(clamp(μ + σε, 0, levels − 1)) for ε ~ N(0, 1): the law of a noised 8-bit pixel
 * (clamping at 0 and 255 and the rounding accounted for).
 */
export function quantizedNormalMoments(mu: number, sigma: number, levels = 256): { mean: number; std: number } {
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k < levels; k++) {
    const lo = k === 0 ? 0 : normalCdf((k - 0.5 - mu) / sigma);
    const hi = k === levels - 1 ? 1 : normalCdf((k + 0.5 - mu) / sigma);
    m1 += k * (hi - lo);
    m2 += k * k * (hi - lo);
  }
  return { mean: m1, std: Math.sqrt(m2 - m1 * m1) };
}

/** Sample mean and (population) standard deviation of values[start, start+count) taken every `stride`. */
export function meanStd(values: ArrayLike<number>, start = 0, count = values.length, stride = 1): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[start + i * stride]!;
  const mean = sum / count;
  let sq = 0;
  for (let i = 0; i < count; i++) sq += (values[start + i * stride]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / count) };
}

/** Mean and standard error of the mean (sample standard deviation / √n); SE is null below 2 values. */
export function meanAndSe(values: readonly number[]): { mean: number | null; se: number | null } {
  if (values.length === 0) return { mean: null, se: null };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  if (values.length < 2) return { mean, se: null };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, se: Math.sqrt(variance / values.length) };
}

/** Kolmogorov–Smirnov statistic of a sample against a CDF. */
export function ksStatistic(sample: number[], cdf: (x: number) => number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** KS critical value at significance 0.001 (c(α) = 1.95) for sample size n. */
export function ksCritical(n: number): number {
  return 1.95 / Math.sqrt(n);
}
