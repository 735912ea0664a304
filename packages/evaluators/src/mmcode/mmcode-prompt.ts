import type { MMCodeRecord } from './mmcode-record';

/** System message of the official MMCode generation script. */
export const MMCODE_SYSTEM =
  'You are a professional programming contester trying to solve algorithmic problems. The problems come with a description and some images, and you should write a Python solution.';

const INSTRUCTIONS =
  'You are required to solve a programming problem. Please enclose your code inside a ```python``` block. ' +
  'Do not write a main() function. If Call-Based format is used, return the result in an appropriate place instead of printing it.\n\n';

/** A piece of the user message: text, or the k-th image of the problem. */
export type MMCodeSegment = { text: string } | { image: number };

/** The official user prompt text (APPS style: QUESTION, call format, starter code, ANSWER). */
export function mmcodePromptText(record: MMCodeRecord): string {
  const starter = record.starter_code && record.starter_code.length > 0 ? record.starter_code : undefined;
  let prompt = `\nQUESTION:\n${record.question}`;
  prompt += !record.input_output.fn_name && !starter
    ? '\nPlease write your code using Standard IO, i.e. input() and print().'
    : '\nPlease write your code using Call-Based format.';
  if (starter) prompt += `\nThe starter code is provided as below. Please finish the code.\n${starter}\n`;
  prompt += '\nANSWER:\n';
  return INSTRUCTIONS + prompt;
}

/** The user message split at `![image](...)` markers, images interleaved in order (as the official script does). */
export function mmcodeSegments(record: MMCodeRecord): MMCodeSegment[] {
  const parts = mmcodePromptText(record).split(/!\[image\]\(.*?\)/);
  const out: MMCodeSegment[] = [];
  parts.forEach((text, i) => {
    if (text.length > 0) out.push({ text });
    if (i < record.images.length && i < parts.length - 1) out.push({ image: i });
  });
  return out;
}

/** Code of a response: the first ```python block, else the whole response. */
export function extractCode(response: string): string {
  const m = /```python([\s\S]*?)```/.exec(response);
  return m ? m[1]! : response;
}
