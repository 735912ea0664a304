export { FiltersError, FilterConfigError } from './errors';
export { type CandidatePair, type PairFilter } from './candidate';
export { conclusionFilter, releasedCodeConclusionFilter, naiveConclusionFilter } from './conclusion-filter';
export { maxNgramCount, circularityFilter, type CircularityOptions } from './circularity-filter';
export { minLengthFilter } from './length-filter';
export { keywordFilter } from './keyword-filter';
export { profileFilters, type FilterProfile } from './profiles';
export { filterPairs, firstReason, type FilterOutcome } from './filter-pairs';
