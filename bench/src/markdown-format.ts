// Formatting shared by bench/RESULTS.md's sections (results-markdown.ts,
// ssf-results-markdown.ts): min / median / max cells, verdicts, tables.
import type { Summary } from "./summarize.ts";

export const mmm = (s: Summary | null | undefined, unit = "", digits = 2): string =>
  s ? `${round(s.min, digits)} / ${round(s.median, digits)} / ${round(s.max, digits)}${unit}` : "—";

export function round(value: number, digits: number): string {
  if (Number.isInteger(value)) return String(value);
  const fixed = value.toFixed(digits);
  // Trailing zeros of the fraction only: 3070 stays 3070.
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** "met" when every run meets the target, "median only" when the median does, else "missed". */
export function verdict(s: Summary | null | undefined, meets: (value: number) => boolean): string {
  if (!s) return "not measured";
  // For a lower bound the weakest run is min; for an upper bound it is max. Both are checked.
  if (meets(s.min) && meets(s.max) && meets(s.median)) return "met (every run)";
  if (meets(s.median)) return "median only";
  return "**missed**";
}

export function sectionLine(section: { measuredAt: string; repeat: number; loadAverage: number }): string {
  return `_Measured ${section.measuredAt}, ${section.repeat} repetitions, load average ${section.loadAverage} before it._`;
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
