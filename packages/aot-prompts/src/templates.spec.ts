import type { McItem } from './mc-item';
import { NoWrongOptionError, UnknownOptionError } from './errors';
import {
  aotNegativePrompt,
  aotNoAnswerPrompt,
  aotPositivePrompt,
  aotPrompt,
  ccotAnswerPrompt,
  ccotSceneGraphPrompt,
  ddcotDecomposeMessages,
  ddcotSummarizeMessages,
  drawWrongOption,
  naiveCotPrompt,
  parseDdcotSummary,
} from './templates';
import { mcQuestionText } from './mc-text';
import { createRng } from '@smart/core';

const item: McItem = {
  hint: 'Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.',
  question: 'What is the measure of angle ABC?',
  choices: [
    { letter: 'A', text: '65°' },
    { letter: 'B', text: '115°' },
    { letter: 'C', text: '130°' },
    { letter: 'D', text: '150°' },
  ],
  answer: 'B',
};

describe('AoT prompts', () => {
  it('renders the exact AoT text with the full option string', () => {
    expect(aotPositivePrompt(item)).toBe(
      'There is a question about this image, which is "Question: What is the measure of angle ABC? Choices: (A) 65° (B) 115° (C) 130° (D) 150°". ' +
        'The correct answer to the question is "(B) 115°". Why? Please provide concise and direct step-by-step reasoning in the format: ' +
        "'Step 1, ... Step 2, ...'. Make sure to keep the number of steps as few as possible, and provide the correct answer in the final step.",
    );
  });

  it('keeps a content hint in the question slot', () => {
    expect(aotPrompt({ ...item, hint: 'AB is parallel to CD.' }, 'A')).toContain(
      'which is "Hint: AB is parallel to CD. Question: What is the measure of angle ABC? Choices:',
    );
  });

  it('renders the no-answer ablation with single quotes and its own format hint', () => {
    expect(aotNoAnswerPrompt(item)).toBe(
      "There is a question about this image, which is 'Question: What is the measure of angle ABC? Choices: (A) 65° (B) 115° (C) 130° (D) 150°'. " +
        "Please provide concise and direct step-by-step reasoning in the format: 'Step 1, Step 2,'. Make sure to keep the number of steps as few as possible, and provide the correct answer in the final step.",
    );
  });

  it('draws wrong options uniformly, never the answer, reproducibly under a seed', () => {
    const rng = createRng(7);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      const l = drawWrongOption(item, rng);
      counts[l] = (counts[l] ?? 0) + 1;
    }
    expect(counts['B']).toBeUndefined();
    for (const l of ['A', 'C', 'D']) expect(Math.abs(counts[l]! - 1000)).toBeLessThan(100); // ~4 sigma of Binomial(3000, 1/3)
    const a = aotNegativePrompt(item, createRng(42));
    const b = aotNegativePrompt(item, createRng(42));
    expect(a).toEqual(b);
    expect(a.prompt).toContain(`The correct answer to the question is "(${a.wrongAnswer}) `);
  });

  it('throws typed errors for unknown letters and items without wrong options', () => {
    expect(() => aotPrompt(item, 'E')).toThrow(UnknownOptionError);
    expect(() => drawWrongOption({ ...item, choices: [item.choices[1]!] }, createRng(1))).toThrow(NoWrongOptionError);
  });
});

describe('baseline prompts', () => {
  it('naive CoT', () => {
    expect(naiveCotPrompt(item)).toBe(
      'Question: What is the measure of angle ABC? Choices: (A) 65° (B) 115° (C) 130° (D) 150° Please answer the question step-by-step!',
    );
  });

  it('CCoT asks for a scene graph, then answers with it', () => {
    expect(ccotSceneGraphPrompt(item)).toMatch(/generate a scene graph in JSON format[\s\S]*1\. Objects[\s\S]*2\. Object attributes[\s\S]*3\. Object relationships/);
    expect(ccotAnswerPrompt(item, '{"objects":[]}')).toBe(
      'Use the image and scene graph as context and answer the following question: Question: What is the measure of angle ABC? Choices: (A) 65° (B) 115° (C) 130° (D) 150°\n' +
        'Scene Graph:\n{"objects":[]}\nPlease answer the question step-by-step!',
    );
  });

  it('DD-CoT decompose and summarize messages carry the context and the prior knowledge', () => {
    const d = ddcotDecomposeMessages(item, { context: 'A geometry figure.' });
    expect(d.map((m) => m.role)).toEqual(['system', 'user']);
    expect(d[1]!.content).toContain("Answer: <One of the options> or 'Uncertain'");
    expect(d[1]!.content).toContain('Context: A geometry figure.\nHas An Image: yes\nQuestion: What is the measure');
    const s = ddcotSummarizeMessages(item, '1. The angle is 65°.');
    expect(s[1]!.content).toContain('Context: N/A');
    expect(s[1]!.content.endsWith('Preliminary knowledge:\n1. The angle is 65°.')).toBe(true);
    expect(parseDdcotSummary('Rationale: supplementary angles.\nAnswers: (B) 115°')).toEqual({ rationale: 'supplementary angles.', answer: '(B) 115°' });
    expect(parseDdcotSummary('no structure')).toEqual({ rationale: null, answer: null });
  });

  it('formats the training-time question in the MathV360K layout', () => {
    expect(mcQuestionText(item)).toBe(
      'Hint: Please answer the question and provide the correct option letter, e.g., A, B, C, D, at the end.\n' +
        'Question: What is the measure of angle ABC?\nChoices:\n(A) 65°\n(B) 115°\n(C) 130°\n(D) 150°',
    );
  });
});
