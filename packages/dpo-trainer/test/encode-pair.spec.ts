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
});
