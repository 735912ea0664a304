import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ConfigError, MissingInputError } from '../errors/errors';
import { dpoConfigOf, preferenceTrainingLine } from '../stages/local-train';
import { llamaFactoryRecipe } from '../stages/training-recipe';
import { resolveConfig } from './load-config';
import { EMBEDDED_DEFAULTS, runConfigSchema } from './run-config';
import { fieldsOf, yargsOptions } from './zod-options';

describe('resolveConfig', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the paper settings as defaults for a given model', () => {
    const c = resolveConfig({ flags: { model: 'some/folder' } });
    expect(c).toMatchObject({ name: 'default', source: 'synthetic', temperature: 0.7, topP: 0.9, maxNewTokens: 512, beta: 0.1, learningRate: 2e-6, warmupRatio: 0.1, batchSize: 128, weightDecay: 0, lrScheduler: 'cosine', epochs: 1, dtype: 'fp32', lossType: 'sigmoid', trainParts: 'text' });
    expect(c.rpoAlpha).toBe(0);
    expect(c.baseFollowSteps).toBe(0);
    // The synthetic task keeps its own template and sample count for a given model; the recipe's are the embedded default's.
    expect(c).toMatchObject({ syntheticRationale: 'option-walk', samplesPerIteration: 600, evalMaxNewTokens: 256 });
  });

  it('gives the embedded default its own DPO and generation settings, under what the user sets', () => {
    const c = resolveConfig({});
    expect(c).toMatchObject({ ...EMBEDDED_DEFAULTS, beta: 0.1, temperature: 0.7, topP: 0.9, basePreset: 'mini', control: true });
    expect(c.learningRate).not.toBe(2e-6);
    expect(c).toMatchObject({ syntheticRationale: 'ranked-walk', baseItems: 400, baseSteps: 1200, samplesPerIteration: 1000, maxNewTokens: 128 });
    expect(c).toMatchObject({ rpoAlpha: 100, epochs: 5, learningRate: 3e-4, lossSpan: 'completion', baseFollowSteps: 400, baseToldWrong: 0.5 });
    expect(dpoConfigOf(c)).toMatchObject({ rpo_alpha: 100, num_train_epochs: 5, loss_span: 'completion' });
    expect(resolveConfig({ flags: { learningRate: 3e-5 } })).toMatchObject({ learningRate: 3e-5, batchSize: EMBEDDED_DEFAULTS.batchSize });
    // A served model is never the embedded default.
    expect(resolveConfig({ flags: { backend: 'openai', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' } })).toMatchObject({ learningRate: 2e-6, batchSize: 128 });
  });

  it('passes the preference loss and the trained parts to the local trainer (the released recipe for a given model, everything for the embedded base)', () => {
    expect(dpoConfigOf(resolveConfig({ flags: { model: 'some/folder' } }))).toMatchObject({ loss_type: 'sigmoid', beta: 0.1, rpo_alpha: null, loss_span: 'completion', trainable_parts: ['text'] });
    expect(dpoConfigOf(resolveConfig({}))).toMatchObject({ trainable_parts: ['text', 'vision', 'projector'] });
    const c = resolveConfig({ flags: { model: 'some/folder', lossType: 'ipo', beta: 0.5, rpoAlpha: 1, lossSpan: 'first_differing_step', trainParts: 'text-projector' } });
    expect(dpoConfigOf(c)).toMatchObject({ loss_type: 'ipo', beta: 0.5, rpo_alpha: 1, loss_span: 'first_differing_step', trainable_parts: ['text', 'projector'] });
    expect(() => resolveConfig({ flags: { trainParts: 'vision' } })).toThrow(/trainParts/);
    // The report's header line names the loss each run trains with.
    expect(preferenceTrainingLine(resolveConfig({ flags: { model: 'some/folder' } }))).toBe('local trainer: sigmoid DPO β 0.1, whole rationales, lr 2e-6 cosine, batch 128, 1 epoch, parts: text');
    expect(preferenceTrainingLine(c)).toBe(
      'local trainer: ipo DPO β 0.5 + RPO α 1 (NLL of the chosen rationale), each pair scored on its first differing step, lr 2e-6 cosine, batch 128, 1 epoch, parts: text-projector',
    );
    expect(preferenceTrainingLine(resolveConfig({ flags: { model: 'm', trainer: 'external', trainCommand: 'x {recipe}', learningRate: 0.01 } }))).toBe(
      'external trainer (LLaMA-Factory recipe): sigmoid DPO β 0.1, whole rationales, lr 0.01 cosine, batch 128, 1 epoch',
    );
  });

  it('reads YAML, and flags override the file', () => {
    const file = join(dir, 'run.yaml');
    writeFileSync(file, 'name: exp1\nseed: 3\nsamplesPerIteration: 50\nbenchmarks:\n  - name: m3cot\n    data: m3cot.jsonl\n');
    const c = resolveConfig({ file, flags: { seed: 9, maxIterations: undefined } });
    expect(c.name).toBe('exp1');
    expect(c.seed).toBe(9);
    expect(c.samplesPerIteration).toBe(50);
    expect(c.maxIterations).toBe(2);
    expect(c.benchmarks).toEqual([{ name: 'm3cot', data: join(dir, 'm3cot.jsonl') }]);
  });

  it("resolves the file's relative paths against the file's folder, not the working directory", () => {
    mkdirSync(join(dir, 'configs'));
    const file = join(dir, 'configs', 'run.yaml');
    writeFileSync(
      file,
      'source: mathv360k\ndata: ../data/train.jsonl\nimageRoot: images\nheldOutData: /abs/held-out.jsonl\ncheckpoint: ckpt\nmodel: ./model\nrunsDir: runs\n' +
        'benchmarks:\n  - name: mmvet\n    data: bench/mm-vet.json\n    imageRoot: bench/images\n',
    );
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      const c = resolveConfig({ file: relative(tmpdir(), file), flags: { heldOutLimit: 3 } });
      expect(c).toMatchObject({
        data: join(dir, 'data', 'train.jsonl'),
        imageRoot: join(dir, 'configs', 'images'),
        heldOutData: '/abs/held-out.jsonl',
        checkpoint: join(dir, 'configs', 'ckpt'),
        model: join(dir, 'configs', 'model'),
        runsDir: join(dir, 'configs', 'runs'),
        benchmarks: [{ name: 'mmvet', data: join(dir, 'configs', 'bench', 'mm-vet.json'), imageRoot: join(dir, 'configs', 'bench', 'images') }],
      });
      // Flags stay relative to the working directory; a served model's name is not a path.
      expect(resolveConfig({ file, flags: { data: 'here.jsonl' } }).data).toBe('here.jsonl');
      expect(resolveConfig({ file, flags: { backend: 'openai', baseUrl: 'http://127.0.0.1:1/v1' } }).model).toBe('./model');
    } finally {
      process.chdir(cwd);
    }
  });

  it('reads JSON', () => {
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ filterProfile: 'released-code' }));
    expect(resolveConfig({ file }).filterProfile).toBe('released-code');
  });

  it('names an unknown field of the file, and the file', () => {
    const file = join(dir, 'run.yaml');
    writeFileSync(file, 'seed: 1\nsampelsPerIteration: 5\n');
    const err = (() => {
      try {
        resolveConfig({ file });
      } catch (e) {
        return e;
      }
      return undefined;
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.field).toBe('sampelsPerIteration');
    expect(err.message).toContain(file);
    expect(err.message).toContain('unknown field "sampelsPerIteration"');
  });

  it('names an unknown field inside a benchmark entry', () => {
    const file = join(dir, 'run.yaml');
    writeFileSync(file, 'benchmarks:\n  - name: m3cot\n    data: x.jsonl\n    limt: 3\n');
    expect(() => resolveConfig({ file })).toThrow(/unknown field "benchmarks\.0\.limt"/);
  });

  it('names the field of a bad value', () => {
    expect(() => resolveConfig({ flags: { topP: 0 } })).toThrow(expect.objectContaining({ field: 'topP' }));
    expect(() => resolveConfig({ flags: { backend: 'grpc' } })).toThrow(expect.objectContaining({ field: 'backend' }));
    expect(() => resolveConfig({ flags: { dtype: 'fp8' } })).toThrow(expect.objectContaining({ field: 'dtype' }));
  });

  it('checks fields that depend on each other', () => {
    expect(() => resolveConfig({ flags: { source: 'mathv360k' } })).toThrow(expect.objectContaining({ field: 'data' }));
    expect(() => resolveConfig({ flags: { backend: 'openai', model: 'm' } })).toThrow(expect.objectContaining({ field: 'baseUrl' }));
    expect(() => resolveConfig({ flags: { trainer: 'external', trainCommand: 'llamafactory-cli train' } })).toThrow(/\{recipe\}/);
    const external = { model: 'some/folder', trainer: 'external', trainCommand: 'llamafactory-cli train {recipe}' };
    expect(() => resolveConfig({ flags: { ...external, lossSpan: 'first_differing_step' } })).toThrow(expect.objectContaining({ field: 'lossSpan' }));
    expect(() => resolveConfig({ flags: { ...external, lossType: 'robust' } })).toThrow(expect.objectContaining({ field: 'lossType' }));
    // What LLaMA-Factory can express goes into its recipe: the loss by TRL's name, RPO's α as pref_ftx.
    const paths = { modelPath: 'm', datasetDir: 'd', datasetName: 'n', outputDir: 'o' };
    expect(llamaFactoryRecipe(resolveConfig({ flags: external }), paths)).toMatchObject({ pref_loss: 'sigmoid', pref_beta: 0.1 });
    expect(llamaFactoryRecipe(resolveConfig({ flags: external }), paths)).not.toHaveProperty('pref_ftx');
    expect(llamaFactoryRecipe(resolveConfig({ flags: { ...external, lossType: 'ipo', rpoAlpha: 1 } }), paths)).toMatchObject({ pref_loss: 'ipo', pref_ftx: 1 });
    expect(resolveConfig({ flags: external }).lossSpan).toBe('completion');
    // The embedded default's RPO recipe scores whole rationales, so an external trainer gets it as pref_ftx.
    const embeddedExternal = resolveConfig({ flags: { trainer: 'external', trainCommand: 'llamafactory-cli train {recipe}' } });
    expect(llamaFactoryRecipe(embeddedExternal, paths)).toMatchObject({ pref_loss: 'sigmoid', pref_ftx: 100, learning_rate: 3e-4, num_train_epochs: 5 });
  });

  it('reports a missing file and broken YAML as such', () => {
    expect(() => resolveConfig({ file: join(dir, 'nope.yaml') })).toThrow(MissingInputError);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'seed: [1, 2\n');
    expect(() => resolveConfig({ file })).toThrow(/not valid YAML/);
  });

  it('gives every field help text', () => {
    const fields = fieldsOf(runConfigSchema);
    expect(fields.length).toBeGreaterThan(40);
    for (const f of fields) expect(f.help.length).toBeGreaterThan(10);
    const backend = fields.find((f) => f.key === 'backend')!;
    expect(backend).toMatchObject({ flag: 'backend', choices: ['local', 'openai'], defaultValue: 'local' });
    expect(fields.find((f) => f.key === 'samplesPerIteration')).toMatchObject({ flag: 'samples-per-iteration', type: 'number', defaultValue: 600 });
  });

  it("shows the embedded default's own values beside the defaults in the help, where they differ", () => {
    const opts = yargsOptions(fieldsOf(runConfigSchema), 'g', { label: 'embedded default', values: EMBEDDED_DEFAULTS });
    expect(opts['samples-per-iteration']!.defaultDescription).toBe('600; embedded default: 1000');
    expect(opts['synthetic-rationale']!.defaultDescription).toBe('"option-walk"; embedded default: "ranked-walk"');
    expect(opts['seed']!.defaultDescription).toBe('0');
    expect(opts['rpo-alpha']!.defaultDescription).toBe('0; embedded default: 100');
    expect(yargsOptions(fieldsOf(runConfigSchema), 'g')['samples-per-iteration']!.defaultDescription).toBe('600');
  });
});
