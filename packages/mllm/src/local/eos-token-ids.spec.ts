import { collectEosIds } from './eos-token-ids';

describe('collectEosIds', () => {
  it('gathers numbers and lists from every source, text_config and the tokenizer, without duplicates', () => {
    const generationConfig = { eos_token_id: [151645, 151643] };
    const config = { eos_token_id: 151643, text_config: { eos_token_id: 7 } };
    expect([...collectEosIds([generationConfig, config], { eos_token_id: 9 })]).toEqual([151645, 151643, 7, 9]);
  });

  it('ignores missing sources and non-integer values', () => {
    expect([...collectEosIds([null, undefined, { eos_token_id: '2' }, { text_config: null }], { eos_token_id: null })]).toEqual([]);
  });
});
