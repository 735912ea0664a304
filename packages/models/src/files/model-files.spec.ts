import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MissingModelFileError, ModelFileError } from '../errors';
import { readModelFiles, requireModelFile, writeModelFiles, type ModelFiles } from './model-files';

describe('model files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-files-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips what is present (JSON objects and a jinja template), and leaves out what is not', async () => {
    const files: ModelFiles = {
      tokenizerConfig: { chat_template: '{{ x }}', model_max_length: 2048, extra: { kept: [1, 2] } },
      chatTemplateJinja: '{% for m in messages %}{{ m.content }}{% endfor %}\n',
      generationConfig: { eos_token_id: [2, 7] },
    };
    expect(await writeModelFiles(dir, files)).toEqual(['tokenizer_config.json', 'chat_template.jinja', 'generation_config.json']);
    expect(readdirSync(dir).sort()).toEqual(['chat_template.jinja', 'generation_config.json', 'tokenizer_config.json']); // no temp files left
    expect(readFileSync(join(dir, 'generation_config.json'), 'utf8')).toBe('{\n  "eos_token_id": [\n    2,\n    7\n  ]\n}\n');
    expect(await readModelFiles(dir)).toEqual(files);
  });

  it('names the file for malformed JSON and non-objects; requireModelFile names what is missing and why', async () => {
    writeFileSync(join(dir, 'tokenizer.json'), '{"model": ');
    await expect(readModelFiles(dir)).rejects.toThrow(ModelFileError);
    await expect(readModelFiles(dir)).rejects.toThrow(`${join(dir, 'tokenizer.json')}: not valid JSON`);
    writeFileSync(join(dir, 'tokenizer.json'), '[1, 2]');
    await expect(readModelFiles(dir)).rejects.toThrow(`${join(dir, 'tokenizer.json')}: is not a JSON object`);
    expect(() => requireModelFile({}, 'preprocessorConfig', 'ckpt', 'an export')).toThrow(MissingModelFileError);
    expect(() => requireModelFile({}, 'preprocessorConfig', 'ckpt', 'an export')).toThrow("ckpt: 'preprocessor_config.json' is missing (needed for an export)");
  });
});
