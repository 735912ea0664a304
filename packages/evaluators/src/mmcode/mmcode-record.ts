import { z } from 'zod';

/** Test cases of one problem (APPS layout): stdin/stdout pairs, or call-based when `fn_name` is set. */
export const MMCodeTestsSchema = z.object({
  inputs: z.array(z.unknown()),
  outputs: z.array(z.unknown()),
  fn_name: z.string().optional(),
}).refine((t) => t.inputs.length === t.outputs.length, 'inputs and outputs differ in length')
  .refine((t) => t.inputs.length > 0, 'no test cases');
export type MMCodeTests = z.infer<typeof MMCodeTestsSchema>;

/** One MMCode problem (`mmcode_test.jsonl.gz` from HF `likaixin/MMCode`); `input_output` is a JSON string. */
export const MMCodeRecordSchema = z.object({
  problem_id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().optional(),
  source: z.string().optional(),
  url: z.string().optional(),
  question: z.string(),
  images: z.array(z.string()),
  input_output: z.string().transform((s, ctx) => {
    let doc: unknown;
    try {
      doc = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'input_output is not valid JSON' });
      return z.NEVER;
    }
    const tests = MMCodeTestsSchema.safeParse(doc);
    if (!tests.success) {
      ctx.addIssue({ code: 'custom', message: `input_output: ${tests.error.issues.map((i) => i.message).join('; ')}` });
      return z.NEVER;
    }
    return tests.data;
  }),
  starter_code: z.string().nullable().optional(),
  difficulty: z.string().nullable().optional(),
  image_tags: z.array(z.string()).default([]),
});
export type MMCodeRecord = z.infer<typeof MMCodeRecordSchema>;
