import { tryPyFloat } from '../python/py-float';
import { pyStrip } from '../python/py-whitespace';
import type { MMVetRecord } from './mmvet-record';

/** The official MM-Vet few-shot grader prompt (`mm-vet_evaluator.py`). */
export const MMVET_GRADER_PROMPT = `Compare the ground truth and prediction from AI models, to give a correctness score for the prediction. <AND> in the ground truth means it is totally right only when all elements in the ground truth are present in the prediction, and <OR> means it is totally right when any one element in the ground truth is present in the prediction. The correctness score is 0.0 (totally wrong), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, or 1.0 (totally right). Just complete the last space of the correctness score.

Question | Ground truth | Prediction | Correctness
--- | --- | --- | ---
What is x in the equation? | -1 <AND> -5 | x = 3 | 0.0
What is x in the equation? | -1 <AND> -5 | x = -1 | 0.5
What is x in the equation? | -1 <AND> -5 | x = -5 | 0.5
What is x in the equation? | -1 <AND> -5 | x = -5 or 5 | 0.5
What is x in the equation? | -1 <AND> -5 | x = -1 or x = -5 | 1.0
Can you explain this meme? | This meme is poking fun at the fact that the names of the countries Iceland and Greenland are misleading. Despite its name, Iceland is known for its beautiful green landscapes, while Greenland is mostly covered in ice and snow. The meme is saying that the person has trust issues because the names of these countries do not accurately represent their landscapes. | The meme talks about Iceland and Greenland. It's pointing out that despite their names, Iceland is not very icy and Greenland isn't very green. | 0.4
Can you explain this meme? | This meme is poking fun at the fact that the names of the countries Iceland and Greenland are misleading. Despite its name, Iceland is known for its beautiful green landscapes, while Greenland is mostly covered in ice and snow. The meme is saying that the person has trust issues because the names of these countries do not accurately represent their landscapes. | The meme is using humor to point out the misleading nature of Iceland's and Greenland's names. Iceland, despite its name, has lush green landscapes while Greenland is mostly covered in ice and snow. The text 'This is why I have trust issues' is a playful way to suggest that these contradictions can lead to distrust or confusion. The humor in this meme is derived from the unexpected contrast between the names of the countries and their actual physical characteristics. | 1.0
`;

/** Suffix of the re-ask after an unparseable grade. */
export const MMVET_RETRY_SUFFIX = '\nPredict the correctness of the answer (digit): ';

/** Grader prompt for one item: the few-shot table plus `question | answer | prediction | ` (empty last cell). */
export function mmvetGraderPrompt(record: MMVetRecord, prediction: string): string {
  const answer = record.answer.replace(/<AND>/g, ' <AND> ').replace(/<OR>/g, ' <OR> ');
  return `${MMVET_GRADER_PROMPT}\n${[record.question, answer, prediction, ''].join(' | ')}`;
}

/**
 * Official parse: `float(content.split(" ")[0].strip())` in [0, 1] with Python's `strip` and `float`
 * (`'٠.٥'` is 0.5, `'\ufeff0.5'` and `' 0.5'` fail); null when that fails. Python would let `nan`
 * through the range check and make every total NaN; it counts as unparseable here.
 */
export function parseMMVetGrade(content: string): number | null {
  const score = tryPyFloat(pyStrip(content.split(' ')[0]!));
  return score !== null && score >= 0 && score <= 1 ? score : null;
}
