import { withRealMaskOnDecodeSteps } from './decode-step-forward';
import type { TjsForwardInputs, TjsModel, TjsTensor } from './transformers-js-surface';

const tensor = (dims: number[], tag: string) => ({ dims, data: [], type: tag, tolist: () => [] }) as unknown as TjsTensor;
const cache = (length: number) => ({ get_seq_length: () => length });

/** Records every forward call, the way the library's generate() loop would make them. */
class RecordingModel {
  config = {};
  generation_config = null;
  calls: { self: unknown; inputs: TjsForwardInputs }[] = [];
  embedded: TjsTensor[] = [];
  async forward(this: RecordingModel, inputs: TjsForwardInputs) {
    this.calls.push({ self: this, inputs });
    return {};
  }
  async encode_text({ input_ids }: { input_ids: TjsTensor }) {
    this.embedded.push(input_ids);
    return tensor([input_ids.dims[0]!, 1, 8], 'embeds');
  }
  async generate(this: RecordingModel) {
    // Like the library: every step calls this.forward.
    await this.forward({ input_ids: tensor([2, 5], 'ids'), attention_mask: tensor([2, 5], 'mask0'), pixel_values: tensor([1, 3, 4, 4], 'px'), past_key_values: null });
    await this.forward({ input_ids: tensor([2, 1], 'next'), attention_mask: tensor([2, 6], 'mask1'), pixel_values: tensor([1, 3, 4, 4], 'px'), past_key_values: cache(5) });
    return tensor([2, 6], 'seq');
  }
  async dispose() {
    // no sessions to release
  }
}

describe('withRealMaskOnDecodeSteps', () => {
  it('passes the prefill through and sends decode steps through inputs_embeds with the real mask, no pixels', async () => {
    const model = new RecordingModel();
    const view = withRealMaskOnDecodeSteps(model as unknown as TjsModel);
    await view.generate({});
    expect(model.calls).toHaveLength(2);
    const [prefill, decode] = model.calls;
    expect(prefill!.inputs.pixel_values?.type).toBe('px');
    expect(prefill!.inputs.input_ids?.type).toBe('ids');
    expect(decode!.inputs.input_ids).toBeUndefined();
    expect(decode!.inputs.pixel_values).toBeUndefined();
    expect(decode!.inputs.inputs_embeds?.type).toBe('embeds');
    expect(decode!.inputs.inputs_embeds?.dims).toEqual([2, 1, 8]);
    expect(decode!.inputs.attention_mask?.type).toBe('mask1');
    expect(decode!.inputs.past_key_values?.get_seq_length()).toBe(5);
    expect(model.embedded.map((t) => t.type)).toEqual(['next']);
    // The library's code runs with the view as `this`, so its own this.forward calls stay wrapped.
    expect(decode!.self).toBe(view);
  });

  it('leaves the model itself untouched', () => {
    const model = new RecordingModel();
    const forward = model.forward;
    withRealMaskOnDecodeSteps(model as unknown as TjsModel);
    expect(model.forward).toBe(forward);
    expect(Object.hasOwn(model, 'forward')).toBe(false);
  });
});
