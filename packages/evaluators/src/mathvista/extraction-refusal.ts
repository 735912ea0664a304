import { pyStrip } from '../python/py-whitespace';

// Openings with which chat models decline instead of extracting; an extraction never starts this way.
const REFUSAL = /^(?:i['’]?m sorry|i am sorry|sorry[,.!\s]|i apologi[sz]e|i (?:cannot|can['’]t|can not|am unable|['’]?m unable|am not able|['’]?m not able)\b|as an ai\b)/i;

/**
 * Why a MathVista extraction reply is a failed call rather than an extraction: a refusal ("I'm sorry,
 * I can't ..."). Blank replies are failed calls for every judge already. Undefined for an extraction.
 */
export function mathvistaRejectReply(reply: string): string | undefined {
  return REFUSAL.test(pyStrip(reply)) ? 'refusal instead of an extraction' : undefined;
}
