import type { M3CoTRecord } from './m3cot-record';

const letter = (i: number): string => String.fromCharCode(65 + i);

/** The M3CoT prompt: optional `[Context]`, `[Question]`, `[Choices]` with `(A) ...`; CoT appends "Let's think step-by-step!". */
export function m3cotPrompt(record: M3CoTRecord, cot = true): string {
  const context = record.context ? `[Context]\n${record.context}\n` : '';
  const choices = record.choices.map((c, i) => `(${letter(i)}) ${c}`).join('\n');
  return `${context}[Question]\n${record.question}\n[Choices]\n${choices}${cot ? "\n\nLet's think step-by-step!" : ''}`;
}
