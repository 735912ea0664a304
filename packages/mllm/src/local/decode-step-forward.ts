import type { TjsForwardInputs, TjsModel } from './transformers-js-surface';

/**
 * Returns a view of `model` whose `forward` sends decode steps (a KV cache is present) through
 * `inputs_embeds` and drops the image inputs.
 *
 * Why: in transformers.js 4.3.1, a decode step of an image-text-to-text model that still carries
 * `pixel_values` rebuilds the attention mask as all ones over the cache, so left-padded rows start
 * attending to their padding (and get shifted position ids) after the first token. With
 * `inputs_embeds` given, the library keeps the real mask it extended by one column per step, and
 * derives position ids from it, which makes batched generation agree with unbatched generation.
 *
 * The model itself is not modified: the view inherits from it and only shadows `forward`.
 */
export function withRealMaskOnDecodeSteps<M extends TjsModel>(model: M): M {
  const view = Object.create(model) as M;
  const forward = model.forward;
  view.forward = async (inputs: TjsForwardInputs) => {
    const past = inputs.past_key_values?.get_seq_length() ?? 0;
    if (past > 0 && inputs.input_ids && !inputs.inputs_embeds) {
      // input_ids: [B, 1] → inputs_embeds: [B, 1, H]
      const { input_ids, pixel_values: _pixels, ...rest } = inputs;
      const inputs_embeds = await model.encode_text.call(view, { input_ids });
      return forward.call(view, { ...rest, inputs_embeds });
    }
    return forward.call(view, inputs);
  };
  return view;
}
