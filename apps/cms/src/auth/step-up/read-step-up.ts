// The step-up block of the CMS configuration: the default level table
// (step-up-table.ts) with CMS_STEP_UP_LEVELS entries over it, for example
// `article.publish=2,article.delete=2:900` (level, then an optional max age in
// seconds). Called by cms-config.ts; a bad entry is a config error, never ignored.
import { DEFAULT_STEP_UP_TABLE, STEP_UP_ACTIONS, type StepUpAction, type StepUpRule, type StepUpTable } from "./step-up-table";

const ENTRY = /^([a-z.]+)=([0-9])(?::([0-9]{1,6}))?$/;

export function readStepUp(raw: string | undefined, errors: string[]): { table: StepUpTable } {
  const table: Record<StepUpAction, StepUpRule> = { ...DEFAULT_STEP_UP_TABLE };
  if (raw === undefined || raw.trim() === "") return { table };
  for (const item of raw.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const match = ENTRY.exec(item);
    const action = match?.[1];
    if (!match || !(STEP_UP_ACTIONS as readonly string[]).includes(action ?? "")) {
      errors.push(
        `CMS_STEP_UP_LEVELS entries are action=level or action=level:maxAgeSeconds with action one of ${STEP_UP_ACTIONS.join(", ")} (got "${item}").`,
      );
      continue;
    }
    const level = Number(match[2]);
    if (level < 1 || level > 2) {
      errors.push(`CMS_STEP_UP_LEVELS: the realm has levels 1 and 2 (got "${item}").`);
      continue;
    }
    table[action as StepUpAction] = match[3] === undefined ? { level } : { level, maxAgeSeconds: Number(match[3]) };
  }
  return { table };
}
