// Step-up at the API (RFC 9470): which level of authentication each action
// needs, and the 401 challenge for a token below it. The levels are Keycloak's
// (the realm's `acr.loa.map`: password 1, a second factor 2); the token's `acr`
// claim carries the level's name. A token whose `acr` is missing or unknown
// counts as level 0, so a downgraded or forged request gains nothing.

/** The actions the table knows (see stepUpActionOf for how a request maps to one). */
export const STEP_UP_ACTIONS = ["article.read", "article.write", "article.publish", "article.delete"] as const;
export type StepUpAction = (typeof STEP_UP_ACTIONS)[number];

export interface StepUpRule {
  /** The lowest level of authentication the action accepts. */
  level: number;
  /** When set, the person must have authenticated at most this many seconds ago (`auth_time`). */
  maxAgeSeconds?: number;
}

export type StepUpTable = Readonly<Record<StepUpAction, StepUpRule>>;

/** The default table (docs/strong-authentication.md); CMS_STEP_UP_LEVELS overrides entries. */
export const DEFAULT_STEP_UP_TABLE: StepUpTable = {
  "article.read": { level: 1 },
  "article.write": { level: 1 },
  "article.publish": { level: 2 },
  "article.delete": { level: 2 },
};

/** acr value ↔ level, the same map as the realm's `acr.loa.map` (keycloak/realm-export.json). */
const ACR_LEVELS: Readonly<Record<string, number>> = { password: 1, "second-factor": 2 };

/** The level a token's `acr` stands for: a mapped name, or Keycloak's bare number when no name maps it; else 0. */
export function levelOfAcr(acr: string | undefined, acrLevels: Readonly<Record<string, number>> = ACR_LEVELS): number {
  if (acr === undefined) return 0;
  if (Object.hasOwn(acrLevels, acr)) return acrLevels[acr] ?? 0;
  return /^[0-9]$/.test(acr) ? Number(acr) : 0;
}

/** The acr value a client should ask Keycloak for (`acr_values`) to reach a level. */
function acrForLevel(level: number, acrLevels: Readonly<Record<string, number>> = ACR_LEVELS): string {
  const named = Object.entries(acrLevels).find(([, value]) => value === level);
  return named ? named[0] : String(level);
}

export type StepUpDecision =
  | { ok: true }
  | { ok: false; acrValues: string; maxAgeSeconds: number | undefined; reason: "level_too_low" | "authentication_too_old" };

export function checkStepUp(
  rule: StepUpRule,
  claims: { acr: string | undefined; authTime: number | undefined },
  nowSeconds: number,
  acrLevels: Readonly<Record<string, number>> = ACR_LEVELS,
): StepUpDecision {
  const acrValues = acrForLevel(rule.level, acrLevels);
  if (levelOfAcr(claims.acr, acrLevels) < rule.level) {
    return { ok: false, acrValues, maxAgeSeconds: rule.maxAgeSeconds, reason: "level_too_low" };
  }
  if (rule.maxAgeSeconds !== undefined && (claims.authTime === undefined || nowSeconds - claims.authTime > rule.maxAgeSeconds)) {
    return { ok: false, acrValues, maxAgeSeconds: rule.maxAgeSeconds, reason: "authentication_too_old" };
  }
  return { ok: true };
}

export const STEP_UP_MESSAGE = "A stronger or more recent authentication is required for this action.";

/** RFC 9470 §3: `Bearer error="insufficient_user_authentication"` with acr_values and, where recent authentication counts, max_age. */
export function stepUpChallenge(acrValues: string, maxAgeSeconds: number | undefined): string {
  const parts = [
    `Bearer error="insufficient_user_authentication"`,
    `error_description="${STEP_UP_MESSAGE}"`,
    `acr_values="${acrValues}"`,
  ];
  if (maxAgeSeconds !== undefined) parts.push(`max_age=${maxAgeSeconds}`);
  return parts.join(", ");
}
