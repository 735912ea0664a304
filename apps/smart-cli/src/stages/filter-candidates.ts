import { firstReason, profileFilters, type FilterProfile } from '@smart/filters';
import type { PairVerdict, PreferenceStore } from '@smart/preference-store';
import type { Sample } from '@smart/types';
import type { StageIo } from './stage-context';

/** What the filter stage did. */
export interface FilterOutcome {
  judged: number;
  kept: number;
  dropped: number;
}

/**
 * Runs every (positive, negative) candidate of the iteration that has no verdict yet through the
 * profile's filters and records the verdict (kept, or dropped with its reason) in batches; the
 * stored verdicts are the iteration's pairs and its funnel; each pair's training prompt is `promptOf`'s
 * text of its question (`trainingPromptOf`).
 */
export function filterCandidates(o: { store: PreferenceStore; iteration: number; profile: FilterProfile; promptOf: (sample: Sample) => string; batchSize?: number; io: StageIo }): FilterOutcome {
  const { store, iteration } = o;
  const filters = profileFilters(o.profile);
  const waiting = store.samplesAwaitingVerdict(iteration);
  const batchSize = o.batchSize ?? 256;
  let kept = 0;
  let dropped = 0;
  for (let i = 0; i < waiting.length; i += batchSize) {
    o.io.interrupt.check('filter');
    const verdicts: PairVerdict[] = waiting.slice(i, i + batchSize).map((sampleId) => {
      const { sample } = store.getSample(sampleId)!;
      const pos = store.getGeneration(sampleId, iteration, 'positive')!;
      const neg = store.getGeneration(sampleId, iteration, 'negative')!;
      const reason = firstReason(
        { sampleId, choices: sample.choices, answer: sample.answer, wrongAnswer: neg.targetAnswer!, chosen: pos.text, rejected: neg.text },
        filters,
      );
      if (reason === null) kept++;
      else dropped++;
      return { sampleId, iteration, prompt: o.promptOf(sample), dropReasons: reason === null ? [] : [reason] };
    });
    store.transaction(() => verdicts.forEach((v) => store.recordVerdict(v)));
  }
  if (waiting.length > 0) o.io.log(`iteration ${iteration}: filtered ${waiting.length} candidates (${o.profile} profile): ${kept} kept, ${dropped} dropped`);
  return { judged: waiting.length, kept, dropped };
}
