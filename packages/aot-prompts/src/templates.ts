import type { OptionLetter, Rng } from '@smart/types';
import { NoWrongOptionError } from './errors';
import type { McItem } from './mc-item';
import { choiceFor, choicesSlot, optionString, questionSlot } from './mc-text';

// Exact prompt texts of method.md §2 (paper §3.1 and Figs. B1, B2, B9).

/** AoT prompt (paper §3.1): the model is told `answer` and asked to justify it step by step. */
export function aotPrompt(item: McItem, answer: OptionLetter): string {
  const answerText = optionString(choiceFor(item, answer));
  return (
    `There is a question about this image, which is "${questionSlot(item)}${choicesSlot(item)}". ` +
    `The correct answer to the question is "${answerText}". Why? ` +
    `Please provide concise and direct step-by-step reasoning in the format: 'Step 1, ... Step 2, ...'. ` +
    `Make sure to keep the number of steps as few as possible, and provide the correct answer in the final step.`
  );
}

/** AoT prompt for the positive rationale R: asserts the correct answer A. */
export function aotPositivePrompt(item: McItem): string {
  return aotPrompt(item, item.answer);
}

/** Draws a wrong option A' uniformly from the options other than the answer, using the caller's RNG. */
export function drawWrongOption(item: McItem, rng: Rng): OptionLetter {
  const wrong = item.choices.filter((c) => c.letter !== item.answer);
  if (wrong.length === 0) throw new NoWrongOptionError(item.answer);
  const index = Math.min(wrong.length - 1, Math.floor(rng.next() * wrong.length));
  return wrong[index]!.letter;
}

/** AoT prompt for the negative rationale R': asserts a wrong option drawn with `rng`. */
export function aotNegativePrompt(item: McItem, rng: Rng): { prompt: string; wrongAnswer: OptionLetter } {
  const wrongAnswer = drawWrongOption(item, rng);
  return { prompt: aotPrompt(item, wrongAnswer), wrongAnswer };
}

/** AoT without the answer (paper Fig. B9 ablation). */
export function aotNoAnswerPrompt(item: McItem): string {
  return (
    `There is a question about this image, which is '${questionSlot(item)}${choicesSlot(item)}'. ` +
    `Please provide concise and direct step-by-step reasoning in the format: 'Step 1, Step 2,'. ` +
    `Make sure to keep the number of steps as few as possible, and provide the correct answer in the final step.`
  );
}

/** Naive CoT: positive/negative is decided afterwards by whether the last step names the ground truth. */
export function naiveCotPrompt(item: McItem): string {
  return `${questionSlot(item)}${choicesSlot(item)} Please answer the question step-by-step!`;
}

/** CCoT call 1 (paper Fig. B2): ask for a JSON scene graph relevant to the question. */
export function ccotSceneGraphPrompt(item: McItem): string {
  return (
    `${questionSlot(item)}${choicesSlot(item)}\n` +
    `For the provided image and its associated question, generate a scene graph in JSON format that includes the following:\n` +
    `1. Objects that are relevant to answering the question.\n` +
    `2. Object attributes that are relevant to answering the question.\n` +
    `3. Object relationships that are relevant to answering the question.`
  );
}

/** CCoT call 2 (paper Fig. B2): answer step by step with the scene graph as context. */
export function ccotAnswerPrompt(item: McItem, sceneGraph: string): string {
  return (
    `Use the image and scene graph as context and answer the following question: ${questionSlot(item)}${choicesSlot(item)}\n` +
    `Scene Graph:\n${sceneGraph}\n` +
    `Please answer the question step-by-step!`
  );
}

/** A chat message for the text-only LLM of DD-CoT. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const DDCOT_DECOMPOSE_SYSTEM =
  'You are a helpful, highly intelligent guided assistant. You will do your best to guide humans in choosing the right answer to the question. ' +
  'Note that insufficient information to answer questions is common. The final answer should be one of the options.';

const DDCOT_SUMMARIZE_SYSTEM =
  'You are a helpful, highly intelligent teacher. You will not only do your best to guide humans to the correct answer, ' +
  'but you will also give the rationales as a reference.';

/** DD-CoT step 1 (paper Fig. B1): the LLM decomposes the question into sub-questions ('Uncertain' where the image is needed). */
export function ddcotDecomposeMessages(item: McItem, options: { context?: string } = {}): ChatMessage[] {
  const user =
    'Given the context, questions and options, please think step-by-step about the preliminary knowledge to answer the question, ' +
    'deconstruct the problem as completely as possible down to necessary sub-questions based on context, questions and options. ' +
    'Then with the aim of helping humans answer the original question, try to answer the sub-questions. The expected answering form is as follows:\n' +
    'Sub-questions:\n1. <sub-question 1>\n2. <sub-question 2>\n...\n' +
    "Sub-answers:\n1. <sub-answer 1> or 'Uncertain'\n2. <sub-answer 2> or 'Uncertain'\n...\n" +
    "Answer: <One of the options> or 'Uncertain'\n" +
    'For a question, assume that you do not have any information about the picture, but try to answer the sub-questions and prioritize whether your general knowledge can answer it, ' +
    'and then consider whether the context can help. If sub-questions can be answered, then answer in as short a sentence as possible. ' +
    'If sub-questions cannot be determined without information in images, please formulate corresponding sub-answer into "Uncertain".\n' +
    'Only use "Uncertain" as an answer if it appears in the sub-answers. All answers are expected as concise as possible. Here is an attempt:\n' +
    `Context: ${options.context?.trim() || 'N/A'}\n` +
    'Has An Image: yes\n' +
    `${questionSlot(item)}${choicesSlot(item)}`;
  return [
    { role: 'system', content: DDCOT_DECOMPOSE_SYSTEM },
    { role: 'user', content: user },
  ];
}

/** DD-CoT step 3 (paper Fig. B1): the LLM summarizes the MLLM's sub-answers into `Rationale:` / `Answers:`. */
export function ddcotSummarizeMessages(item: McItem, priorKnowledge: string, options: { context?: string } = {}): ChatMessage[] {
  const user =
    'Given the context, questions, options, preliminary knowledge, think step by step and answer the questions. ' +
    'Please note that we need not only the answer, but more importantly the rationales of getting the answer. The expected answering form is as follows:\n' +
    'Rationale: <rationale>\n' +
    'Answers: <one of the options>\n' +
    'Please note that the preliminary knowledge given may not always be valid. ' +
    'Please select valid information to form the rationale and choose the relatively correct option as your answer.\n' +
    'Here is an attempt:\n' +
    `Context: ${options.context?.trim() || 'N/A'}\n` +
    'Has An Image: yes\n' +
    `${questionSlot(item)}${choicesSlot(item)}\n` +
    `Preliminary knowledge:\n${priorKnowledge}`;
  return [
    { role: 'system', content: DDCOT_SUMMARIZE_SYSTEM },
    { role: 'user', content: user },
  ];
}

/** Reads DD-CoT's summarizer output into its `Rationale:` and `Answers:` parts (null when absent). */
export function parseDdcotSummary(text: string): { rationale: string | null; answer: string | null } {
  const rationale = /Rationale:\s*([\s\S]*?)(?:\n\s*Answers?:|$)/i.exec(text)?.[1]?.trim() ?? null;
  const answer = /Answers?:\s*(.+)/i.exec(text)?.[1]?.trim() ?? null;
  return { rationale: rationale || null, answer: answer || null };
}
