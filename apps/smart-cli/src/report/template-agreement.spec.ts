import type { SyntheticRationaleRecord } from '@smart/datasets';
import { templateAgreement, type AgreementPair } from './template-agreement';

type Template = Pick<SyntheticRationaleRecord, 'kind' | 'rationale' | 'told'>;

const C1_TOLD_A = 'Step 1, there is 1 red shape. Step 2, (A) 1 yes. Step 3, so the answer is (A) 1.';
const templates = new Map<string, Template>([
  ['c1', { kind: 'count', rationale: 'Step 1, there are 2 red shapes. Step 2, (A) 1 no, (B) 2 yes. Step 3, so the answer is (B) 2.', told: { A: C1_TOLD_A } }],
  ['c2', { kind: 'count', rationale: 'Step 1, there are 3 red shapes. Step 2, so the answer is (C) 3.', told: { D: 'Step 1, there are 4 red shapes. Step 2, so the answer is (D) 4.' } }],
  ['l1', { kind: 'largest', rationale: 'Step 1, from the largest, the circles are red, blue and green. Step 2, the largest circle is red.' }],
]);
const pair = (sampleId: string, chosen: string, rejected: string, wrongAnswer: string, kept = true): AgreementPair => ({ sampleId, chosen, rejected, wrongAnswer, kept });

describe('templateAgreement', () => {
  it('counts kept pairs whose chosen and rejected rationales are the templates, per kind and in all', () => {
    const rows = templateAgreement(
      2,
      [
        // chosen is the template (surrounding whitespace aside); rejected is the told template of A
        pair('c1', ` ${templates.get('c1')!.rationale}\n`, C1_TOLD_A, 'A'),
        // chosen differs in one word; rejected is a template, but not the one of the option it was told (D, not A)
        pair('c2', 'Step 1, there are 3 blue shapes. Step 2, so the answer is (C) 3.', C1_TOLD_A, 'D'),
        // no told templates for this kind: the rejected side cannot match
        pair('l1', templates.get('l1')!.rationale, 'Step 1, anything. Step 2, the largest circle is blue.', 'B'),
        // dropped pairs and samples without a template are not counted
        pair('l1', templates.get('l1')!.rationale, '', 'B', false),
        pair('other', 'x', 'y', 'A'),
      ],
      templates,
    );
    expect(rows).toEqual([
      { iteration: 2, kind: 'count', kept: 2, chosenIsTemplate: 1, rejectedIsTemplate: 1 },
      { iteration: 2, kind: 'largest', kept: 1, chosenIsTemplate: 1, rejectedIsTemplate: 0 },
      { iteration: 2, kind: 'all', kept: 3, chosenIsTemplate: 2, rejectedIsTemplate: 1 },
    ]);
  });

  it('is empty for an iteration without kept pairs', () => {
    expect(templateAgreement(1, [pair('c1', 'a', 'b', 'A', false)], templates)).toEqual([]);
  });
});
