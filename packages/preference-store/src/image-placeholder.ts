/** The image placeholder of plain-text prompts (LLaMA-Factory's sharegpt/alpaca turns, LLaVA-style strings). */
export const IMAGE_TOKEN = '<image>';

/** A prompt with its image placeholders taken out, and how many there were. */
export interface StrippedPrompt {
  text: string;
  placeholders: number;
}

/**
 * Removes the image placeholders of a plain-text prompt. When the text starts with one placeholder per
 * image (SMART's exports, most LLaMA-Factory data), exactly those are removed, with one newline right
 * after them, so a literal `<image>` later in the question survives; otherwise every placeholder (and a
 * newline following it) is removed and the ends trimmed.
 */
export function stripImagePlaceholders(text: string, images: number): StrippedPrompt {
  const lead = IMAGE_TOKEN.repeat(images);
  if (images > 0 && text.startsWith(lead)) {
    const rest = text.slice(lead.length);
    return { text: rest.startsWith('\n') ? rest.slice(1) : rest, placeholders: images };
  }
  const pieces = text.split(IMAGE_TOKEN);
  if (pieces.length === 1) return { text, placeholders: 0 };
  const joined = pieces.map((p, i) => (i > 0 && p.startsWith('\n') ? p.slice(1) : p)).join('');
  return { text: joined.trim(), placeholders: pieces.length - 1 };
}
