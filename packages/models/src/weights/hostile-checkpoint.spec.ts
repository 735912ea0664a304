import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors, SafetensorsError, writeSafetensors } from '@smart/onnx-graph';
import { tinyTestConfig } from '../../test/tiny';
import { ConfigError, DuplicateTensorError, ModelFileError } from '../errors';
import { readModelConfig } from '../family/families';
import { readModelFiles } from '../files/model-files';
import { loadLlavaCheckpoint, saveLlavaCheckpoint } from '../llava/checkpoint';
import { randomLlavaWeights } from '../llava/random-weights';
import { readImageNormalization } from '../processor/image-normalization';

describe('model folders: hostile config and checkpoint files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'models-hostile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const { json, config } = tinyTestConfig();

  it.each([
    { name: 'a FIFO', make: (p: string) => execFileSync('mkfifo', [p]), reason: /cannot read: not a regular file \(FIFO\)/ },
    { name: 'a link to /dev/zero', make: (p: string) => symlinkSync('/dev/zero', p), reason: /cannot read: not a regular file \(character device\)/ },
    { name: 'a directory', make: (p: string) => mkdirSync(p), reason: /cannot read: not a regular file \(directory\)/ },
    { name: 'a 32 MB sparse file', make: (p: string) => (writeFileSync(p, '{'), truncateSync(p, 32 * 2 ** 20)), reason: /cannot read: file of 33554432 bytes is larger than the limit of 16777216/ },
    { name: 'not JSON', make: (p: string) => writeFileSync(p, '{"model_type": "llava", '), reason: /not valid JSON/ },
    { name: 'missing', make: () => undefined, reason: /cannot read: file does not exist/ },
  ])('config.json that is $name is a ConfigError naming it, at once', ({ make, reason }) => {
    const file = join(dir, 'config.json');
    make(file);
    const started = Date.now();
    expect(() => readModelConfig(dir)).toThrow(expect.objectContaining({ constructor: ConfigError, file, message: expect.stringMatching(reason) }));
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each([
    { name: 'a JSON array', text: '[1, 2]' },
    { name: 'JSON null', text: 'null' },
    { name: 'a number as model_type', text: '{"model_type": 7}' },
    { name: 'an unknown model_type', text: '{"model_type": "gpt5"}' },
  ])('config.json with $name is a typed error naming it', ({ text }) => {
    writeFileSync(join(dir, 'config.json'), text);
    let err: unknown;
    try {
      readModelConfig(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ file: join(dir, 'config.json') });
    expect((err as Error).constructor.name).toMatch(/^(ConfigError|UnsupportedModelTypeError)$/);
  });

  it('a preprocessor_config.json FIFO is a ConfigError; a tokenizer.json FIFO a ModelFileError, at once', async () => {
    execFileSync('mkfifo', [join(dir, 'preprocessor_config.json')]);
    expect(() => readImageNormalization(dir)).toThrow(expect.objectContaining({ constructor: ConfigError, file: join(dir, 'preprocessor_config.json') }));
    rmSync(join(dir, 'preprocessor_config.json'));
    execFileSync('mkfifo', [join(dir, 'tokenizer.json')]);
    await expect(readModelFiles(dir)).rejects.toMatchObject({ constructor: ModelFileError, file: join(dir, 'tokenizer.json'), reason: 'cannot read: not a regular file (FIFO)' });
  });

  it('a checkpoint missing a shard is a SafetensorsError naming the shard', async () => {
    const files = await saveLlavaCheckpoint(dir, config, randomLlavaWeights(config, { seed: 1 }), { maxShardBytes: 50_000 });
    const shard = files.find((f) => /^model-00002-of-\d{5}\.safetensors$/.test(f))!;
    rmSync(join(dir, shard));
    const err = await loadLlavaCheckpoint(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SafetensorsError);
    expect(err).toMatchObject({ path: join(dir, shard), reason: expect.stringMatching(/shard listed in .*model\.safetensors\.index\.json does not exist/) });
  });

  it('a checkpoint holding one tensor in both layouts is a DuplicateTensorError, not a silent overwrite', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
    const weights = randomLlavaWeights(config, { seed: 1 });
    await saveLlavaCheckpoint(dir, config, weights);
    const { tensors } = await readSafetensors(join(dir, 'model.safetensors'));
    const classic = [...tensors.keys()].find((n) => n.startsWith('multi_modal_projector.'))!;
    tensors.set(`model.${classic}`, tensors.get(classic)!);
    await writeSafetensors(join(dir, 'model.safetensors'), tensors);
    await expect(loadLlavaCheckpoint(dir)).rejects.toMatchObject({ constructor: DuplicateTensorError, folder: dir, first: `model.${classic}`, second: classic });
  });
});
