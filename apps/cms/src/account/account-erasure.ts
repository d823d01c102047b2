// What the API does when Keycloak says every session of a user has ended
// (session-revoked with session id "ALL": an admin's sign-out, or our
// extension's signal for a deleted account). Only a user Keycloak no longer
// has is erased; a disabled or merely signed-out user keeps everything.
// Runs before the push is acknowledged, so a failure answers 503 and
// Keycloak's outbox delivers the SET again.
// docs/decisions/0110-erasure-on-account-deletion.md.
import type { UserPresence } from "./keycloak-user-directory";

export interface AccountErasureOptions {
  presence(sub: string): Promise<UserPresence>;
  erase(sub: string): Promise<{ user: boolean; notes: number; articles: number }>;
  onErased?: (result: { user: boolean; notes: number; articles: number }) => void;
}

export type ErasureOutcome = "kept" | "erased";

export function createAccountErasure(options: AccountErasureOptions) {
  return async (sub: string): Promise<ErasureOutcome> => {
    if ((await options.presence(sub)) === "present") return "kept";
    const result = await options.erase(sub);
    options.onErased?.(result);
    return "erased";
  };
}
