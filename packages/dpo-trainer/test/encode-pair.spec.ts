import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePair } from '../src/collate/encode-examples';
import { ImageTokensTruncatedError } from '../src/errors';
import { tinySetup, type TinySetup } from './tiny-pairs';

describe('encodePair through the generation PromptEncoder', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let setup: TinySetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-encode-'));
    setup = await tinySetup(dir, 2);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const limits = (maxLength: number | null, maxPromptLength: number | null) => ({ maxLength, maxPromptLength, mode: 'keep_end' as const, imageTokenId: setup.model.imageTokenId });

  it('gives both rows the generation prompt tokens, then each completion through its end-of-turn EOS', async () => {
    const pair = setup.pairs[0]!;
    const p = await encodePair(setup.encoder, pair, limits(null, null));
    const gen = await setup.encoder.encode({ id: 'g', prompt: pair.prompt, image: pair.image! });
    expect(p.chosen.ids.slice(0, p.chosen.promptLength)).toEqual(gen.inputIds);
    expect(p.rejected.ids.slice(0, p.rejected.promptLength)).toEqual(gen.inputIds);
    expect(p.chosen.ids.at(-1)).toBe(setup.model.eosTokenId);
    expect(p.rejected.ids.at(-1)).toBe(setup.model.eosTokenId);
    expect(gen.inputIds.filter((t) => t === setup.model.imageTokenId)).toHaveLength(gen.imageTokenCount);
    expect(p.pixelValues!.shape).toEqual([1, 3, 32, 32]);
  });

  it('refuses truncation that would cut image tokens, naming the pair', async () => {
    const pair = setup.pairs[1]!;
    const p = await encodePair(setup.encoder, pair, limits(null, null));
    const promptLength = p.chosen.promptLength;
    const longer = Math.max(p.chosen.ids.length, p.rejected.ids.length) - promptLength;
    // Room for the completions but a prompt cap below the prompt's length: keep_end drops its head, where the image is.
    await expect(encodePair(setup.encoder, pair, limits(promptLength + longer - 1, promptLength - 8))).rejects.toThrow(ImageTokensTruncatedError);
    await expect(encodePair(setup.encoder, pair, limits(promptLength + longer - 1, promptLength - 8))).rejects.toThrow(/pair-1/);
    const cut = await encodePair(setup.encoder, pair, limits(promptLength + 3, promptLength)); // prompt fits its cap; completions cut to 3
    expect(cut.chosen.ids).toHaveLength(promptLength + 3);
  });

  describe('loss span first_differing_step', () => {
    const stepPair = (chosen: string, rejected: string) => ({ ...setup.pairs[0]!, chosen, rejected });
    const completionOf = async (text: string) => {
      const e = await setup.encoder.encode({ id: 'c', prompt: setup.pairs[0]!.prompt, image: setup.pairs[0]!.image!, completion: text });
      return e.inputIds.slice(e.promptLength);
    };

    it('scores each row from the first token where they differ through the end of that step, without the end of turn', async () => {
      const pair = stepPair('Step 1, there are 3 dots. Step 2, so the answer is (C).', 'Step 1, there are 5 dots. Step 2, so the answer is (A).');
      const whole = await encodePair(setup.encoder, pair, limits(null, null));
      const p = await encodePair(setup.encoder, pair, limits(null, null), 'first_differing_step');
      const prompt = whole.chosen.promptLength;
      const firstStep = await completionOf('Step 1, there are 3 dots.');
      const otherFirstStep = await completionOf('Step 1, there are 5 dots.');
      const endOfTurn = (await completionOf('x')).length - 1; // 'x' is one token: the rest is the template's end of turn
      // Each row is its whole row cut after "dots." (the step's own tokens, no end of turn).
      expect(p.chosen.ids).toEqual(whole.chosen.ids.slice(0, p.chosen.ids.length));
      expect(p.rejected.ids).toEqual(whole.rejected.ids.slice(0, p.rejected.ids.length));
      expect(p.chosen.ids.slice(prompt)).toEqual(firstStep.slice(0, firstStep.length - endOfTurn));
      expect(p.rejected.ids.slice(prompt)).toEqual(otherFirstStep.slice(0, otherFirstStep.length - endOfTurn));
      expect(p.chosen.ids.at(-1)).not.toBe(setup.model.eosTokenId);
      // The scored span starts at the first differing token: "Step 1, there are " moves into the prompt span.
      let shared = 0;
      while (firstStep[shared] === otherFirstStep[shared]) shared++;
      expect(shared).toBeGreaterThan(3);
      expect(p.chosen.promptLength).toBe(prompt + shared);
      expect(p.rejected.promptLength).toBe(prompt + shared);
      expect(p.chosen.ids[p.chosen.promptLength]).not.toBe(p.rejected.ids[p.rejected.promptLength]);
    });

    it('keeps the end of turn where the differing step is the last one, and whole rows where no step differs', async () => {
      const last = stepPair('Step 1, there are 3 dots. Step 2, so (C).', 'Step 1, there are 3 dots. Step 2, so (A).');
      const whole = await encodePair(setup.encoder, last, limits(null, null));
      const p = await encodePair(setup.encoder, last, limits(null, null), 'first_differing_step');
      expect(p.chosen.ids).toEqual(whole.chosen.ids);
      expect(p.rejected.ids).toEqual(whole.rejected.ids);
      expect(p.chosen.ids.at(-1)).toBe(setup.model.eosTokenId);
      expect(p.chosen.promptLength).toBeGreaterThan(whole.chosen.promptLength);

      const longer = stepPair('Step 1, there are 3 dots.', 'Step 1, there are 3 dots. Step 2, so (A).');
      expect(await encodePair(setup.encoder, longer, limits(null, null), 'first_differing_step')).toEqual(await encodePair(setup.encoder, longer, limits(null, null)));
    });
  });
});
