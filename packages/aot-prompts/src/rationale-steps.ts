/** One step of a rationale, with its position in the text. */
export interface RationaleStep {
  /** Step label as written (`1`, `(2)`, `final`), or null for line-split rationales. */
  label: string | null;
  /** The step text, marker included, trimmed. */
  text: string;
  start: number;
}

// `Step 1,` `Step 1:` `Step (2)` `**Step 3.**` `### Step 4` `Final step:` at a word boundary (not `footstep 1`).
const STEP_MARKER = /(?<![\p{L}\p{N}*#])(?:\*\*|#+[ \t]*)?(?:step\s*(?:\(\s*(\d+)\s*\)|(\d+))|(final)\s+step)(?![\p{L}\p{N}])/giu;

/**
 * Splits a rationale into steps at `Step N` / `Step (N)` / `Final step` markers. Text before the first
 * marker is not a step. Without any marker, every non-empty line is a step.
 */
export function splitSteps(text: string): RationaleStep[] {
  const markers = [...text.matchAll(STEP_MARKER)];
  if (markers.length === 0) {
    const steps: RationaleStep[] = [];
    let offset = 0;
    for (const line of text.split('\n')) {
      if (line.trim()) steps.push({ label: null, text: line.trim(), start: offset + line.search(/\S/) });
      offset += line.length + 1;
    }
    return steps;
  }
  return markers.map((m, i) => {
    const start = m.index;
    const end = i + 1 < markers.length ? markers[i + 1]!.index : text.length;
    const label = m[1] !== undefined ? `(${m[1]})` : (m[2] ?? 'final').toLowerCase();
    return { label, text: text.slice(start, end).trim(), start };
  });
}

/** The final step of a rationale: the last `Step N` segment, or the last non-empty line without markers. */
export function finalStep(text: string): string {
  const steps = splitSteps(text);
  return steps.length ? steps[steps.length - 1]!.text : '';
}

// A step label at the very start of a step: `Step 3,` `**Step (2):**` `### Step 4.` `Final step:`.
const LEADING_MARKER = /^\s*(?:\*\*|#+[ \t]*)?(?:step\s*(?:\(\s*\d+\s*\)|\d+)|final\s+step)(?![\p{L}\p{N}])\s*[,:.)]?\s*(?:\*\*)?\s*/iu;

/** A step's text without its leading `Step N` label, so the label's number is not read as an answer. */
export function stripStepMarker(step: string): string {
  return step.replace(LEADING_MARKER, '');
}
