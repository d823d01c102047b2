/**
 * RFC 9470 (OAuth 2.0 Step Up Authentication Challenge): Strapi answers a
 * token below the action's level with 401 and
 * `WWW-Authenticate: Bearer error="insufficient_user_authentication", acr_values="…"`
 * (and `max_age`). This reads that challenge; anything else is not a step-up.
 */
export interface StepUpChallenge {
  /** Space-separated acr values to ask Keycloak for. */
  acrValues: string;
  /** Seconds; present when recent authentication is required. */
  maxAge?: number;
}

const AUTH_PARAM = /([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
const ACR_VALUES = /^[A-Za-z0-9_:.-]+( [A-Za-z0-9_:.-]+)*$/;

export function parseStepUpChallenge(header: string | null): StepUpChallenge | undefined {
  if (!header || !/^Bearer\s/i.test(header.trim())) return undefined;
  const params = new Map<string, string>();
  for (const match of header.matchAll(AUTH_PARAM)) {
    const name = match[1]!.toLowerCase();
    if (!params.has(name)) params.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3]!);
  }
  if (params.get("error") !== "insufficient_user_authentication") return undefined;
  const acrValues = params.get("acr_values");
  if (acrValues === undefined || !ACR_VALUES.test(acrValues) || acrValues.length > 200) return undefined;
  const maxAgeRaw = params.get("max_age");
  const maxAge = maxAgeRaw !== undefined && /^[0-9]{1,9}$/.test(maxAgeRaw) ? Number(maxAgeRaw) : undefined;
  return maxAge === undefined ? { acrValues } : { acrValues, maxAge };
}

/** Thrown by the CMS client for a step-up challenge: the session is fine, the person must authenticate more strongly. */
export class StepUpRequiredError extends Error {
  constructor(readonly challenge: StepUpChallenge) {
    super("step_up_required");
    this.name = "StepUpRequiredError";
  }
}

/** Whether an ID token's `acr` meets what the challenge asked for (the realm's acr.loa.map order). */
export function acrSatisfies(acr: string | null, acrValues: string): boolean {
  if (acr === null) return false;
  const have = LEVELS[acr] ?? (/^[0-9]$/.test(acr) ? Number(acr) : 0);
  return acrValues.split(" ").some((wanted) => have >= (LEVELS[wanted] ?? (/^[0-9]$/.test(wanted) ? Number(wanted) : Number.POSITIVE_INFINITY)));
}

// keycloak/realm-export.json `acr.loa.map`.
const LEVELS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, { password: 1, "second-factor": 2 });
