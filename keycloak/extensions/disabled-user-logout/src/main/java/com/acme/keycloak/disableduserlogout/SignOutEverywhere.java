package com.acme.keycloak.disableduserlogout;

import java.util.List;
import java.util.stream.Collectors;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.light.LightweightUserAdapter;
import org.keycloak.protocol.oidc.BackchannelLogoutResponse;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Ends every session of one user the way the admin console's "Sign out" does
 * (Keycloak 26.7's UserResource#logout), and the user's offline sessions too.
 *
 * <p>Per session, {@link AuthenticationManager#backchannelLogout} calls each
 * client's back-channel logout URL with a logout token naming the session's
 * {@code sid}, so the web app drops its stored session at once, then removes
 * the session from Keycloak.
 *
 * <p>Offline sessions are ended as well, unlike the console's "Sign out" (which
 * leaves them to the Consents tab): an admin who disables someone expects all
 * access gone, and while Keycloak refuses a disabled user's offline token, it
 * would honour it again the moment the user is re-enabled. Offline tokens are
 * long-lived, so that revival would be the surprising part.
 */
final class SignOutEverywhere {

    private SignOutEverywhere() {
    }

    static SignOutResult signOut(KeycloakSession session, RealmModel realm, UserModel user) {
        // Tokens issued before now are refused wherever a session might still
        // be found (a refresh in flight, another node): the console's "Sign out"
        // sets the same. Lightweight (transient) users keep no such timestamp.
        if (!LightweightUserAdapter.isLightweightUser(user)) {
            session.users().setNotBeforeForUser(realm, user, (int) Time.currentTimeSeconds());
        }

        KeycloakContext context = session.getContext();
        // Logout tokens are signed with the context realm's keys and carry its
        // issuer; an admin request to realm X already has X as its context
        // realm, this only makes sure of it.
        RealmModel previousRealm = context.getRealm();
        boolean switched = previousRealm == null || !previousRealm.getId().equals(realm.getId());
        if (switched) context.setRealm(realm);
        // The admin request's headers (none outside an HTTP request), handed on
        // as the console's "Sign out" hands on its own.
        HttpHeaders headers = context.getHttpRequest() == null ? null : context.getHttpRequest().getHttpHeaders();
        try {
            // Collected first: logging out removes sessions from the stream's source.
            List<UserSessionModel> online = session.sessions().getUserSessionsStream(realm, user).collect(Collectors.toList());
            int failed = 0;
            for (UserSessionModel userSession : online) {
                // logoutBroker = true, as the console: a session that came through
                // an identity provider is signed out there too, where it supports it.
                failed += failedCalls(AuthenticationManager.backchannelLogout(session, realm, userSession,
                        context.getUri(), context.getConnection(), headers, true));
            }
            List<UserSessionModel> offline = session.sessions().getOfflineUserSessionsStream(realm, user).collect(Collectors.toList());
            for (UserSessionModel userSession : offline) {
                // offlineSession = true revokes the offline session (and its
                // refresh tokens) after the clients are told.
                failed += failedCalls(AuthenticationManager.backchannelLogout(session, realm, userSession,
                        context.getUri(), context.getConnection(), headers, true, true));
            }
            return new SignOutResult(online.size() + offline.size(), offline.size(), failed);
        } finally {
            if (switched) context.setRealm(previousRealm);
        }
    }

    private static int failedCalls(BackchannelLogoutResponse response) {
        if (response == null) return 0;
        return (int) response.getClientResponses().stream()
                .filter(client -> client.isWithBackchannelLogoutUrl())
                .filter(client -> client.getResponseCode().map(code -> code < 200 || code >= 300).orElse(true))
                .count();
    }
}
