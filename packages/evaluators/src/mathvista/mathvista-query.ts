import { pyStrip } from '../python/py-whitespace';

/** The fields of a MathVista problem the query is built from. */
export interface MathVistaQueryInput {
  question: string;
  choices?: readonly string[] | null;
  unit?: string | null;
  precision?: number | null;
  question_type: 'multi_choice' | 'free_form';
  answer_type: 'text' | 'integer' | 'float' | 'list';
}

/**
 * Where the parts go. `query-json`: the layout of the released `data/query.json` and of the HF `query`
 * column (hint, question, choices), which the published numbers were produced with. `build-query`: the
 * repository's current `build_query.py` zero-shot "solution" prompt (question, choices, hint, "Solution:").
 */
export type MathVistaQueryLayout = 'query-json' | 'build-query';

/** The hint line of `build_query.py` for a problem, or null for a type it has none for (float precision other than 1 or 2). */
export function mathvistaHint(p: MathVistaQueryInput): string | null {
  if (p.question_type === 'multi_choice') return 'Hint: Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.';
  switch (p.answer_type) {
    case 'integer':
      return 'Hint: Please answer the question requiring an integer answer and provide the final value, e.g., 1, 2, 3, at the end.';
    case 'float':
      if (p.precision === 1) return 'Hint: Please answer the question requiring a floating-point number with one decimal place and provide the final value, e.g., 1.2, 1.3, 1.4, at the end.';
      if (p.precision === 2) return 'Hint: Please answer the question requiring a floating-point number with two decimal places and provide the final value, e.g., 1.23, 1.34, 1.45, at the end.';
      return null;
    case 'list':
      return 'Hint: Please answer the question requiring a Python list as an answer and provide the final list, e.g., [1, 2, 3], [1.2, 1.3, 1.4], at the end.';
    default:
      return null;
  }
}

/**
 * The zero-shot MathVista query, built as `build_query.py`'s `create_one_query` builds it: `Question:`
 * with ` (Unit: u)` when the unit is non-empty, `Choices:` with `(A) ...` lines when there are choices,
 * the answer-type hint; non-empty parts joined by newlines, then Python-`strip()`ped. Throws RangeError
 * when the problem has no hint (the official script fails there too).
 */
export function mathvistaQuery(p: MathVistaQueryInput, layout: MathVistaQueryLayout = 'query-json'): string {
  const hint = mathvistaHint(p);
  if (hint === null) throw new RangeError(`no official hint for a ${p.answer_type} problem with precision ${String(p.precision)}`);
  const question = `Question: ${p.question}${p.unit ? ` (Unit: ${p.unit})` : ''}`;
  const choices = p.choices && p.choices.length > 0 ? ['Choices:', ...p.choices.map((c, i) => `(${String.fromCharCode(65 + i)}) ${c}`)].join('\n') : '';
  const parts = layout === 'query-json' ? [hint, question, choices] : [question, choices, hint, 'Solution: '];
  return pyStrip(`\n\n${parts.filter((e) => e !== '').join('\n')}`);
}
