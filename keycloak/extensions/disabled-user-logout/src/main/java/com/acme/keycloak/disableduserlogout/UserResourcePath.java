package com.acme.keycloak.disableduserlogout;

import java.util.Optional;

/**
 * Reads ids out of an admin event's resource path.
 *
 * <p>Admin events name their resource relative to the realm: {@code users/{id}}
 * for the user itself, {@code users/{id}/...} for things that belong to it
 * (for example {@code users/{id}/disable-credential-types}, also an UPDATE on
 * resource USER), {@code sessions/{id}} for one session.
 */
final class UserResourcePath {

    private static final String USERS = "users/";
    private static final String SESSIONS = "sessions/";

    private UserResourcePath() {
    }

    /** The user of {@code users/{id}} or of anything under it. */
    static Optional<String> userId(String resourcePath) {
        if (resourcePath == null || !resourcePath.startsWith(USERS)) return Optional.empty();
        String rest = resourcePath.substring(USERS.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    /** The user of exactly {@code users/{id}}: the user itself, nothing under it. */
    static Optional<String> userItself(String resourcePath) {
        return lastSegment(resourcePath, USERS);
    }

    /** The session of exactly {@code sessions/{id}}. */
    static Optional<String> sessionId(String resourcePath) {
        return lastSegment(resourcePath, SESSIONS);
    }

    private static Optional<String> lastSegment(String resourcePath, String prefix) {
        if (resourcePath == null || !resourcePath.startsWith(prefix)) return Optional.empty();
        String id = resourcePath.substring(prefix.length());
        return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of(id);
    }
}
