// A ratio per round of runs measured side by side (seconds apart), then
// summarised: drift on a shared machine cancels within a round.
import { summarize, type Summary } from "./summarize.ts";

/** `numerators[i] ÷ denominators[i]` for every round, to two decimals, summarised. Throws a TypeError on lists of different lengths or a zero denominator. */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): Summary {
  if (numerators.length !== denominators.length) throw new TypeError("pairedRatios() needs one denominator per numerator");
  if (denominators.some((value) => value === 0)) throw new TypeError("pairedRatios() cannot divide by zero");
  return summarize(numerators.map((value, i) => Math.round((value / denominators[i]!) * 100) / 100));
}
