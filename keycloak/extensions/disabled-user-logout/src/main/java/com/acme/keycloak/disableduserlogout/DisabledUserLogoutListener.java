package com.acme.keycloak.disableduserlogout;

import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Ends every session of a user whom an admin has just disabled.
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
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getOperationType() != OperationType.UPDATE || event.getResourceType() != ResourceType.USER) return;
        if (event.getError() != null) return;
        Optional<String> userId = UserResourcePath.userId(event.getResourcePath());
        if (userId.isEmpty()) return;
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        if (realm == null) return;
        UserModel user = session.users().getUserById(realm, userId.get());
        // Any update of a user who is disabled now counts, not only the one that
        // flipped the switch: a disabled user has no session worth keeping, and
        // the representation that would say what changed is not available.
        if (user == null || user.isEnabled()) return;

        SignOutResult result = SignOutEverywhere.signOut(session, realm, user);
        if (result.sessions() == 0) return;
        // The user id only: usernames and emails are personal data.
        LOG.infof("disabled user %s (realm %s): ended %d session(s), %d offline; %d back-channel logout call(s) failed",
                user.getId(), realm.getName(), result.sessions(), result.offlineSessions(), result.failedBackchannelCalls());
    }

    @Override
    public void close() {
    }
}
