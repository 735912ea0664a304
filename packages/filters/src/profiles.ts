import type { PairFilter } from './candidate';
import { circularityFilter } from './circularity-filter';
import { conclusionFilter, naiveConclusionFilter, releasedCodeConclusionFilter } from './conclusion-filter';
import { keywordFilter } from './keyword-filter';
import { minLengthFilter } from './length-filter';

/**
 * `paper` is the method as published; `released-code` reproduces the authors' pair-building script;
 * `naive` is the paper's filtering for the Naive-CoT ablations, whose negatives were not told a wrong answer.
 */
export type FilterProfile = 'paper' | 'released-code' | 'naive';

/** The ordered filters of a profile (method.md §4). The first filter that objects names the drop reason. */
export function profileFilters(profile: FilterProfile): PairFilter[] {
  switch (profile) {
    case 'paper':
      return [conclusionFilter, circularityFilter({ n: 3, maxCount: 3 })];
    case 'released-code':
      return [minLengthFilter(10), releasedCodeConclusionFilter, circularityFilter({ n: 2, maxCount: 3 }), keywordFilter(['however'])];
    case 'naive':
      return [naiveConclusionFilter, circularityFilter({ n: 3, maxCount: 3 })];
  }
}
