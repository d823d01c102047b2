// Latency percentiles by the nearest-rank method: the reported value is one
// that was actually observed, never an interpolation between two.

/** `p` in (0, 100]; `sorted` ascending. Throws a TypeError on an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new TypeError("percentile() needs at least one value");
  if (!(p > 0 && p <= 100)) throw new TypeError(`percentile ${p} is outside (0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
