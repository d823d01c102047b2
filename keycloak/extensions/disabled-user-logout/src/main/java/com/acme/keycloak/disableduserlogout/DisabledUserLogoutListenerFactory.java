package com.acme.keycloak.disableduserlogout;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.UserModel;

/**
 * Registers the {@code disabled-user-logout} event listener (found through
 * META-INF/services/org.keycloak.events.EventListenerProviderFactory).
 *
 * <p>Not global: a realm opts in by listing the id in its {@code eventsListeners}
 * (keycloak/realm-export.json does), so the behaviour is part of the realm as
 * code and {@code npm run realm:check} notices a live realm without it.
 */
public final class DisabledUserLogoutListenerFactory implements EventListenerProviderFactory {

    /** The id a realm lists in {@code eventsListeners}. */
    public static final String ID = "disabled-user-logout";

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        // One listener per request: it acts inside the admin request's own
        // session, where the update that disabled the user is not yet committed.
        return new DisabledUserLogoutListener(session);
    }

    @Override
    public void init(Config.Scope config) {
        // No settings: what "disabled" means is not configurable.
    }

    /**
     * Keycloak removes a deleted user's sessions without telling the clients
     * (no back-channel logout), whether an admin deleted the user or the person
     * used the {@code delete_account} action: the web app would keep showing
     * them signed in until its next refresh failed. Just before the removal,
     * the sessions are ended the way "Sign out" ends them, so each client hears
     * of it at once. Only realms that list this listener are touched.
     */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (!(event instanceof UserModel.UserPreRemovedEvent removed)) return;
            if (removed.getRealm().getEventsListenersStream().noneMatch(ID::equals)) return;
            SignOutEverywhere.signOut(removed.getKeycloakSession(), removed.getRealm(), removed.getUser());
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
