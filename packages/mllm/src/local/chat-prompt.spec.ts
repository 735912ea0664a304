import { chatMessages } from './chat-prompt';

describe('chatMessages', () => {
  it('puts the image part before the text, with an optional system turn', () => {
    expect(chatMessages({ prompt: 'Q?', system: 'S', image: { kind: 'path', path: '/x.png' } })).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'S' }] },
      { role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'Q?' }] },
    ]);
    expect(chatMessages({ prompt: 'Q?' })).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Q?' }] }]);
  });

  it('can hand plain strings to text-only templates, prefixing the image token', () => {
    expect(chatMessages({ prompt: 'Q?', image: { kind: 'path', path: '/x.png' } }, 'string', '<img>')).toEqual([{ role: 'user', content: '<img>\nQ?' }]);
  });
});
