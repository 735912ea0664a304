/**
 * ChatML template (Qwen2 / llava-interleave style). A user message's content is a string or a list of
 * `{type: 'image'}` / `{type: 'text', text}` parts; each image part becomes one `<image>` placeholder,
 * which the processor expands to the image's feature count.
 */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' }}" +
  "{% if message['content'] is string %}{{ message['content'] }}" +
  "{% else %}{% for part in message['content'] %}{% if part['type'] == 'image' %}{{ '<image>\\n' }}" +
  "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}" +
  "{{ '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** tokenizer_config.json for a ChatML byte-level tokenizer; left padding, as batched generation needs. */
export function chatTokenizerConfig(options: { modelMaxLength: number }): Record<string, unknown> {
  return {
    tokenizer_class: 'PreTrainedTokenizerFast',
    chat_template: CHATML_TEMPLATE,
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    padding_side: 'left',
    add_bos_token: false,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: options.modelMaxLength,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>', '<image>'],
  };
}
