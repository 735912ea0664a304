import { createHash } from 'node:crypto';

/**
 * A 31-bit seed derived from the run seed and names (sample id, purpose). Every random choice of a
 * sample is a function of these, so a resumed run redraws exactly what the killed one drew.
 */
export function seedFor(runSeed: number, ...names: string[]): number {
  const digest = createHash('sha256').update(JSON.stringify([runSeed, ...names])).digest();
  return digest.readUInt32BE(0) >>> 1;
}
