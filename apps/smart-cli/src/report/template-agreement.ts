import type { SyntheticRationaleRecord } from '@smart/datasets';

/** One kind's kept pairs of one iteration, against the synthetic task's template rationales. */
export interface TemplateAgreementRow {
  iteration: number;
  /** The task kind (`count`, `largest`, …), or `all`. */
  kind: string;
  kept: number;
  /** Kept pairs whose chosen rationale is the template rationale of the right answer, character for character. */
  chosenIsTemplate: number;
  /** Kept pairs whose rejected rationale is the template rationale concluding the wrong answer it was told. */
  rejectedIsTemplate: number;
}

/** What the agreement reads of a stored pair. */
export interface AgreementPair {
  sampleId: string;
  kept: boolean;
  chosen: string;
  rejected: string;
  wrongAnswer: string;
}

/**
 * How often an iteration's kept pairs repeat the synthetic task's template rationales, per kind and in all.
 * Told the answer, a model writes what the hint spells out and the rest from its own reading of the image: where
 * the chosen rationale is rarely the template, SMART trains on the model's own mistakes. Pairs of samples without a
 * template (another source) are not counted.
 */
export function templateAgreement(iteration: number, pairs: readonly AgreementPair[], templates: ReadonlyMap<string, Pick<SyntheticRationaleRecord, 'kind' | 'rationale' | 'told'>>): TemplateAgreementRow[] {
  const empty = (kind: string): TemplateAgreementRow => ({ iteration, kind, kept: 0, chosenIsTemplate: 0, rejectedIsTemplate: 0 });
  const byKind = new Map<string, TemplateAgreementRow>();
  const all = empty('all');
  for (const p of pairs) {
    const t = templates.get(p.sampleId);
    if (!p.kept || !t) continue;
    const chosen = p.chosen.trim() === t.rationale.trim() ? 1 : 0;
    const told = t.told?.[p.wrongAnswer];
    const rejected = told !== undefined && p.rejected.trim() === told.trim() ? 1 : 0;
    const kind = byKind.get(t.kind) ?? empty(t.kind);
    byKind.set(t.kind, kind);
    for (const r of [kind, all]) {
      r.kept += 1;
      r.chosenIsTemplate += chosen;
      r.rejectedIsTemplate += rejected;
    }
  }
  return all.kept === 0 ? [] : [...[...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind)), all];
}
