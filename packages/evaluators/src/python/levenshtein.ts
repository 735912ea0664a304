/** Levenshtein edit distance over code points (python-Levenshtein `distance`). */
export function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/** The candidate closest to `s`; ties go to the first minimum, like `distances.index(min(distances))`. */
export function mostSimilar(s: string, candidates: readonly string[]): string {
  if (candidates.length === 0) throw new RangeError('mostSimilar needs at least one candidate');
  let best = 0;
  let bestDist = levenshtein(s, candidates[0]!);
  for (let i = 1; i < candidates.length; i++) {
    const d = levenshtein(s, candidates[i]!);
    if (d < bestDist) {
      best = i;
      bestDist = d;
    }
  }
  return candidates[best]!;
}
