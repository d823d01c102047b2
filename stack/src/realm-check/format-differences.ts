// Human-readable lines for realm-check differences. Secrets are never printed:
// a differing secret says only that it differs.
import type { Difference } from "./realm-diff.ts";

const show = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

export function formatDifference(difference: Difference): string {
  const { path, kind } = difference;
  if (difference.secret || /secret|password(?!less)/i.test(path)) return `${kind.padEnd(10)} ${path}: ${difference.reason ?? "differs (secret, not shown)"}`;
  if (difference.reason) return `${kind.padEnd(10)} ${path}: ${show(difference.actual)} ${difference.reason}`;
  switch (kind) {
    case "changed":
      return `${kind.padEnd(10)} ${path}: file ${show(difference.expected)}, live ${show(difference.actual)}`;
    case "missing":
      return `${kind.padEnd(10)} ${path}${difference.expected === undefined ? " (in the file, not live)" : `: ${show(difference.expected)}`}`;
    case "unexpected":
      return `${kind.padEnd(10)} ${path}${difference.actual === undefined ? " (live, not in the file)" : `: ${show(difference.actual)}`}`;
  }
}
