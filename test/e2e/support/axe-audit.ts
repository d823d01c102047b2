// Runs axe-core in a page and keeps what WCAG calls serious or critical:
// the violations this project treats as bugs (docs/web-pages.md).
import axe from "axe-core";
import type { Page } from "playwright-core";

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(() => window.axe.run());
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? "unknown",
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(" ")),
    }));
}

/** One line per violation: page, rule, impact, what to fix, where. */
export function describeFindings(path: string, findings: readonly AxeFinding[]): string[] {
  return findings.map((finding) => `${path}: ${finding.id} (${finding.impact}) ${finding.help} at ${finding.targets.join(", ")}`);
}

declare global {
  interface Window {
    axe: typeof axe;
  }
}
