import { MAX_OPTIONS, MIN_OPTIONS, OPTION_LETTERS, type Choice, type OptionLetter } from '@smart/types';
import type { McItem, McParseResult, McRejectReason } from './mc-item';

const reject = (reason: McRejectReason, detail: string): McParseResult => ({ ok: false, reason, detail });

// `(A) text` at the start of a line; the label may be any capital so that `(I)` is seen as a 9th option.
const OPTION_LINE = /^\(([A-Z])\)\s*(.*)$/u;
const CHOICES_LINE = /^\s*choices\s*:\s*(.*)$/imu;

/**
 * Parses a MathV360K sharegpt record: the human turn (`<image>`, `Hint:`, `Question:`, `Choices:` with
 * `(A) text` lines) and the gpt turn (`The answer is B`). Never throws; invalid items get a reason.
 */
export function parseMathV360K(human: string, gpt: string): McParseResult {
  const body = human.replace(/<image>/g, '').replace(/\r\n?/g, '\n').trim();
  const choicesMatch = CHOICES_LINE.exec(body);
  if (!choicesMatch) return reject('no-choices', 'human turn has no "Choices:" line');

  const head = body.slice(0, choicesMatch.index);
  const tail = [choicesMatch[1] ?? '', ...body.slice(choicesMatch.index + choicesMatch[0].length).split('\n')];
  const { question, hint } = splitHead(head);
  if (!question) return reject('empty-question', 'question text is empty');

  const parsed = parseOptionLines(tail);
  if (!parsed.ok) return parsed;
  return withAnswer({ question, ...(hint ? { hint } : {}), choices: parsed.choices }, parseAnswerTurn(gpt));
}

/** Reads the answer letter from a gpt turn: `The answer is B`, `(B)`, `B.`, `Answer: B`. */
export function parseAnswerTurn(gpt: string): string | null {
  const text = gpt.trim();
  const patterns = [
    /^\(?([A-Za-z])\)?\.?$/u,
    /[Aa]nswer\s*(?:is|:)?\s*:?\s*\(?([A-Z])\)?(?![\p{L}\p{N}])/u,
    /[Aa]nswer\s*(?:is|:)\s*\(([a-z])\)/u,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m?.[1]) return m[1].toUpperCase();
  }
  return null;
}

/** Attaches an answer letter to parsed options, checking that it is one of them. */
export function withAnswer(base: Omit<McItem, 'answer'>, letter: string | null): McParseResult {
  if (!letter) return reject('no-answer', 'no answer letter found');
  const choice = base.choices.find((c) => c.letter === letter);
  if (!choice) {
    return reject('answer-not-in-options', `answer ${letter} is not among ${base.choices.map((c) => c.letter).join(', ')}`);
  }
  return { ok: true, item: { ...base, answer: choice.letter } };
}

/** Checks an ordered list of option texts and labels them A.. (shared by the list-shaped sources). */
export function labelOptions(texts: string[]): { ok: true; choices: Choice[] } | { ok: false; reason: McRejectReason; detail: string } {
  if (texts.length === 0) return { ok: false, reason: 'no-choices', detail: 'no options' };
  if (texts.length < MIN_OPTIONS) return { ok: false, reason: 'too-few-options', detail: `${texts.length} option(s); at least ${MIN_OPTIONS} needed` };
  if (texts.length > MAX_OPTIONS) return { ok: false, reason: 'too-many-options', detail: `${texts.length} options; at most ${MAX_OPTIONS} allowed` };
  const choices: Choice[] = [];
  for (const [i, raw] of texts.entries()) {
    const text = raw.trim();
    const letter = OPTION_LETTERS[i] as OptionLetter;
    if (!text) return { ok: false, reason: 'empty-option', detail: `option ${letter} is empty` };
    choices.push({ letter, text });
  }
  return { ok: true, choices };
}

function splitHead(head: string): { question: string; hint?: string } {
  const qMatch = /^\s*question\s*:\s*/imu.exec(head);
  const hMatch = /^\s*hint\s*:\s*/imu.exec(head);
  let question: string;
  let hint: string | undefined;
  if (qMatch) {
    question = head.slice(qMatch.index + qMatch[0].length);
    if (hMatch && hMatch.index < qMatch.index) hint = head.slice(hMatch.index + hMatch[0].length, qMatch.index);
  } else if (hMatch) {
    // `Hint:` without `Question:`: the first paragraph is the hint, the rest the question.
    const rest = head.slice(hMatch.index + hMatch[0].length);
    const nl = rest.indexOf('\n');
    hint = nl < 0 ? rest : rest.slice(0, nl);
    question = nl < 0 ? '' : rest.slice(nl + 1);
  } else {
    question = head;
  }
  const clean = (s: string) => s.replace(/[ \t]+\n/g, '\n').trim();
  const h = hint === undefined ? undefined : clean(hint);
  return { question: clean(question), ...(h ? { hint: h } : {}) };
}

function parseOptionLines(lines: string[]): { ok: true; choices: Choice[] } | { ok: false; reason: McRejectReason; detail: string } {
  const texts: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const m = OPTION_LINE.exec(line);
    if (m) {
      const expected = String.fromCharCode(65 + texts.length);
      if (m[1] !== expected) return { ok: false, reason: 'bad-option-labels', detail: `expected (${expected}), found (${m[1]})` };
      texts.push(m[2] ?? '');
    } else if (texts.length === 0) {
      return { ok: false, reason: 'bad-option-labels', detail: `first option line does not start with (A): "${line.slice(0, 40)}"` };
    } else {
      // A line without a label continues the previous option (multi-line option text).
      texts[texts.length - 1] = `${texts[texts.length - 1]}\n${line}`;
    }
  }
  return labelOptions(texts);
}
