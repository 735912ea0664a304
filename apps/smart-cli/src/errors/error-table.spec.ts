import { AotPromptsError } from '@smart/aot-prompts';
import { AugmentError } from '@smart/augment';
import { CoreError } from '@smart/core';
import { DatasetsError, DrawExhaustedError } from '@smart/datasets';
import { DpoTrainerError } from '@smart/dpo-trainer';
import { EvaluatorsError } from '@smart/evaluators';
import { FiltersError } from '@smart/filters';
import { MllmError, ModelLoadError, UnsupportedRequestError } from '@smart/mllm';
import { ModelsError } from '@smart/models';
import { PreferenceStoreError, StoreLockedError } from '@smart/preference-store';
import { ConfigError, InterruptedError, StageUnavailableError } from './errors';
import { ERROR_TABLE, EXIT, reportError } from './error-table';

describe('reportError', () => {
  it('reports a user mistake without a stack trace, with its exit code', () => {
    const r = reportError(new ConfigError('unknown field "sedd"', 'sedd', 'run.yaml'), false);
    expect(r.exitCode).toBe(EXIT.usage);
    expect(r.text).toContain('smart: config: run.yaml: sedd: unknown field "sedd"');
    expect(r.text).not.toContain('    at ');
    expect(r.text).toContain('--verbose');
  });

  it('shows the stack with --verbose', () => {
    const r = reportError(new ConfigError('bad', 'seed'), true);
    expect(r.text).toContain('    at ');
  });

  it('maps other packages\' typed errors', () => {
    expect(reportError(new DrawExhaustedError(600, 10), false).exitCode).toBe(EXIT.input);
    expect(reportError(new ModelLoadError('/m', 'no onnx'), false)).toMatchObject({ exitCode: EXIT.backend });
    expect(reportError(new StoreLockedError('/s', 5000), false).text).toContain('Another `smart` process');
    expect(reportError(new InterruptedError('generate'), false).exitCode).toBe(130);
    expect(reportError(new StageUnavailableError('train', 'x'), false).exitCode).toBe(EXIT.unavailable);
  });

  it('tells a local-backend user refused a multi-image request to use the openai backend', () => {
    const r = reportError(new UnsupportedRequestError('p1', 2, 1, 'this generator reads `image` only'), false);
    expect(r.exitCode).toBe(EXIT.backend);
    expect(r.text).toContain('smart: model: invalid generation request "p1": 2 image(s)');
    expect(r.text).toContain('use --backend openai');
    expect(r.text).not.toContain('    at ');
  });

  it('treats an unknown error as a bug and shows its stack', () => {
    const r = reportError(new TypeError('x is undefined'), false);
    expect(r.exitCode).toBe(EXIT.internal);
    expect(r.text).toContain('internal error: x is undefined');
    expect(r.text).toContain('    at ');
  });

  it('has a row for every package\'s base error class', () => {
    for (const base of [AotPromptsError, AugmentError, CoreError, DatasetsError, DpoTrainerError, EvaluatorsError, FiltersError, MllmError, ModelsError, PreferenceStoreError]) {
      expect(ERROR_TABLE.some((row) => row.type === base)).toBe(true);
    }
  });
});
