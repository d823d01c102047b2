import type { SessionEndCode, SessionUnavailableCode } from "../auth-error";

/** The parts of the current session the renew-once policy works with (current-session.ts). */
export interface SessionForApi {
  getAccessToken(): Promise<string | null>;
  renewAccessToken(rejected: string): Promise<{ ok: true; accessToken: string } | { ok: false; code: SessionEndCode | SessionUnavailableCode }>;
  endSession(code: SessionEndCode): Promise<never>;
  isSignInUnavailable(): Promise<boolean>;
  showSignInUnavailable(): never;
}

/** One API call's use of the session. */
export interface ApiAccess {
  /** The access token to send; null only for a call that may go anonymous. */
  readonly token: string | null;
  /**
   * The API answered 401 to the last token sent. Answers with the token to
   * retry with (once per call); otherwise it does not return: it ends the
   * session, or shows the "sign-in service unavailable" page (session kept).
   */
  rejected(): Promise<string>;
}

/**
 * The session policy for calls to an API that trusts Keycloak's tokens
 * (docs/decisions/0005-one-cms-client-renew-once.md): a `user` call needs a
 * token (none: the session has ended, or the sign-in service is down); a 401
 * renews the token once, unless another request already did; a second 401,
 * or a 401 to a call sent without a token, ends the session. An outage of
 * the sign-in service never ends a session. The API client only asks for a
 * token and reports a 401.
 */
export function createApiAccess(session: SessionForApi): (need: "user" | "optional") => Promise<ApiAccess> {
  const unavailableOrEnded = async (code: SessionEndCode | SessionUnavailableCode): Promise<never> =>
    code === "refresh_unavailable" ? session.showSignInUnavailable() : session.endSession(code);

  return async (need) => {
    let token = await session.getAccessToken();
    if (!token && need === "user") {
      await ((await session.isSignInUnavailable()) ? session.showSignInUnavailable() : session.endSession("session_not_found"));
    }
    let renewed = false;
    return {
      get token() {
        return token;
      },
      async rejected() {
        if (!token) return session.endSession("session_not_found");
        if (renewed) return session.endSession("api_rejected_session");
        renewed = true;
        const outcome = await session.renewAccessToken(token);
        if (!outcome.ok) return unavailableOrEnded(outcome.code);
        token = outcome.accessToken;
        return token;
      },
    };
  };
}
