import type { MMCodeRecord } from './mmcode-record';

/** System message of the official MMCode generation script (`models.py`). */
export const MMCODE_SYSTEM =
  'You are a professional programming contester trying to solve algorithmic problems. The problems come with a description and some images, and you should write a Python solution.';

// The GPT-4V instructions of `models.py`, byte for byte: the two concatenated pieces leave a double
// space before "Do not".
const INSTRUCTIONS =
  'You are required to solve a programming problem. Please enclose your code inside a ```python``` block. ' +
  ' Do not write a main() function. If Call-Based format is used, return the result in an appropriate place instead of printing it.\n\n';

/** A piece of the user message: text, or the k-th image of the problem. */
export type MMCodeSegment = { text: string } | { image: number };

/**
 * The official user message text (`generate.py` `generate_prompt` after the instructions), with its
 * quirks: the Call-Based line starts with a literal backslash (`"\Please"` in the Python source) and
 * no newline, and the starter-code sentence follows it without one.
 */
export function mmcodePromptText(record: MMCodeRecord): string {
  const starter = record.starter_code && record.starter_code.length > 0 ? record.starter_code : undefined;
  let prompt = `\nQUESTION:\n${record.question}`;
  prompt += !record.input_output.fnName && !starter
    ? '\nPlease write your code using Standard IO, i.e. input() and print().'
    : '\\Please write your code using Call-Based format.';
  if (starter) prompt += `The starter code is provided as below. Please finish the code.\n${starter}\n`;
  prompt += '\nANSWER:\n';
  return INSTRUCTIONS + prompt;
}

/**
 * The user message split at `![image](...)` markers as the official GPT-4V client does: after the
 * k-th text piece comes image k while k < number of images, so one image more than there are markers
 * follows the last piece, and images beyond that are not sent.
 */
export function mmcodeSegments(record: MMCodeRecord): MMCodeSegment[] {
  // Python's `.` stops only at \n.
  const parts = mmcodePromptText(record).split(/!\[image\]\([^\n]*?\)/);
  const out: MMCodeSegment[] = [];
  parts.forEach((text, i) => {
    if (text.length > 0) out.push({ text });
    if (i < record.images.length) out.push({ image: i });
  });
  return out;
}

/** Size the official GPT-4V client sends an image at: upscaled to height 480 (LANCZOS), never shrunk. */
export function mmcodeImageSize(width: number, height: number): { width: number; height: number } {
  if (480 <= height) return { width, height };
  return { width: Math.trunc(width * (480 / height)), height: 480 };
}

/** Code of a response: the first ```python block, else the whole response. */
export function extractCode(response: string): string {
  const m = /```python([\s\S]*?)```/.exec(response);
  return m ? m[1]! : response;
}
