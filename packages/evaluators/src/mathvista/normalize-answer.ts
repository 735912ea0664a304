import { mostSimilar } from '../python/levenshtein';
import { pyFloat } from '../python/py-float';
import { pyIntOfFloat } from '../python/py-int';
import { pyRound } from '../python/py-round';
import { pyStrFloat } from '../python/py-str-float';
import { pyStrip } from '../python/py-whitespace';
import type { MathVistaRecord } from './mathvista-record';

/**
 * MathVista's `normalize_extracted_answer`: MC → choice text (first `(X)` letter, bare letter, else
 * the Levenshtein-closest choice); integer → str(int(float(x))); float → str(round(float(x), precision));
 * list/text → as is. Null where Python's conversion raises.
 */
export function normalizeMathVistaAnswer(extraction: string, record: MathVistaRecord): string | null {
  if (record.question_type === 'multi_choice') {
    const choices = record.choices ?? [];
    let e = pyStrip(extraction);
    const letter = /\(([a-zA-Z])\)/.exec(e);
    if (letter) e = letter[1]!.toUpperCase();
    const options = choices.map((_, i) => String.fromCharCode(65 + i));
    const idx = options.indexOf(e);
    return idx >= 0 ? choices[idx]! : mostSimilar(e, choices);
  }
  try {
    if (record.answer_type === 'integer') return pyIntOfFloat(pyFloat(extraction)).toString();
    if (record.answer_type === 'float') return pyStrFloat(pyRound(pyFloat(extraction), record.precision ?? 0));
  } catch {
    return null;
  }
  return extraction;
}
