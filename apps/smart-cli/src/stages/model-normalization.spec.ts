import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIP_MEAN, CLIP_STD, preprocessorConfig, parseLlavaConfig, SIGLIP_MEAN, SIGLIP_STD, tinyLlavaConfigJson } from '@smart/models';
import { ModelNormalizationError } from '../errors/errors';
import { modelNormalization } from './generate-rationales';

describe('modelNormalization', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smart-norm-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const folder = (name: string, files: Record<string, unknown>): string => {
    const d = join(dir, name);
    mkdirSync(d);
    for (const [f, v] of Object.entries(files)) writeFileSync(join(d, f), JSON.stringify(v));
    return d;
  };
  const siglip = tinyLlavaConfigJson({ preset: 'tiny', vocabSize: 300, imageTokenIndex: 299, eosTokenId: 1, padTokenId: 0, visionModelType: 'siglip_vision_model' });

  it('reads preprocessor_config.json when the folder has one', () => {
    const config = parseLlavaConfig(siglip);
    const d = folder('with-processor', { 'config.json': siglip, 'preprocessor_config.json': { ...preprocessorConfig(config), image_mean: [0.1, 0.2, 0.3] } });
    expect(modelNormalization(d)).toEqual({ mean: [0.1, 0.2, 0.3], std: SIGLIP_STD });
  });

  it("uses the family's tower normalization without one: SigLIP's for a SigLIP tower, never CLIP's by default", () => {
    expect(modelNormalization(folder('siglip', { 'config.json': siglip }))).toEqual({ mean: SIGLIP_MEAN, std: SIGLIP_STD });
    const clip = tinyLlavaConfigJson({ preset: 'tiny', vocabSize: 300, imageTokenIndex: 299, eosTokenId: 1, padTokenId: 0 });
    expect(modelNormalization(folder('clip', { 'config.json': clip }))).toEqual({ mean: CLIP_MEAN, std: CLIP_STD });
  });

  it('refuses a folder it cannot tell, naming the folder', () => {
    const d = folder('empty', {});
    expect(() => modelNormalization(d)).toThrow(ModelNormalizationError);
    expect(() => modelNormalization(d)).toThrow(d);
  });

  it('keeps the documented CLIP calibration for a served model (no folder)', () => {
    expect(modelNormalization(undefined)).toEqual({ mean: CLIP_MEAN, std: CLIP_STD });
  });
});
