import type { GenerationRequest } from '@smart/types';
import type { ChatMessage } from './transformers-js-surface';

/**
 * How message content is handed to the chat template: `parts` (a list of `{type}` parts, what
 * LLaVA-family templates iterate over) or `string` (plain text; the image token is prefixed).
 */
export type MessageContentFormat = 'parts' | 'string';

/**
 * The chat messages for one request: optional system message, then one user turn with the image
 * first (as LLaVA-family templates expect) and the prompt text.
 */
export function chatMessages(
  request: Pick<GenerationRequest, 'prompt' | 'system' | 'image'>,
  format: MessageContentFormat = 'parts',
  imageToken = '<image>',
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (format === 'string') {
    if (request.system !== undefined) messages.push({ role: 'system', content: request.system });
    messages.push({ role: 'user', content: request.image ? `${imageToken}\n${request.prompt}` : request.prompt });
    return messages;
  }
  if (request.system !== undefined) messages.push({ role: 'system', content: [{ type: 'text', text: request.system }] });
  messages.push({
    role: 'user',
    content: request.image ? [{ type: 'image' }, { type: 'text', text: request.prompt }] : [{ type: 'text', text: request.prompt }],
  });
  return messages;
}
