import type { BenchmarkName, EvalResult } from '@smart/types';
import { npRound } from '../python/np-round';
import { pyFormatFixed } from '../python/py-format-fixed';
import { pyRound } from '../python/py-round';

/**
 * A score as the benchmark's official script prints it: MathVista and M³CoT `f"{acc*100:.2f}"`,
 * MM-Vet numpy `round(x, 1)` (half-even on the scaled value), LLaVA-Bench Python `round(x, 1)`;
 * MMCode and the synthetic task one decimal of the percentage. `n/a` for NaN (no scored item).
 */
export function displayScore(benchmark: BenchmarkName, score: number, scale: EvalResult['scale']): string {
  if (Number.isNaN(score)) return 'n/a';
  const value = scale === 'fraction' ? score * 100 : score;
  switch (benchmark) {
    case 'mathvista':
    case 'm3cot':
      return pyFormatFixed(value, 2);
    case 'mmvet':
      return pyFormatFixed(npRound(value, 1), 1);
    case 'llava-bench':
      return pyFormatFixed(pyRound(value, 1), 1);
    default:
      return pyFormatFixed(value, 1);
  }
}
