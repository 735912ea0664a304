import { z } from 'zod';
import { MMCodeDataError } from '../errors';
import { parsePyJson, type PyValue } from './py-value';

/**
 * Test cases of one problem as the official harness reads `input_output`: `json.loads` values
 * (ints exact), stdin/stdout mode when `fn_name` is absent or null, call-based otherwise.
 */
export interface MMCodeTests {
  inputs: PyValue[];
  outputs: PyValue[];
  /** `fn_name`; `""` still means call-based to `run_test` (and then fails to find the function). */
  fnName: string | null;
}

/** Parses an `input_output` JSON string; throws MMCodeDataError on bad JSON or a bad layout. */
export function parseMMCodeTests(text: string): MMCodeTests {
  const doc = parsePyJson(text);
  if (doc.t !== 'dict') throw new MMCodeDataError('input_output is not a JSON object');
  const field = (name: string): PyValue | undefined => doc.v.find(([k]) => k.t === 'str' && k.v === name)?.[1];
  const inputs = field('inputs');
  const outputs = field('outputs');
  const fn = field('fn_name');
  if (inputs?.t !== 'list' || outputs?.t !== 'list') throw new MMCodeDataError('input_output needs "inputs" and "outputs" lists');
  if (inputs.v.length !== outputs.v.length) throw new MMCodeDataError('inputs and outputs differ in length');
  if (inputs.v.length === 0) throw new MMCodeDataError('no test cases');
  if (fn !== undefined && fn.t !== 'none' && fn.t !== 'str') throw new MMCodeDataError('fn_name is not a string');
  return { inputs: inputs.v, outputs: outputs.v, fnName: fn?.t === 'str' ? fn.v : null };
}

/** `input_output` string → MMCodeTests, for use inside zod schemas. */
export const MMCodeTestsSchema = z.string().transform((s, ctx): MMCodeTests => {
  try {
    return parseMMCodeTests(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof MMCodeDataError ? e.reason : String(e) });
    return z.NEVER;
  }
});

/** One MMCode problem (`mmcode_test.jsonl.gz` from HF `likaixin/MMCode`); `input_output` is a JSON string. */
export const MMCodeRecordSchema = z.object({
  problem_id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  question: z.string(),
  images: z.array(z.string()),
  input_output: MMCodeTestsSchema,
  starter_code: z.string().nullable().optional(),
  difficulty: z.string().nullable().optional(),
  image_tags: z.array(z.string()).default([]),
});
export type MMCodeRecord = z.infer<typeof MMCodeRecordSchema>;
