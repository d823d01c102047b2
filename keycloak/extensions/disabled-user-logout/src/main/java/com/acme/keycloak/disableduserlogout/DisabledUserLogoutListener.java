package com.acme.keycloak.disableduserlogout;

import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.util.TokenUtil;

/**
 * Ends every session of a user whom an admin has just disabled, and tells the
 * realm's Shared Signals receivers about the revocations Keycloak's transmitter
 * does not map itself (decision record 0054).
 *
 * <p>Keycloak's "Enabled" switch alone keeps the user's SSO sessions: tokens
 * stop refreshing, but no back-channel logout reaches the applications (a web
 * app keeps rendering "signed in" until its next refresh), and re-enabling the
 * user revives the old sessions. The admin console's user form and the admin
 * REST API ({@code PUT /admin/realms/{realm}/users/{id}}) both end in one admin
 * event, UPDATE on resource USER with the path {@code users/{id}}, sent after
 * the change is applied and before it is committed.
 *
 * <p>The user is looked up by the id in the resource path, never read from the
 * event's representation: the realm keeps admin-event bodies off on purpose
 * (they can carry personal data), and then the representation is absent.
 *
 * <p>Shared Signals ({@link SharedSignals}, {@code session-revoked}; nothing
 * when the {@code ssf} feature or the realm's transmitter is off):
 * <ul>
 *   <li>user disabled (above): every session of the user ({@code ALL});</li>
 *   <li>user deleted (admin DELETE {@code users/{id}}, or the user's own
 *       DELETE_ACCOUNT): {@code ALL};</li>
 *   <li>one session deleted by an admin (DELETE {@code sessions/{id}}): that
 *       session; the event names no user, and the session is gone already;</li>
 *   <li>a refresh token revoked through {@code /revoke} (REVOKE_GRANT): the
 *       token's session, when the revocation ended it (Keycloak ends a session
 *       whose last client it detached). A session that other clients keep is
 *       not revoked: its tokens stay valid for those clients.</li>
 * </ul>
 */
public final class DisabledUserLogoutListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(DisabledUserLogoutListener.class);

    private final KeycloakSession session;

    DisabledUserLogoutListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        // User events never disable anyone here: the realm's brute-force
        // protection locks temporarily only (permanentLockout is off). Were it
        // on, a permanent lockout would leave the person's existing sessions
        // alone on purpose: a password guesser should not be able to sign the
        // real user out everywhere.
        if (event.getError() != null || event.getUserId() == null) return;
        if (event.getType() == EventType.DELETE_ACCOUNT) {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            if (realm != null) signal(realm, event.getUserId(), SharedSignals.ALL_SESSIONS, "account deleted");
        } else if (event.getType() == EventType.REVOKE_GRANT) {
            onRevokedGrant(event);
        }
    }

    private void onRevokedGrant(Event event) {
        String sessionId = event.getSessionId();
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (sessionId == null || realm == null) return;
        // Access tokens (RFC 7009 allows revoking them) end nothing in Keycloak;
        // refresh and offline tokens detach their client from the (offline) session.
        String type = event.getDetails() == null ? null : event.getDetails().get(Details.REFRESH_TOKEN_TYPE);
        boolean offline = TokenUtil.TOKEN_TYPE_OFFLINE.equals(type);
        if (!offline && !TokenUtil.TOKEN_TYPE_REFRESH.equals(type)) return;
        UserSessionModel userSession = offline
                ? session.sessions().getOfflineUserSession(realm, sessionId)
                : session.sessions().getUserSession(realm, sessionId);
        boolean ended = userSession == null || userSession.getAuthenticatedClientSessions().isEmpty();
        if (ended) signal(realm, event.getUserId(), sessionId, "refresh token revoked");
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getError() != null) return;
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) return;
        if (event.getResourceType() == ResourceType.USER && event.getOperationType() == OperationType.UPDATE) {
            UserResourcePath.userId(event.getResourcePath()).ifPresent(userId -> onUserUpdated(realm, userId));
        } else if (event.getResourceType() == ResourceType.USER && event.getOperationType() == OperationType.DELETE) {
            UserResourcePath.userItself(event.getResourcePath())
                    .ifPresent(userId -> signal(realm, userId, SharedSignals.ALL_SESSIONS, "account deleted"));
        } else if (event.getResourceType() == ResourceType.USER_SESSION && event.getOperationType() == OperationType.DELETE) {
            UserResourcePath.sessionId(event.getResourcePath())
                    .ifPresent(sessionId -> signal(realm, null, sessionId, "session deleted by an admin"));
        }
    }

    private void onUserUpdated(RealmModel realm, String userId) {
        UserModel user = session.users().getUserById(realm, userId);
        // Any update of a user who is disabled now counts, not only the one that
        // flipped the switch: a disabled user has no session worth keeping, and
        // the representation that would say what changed is not available.
        if (user == null || user.isEnabled()) return;

        SignOutResult result = SignOutEverywhere.signOut(session, realm, user);
        // Signalled even without a session left: an access token outlives the
        // session it came from, and the receiver cannot know the session ended.
        signal(realm, user.getId(), SharedSignals.ALL_SESSIONS, "account disabled");
        if (result.sessions() == 0) return;
        // The user id only: usernames and emails are personal data.
        LOG.infof("disabled user %s (realm %s): ended %d session(s), %d offline; %d back-channel logout call(s) failed",
                user.getId(), realm.getName(), result.sessions(), result.offlineSessions(), result.failedBackchannelCalls());
    }

    private void signal(RealmModel realm, String userId, String sessionId, String reason) {
        int streams = SharedSignals.sessionRevoked(session, realm, userId, sessionId, reason);
        if (streams > 0) {
            LOG.debugf("session-revoked (%s) queued for %d Shared Signals stream(s), realm %s", reason, streams, realm.getName());
        }
    }

    @Override
    public void close() {
    }
}
