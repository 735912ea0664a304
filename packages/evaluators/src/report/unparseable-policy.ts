/**
 * What a scorer does with an item whose judge reply never parsed after its retries. `official`: what
 * the official script does (MM-Vet scores 0.0, LLaVA-Bench averages in [-1, -1]), with the count
 * shown beside the score. `exclude`: the item fails and leaves every mean (`--exclude-unparseable`).
 */
export type UnparseablePolicy = 'official' | 'exclude';
