// Every figure of the benchmark is reported as min / median / max over its
// repetitions: one run on a shared two-core machine is an anecdote.

export interface Summary {
  min: number;
  median: number;
  max: number;
  /** How many values were summarised. */
  n: number;
}

/** Throws a TypeError on an empty list: a figure without a measurement is a bug in the bench. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new TypeError("summarize() needs at least one value");
  if (values.some((value) => !Number.isFinite(value))) throw new TypeError("summarize() takes finite numbers only");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, n: sorted.length };
}
