package com.acme.keycloak.disableduserlogout;

import java.util.Optional;

/**
 * Reads the user id out of an admin event's resource path.
 *
 * <p>Admin events name their resource relative to the realm: {@code users/{id}}
 * for the user itself, {@code users/{id}/...} for things that belong to it
 * (for example {@code users/{id}/disable-credential-types}, also an UPDATE on
 * resource USER).
 */
final class UserResourcePath {

    private static final String PREFIX = "users/";

    private UserResourcePath() {
    }

    static Optional<String> userId(String resourcePath) {
        if (resourcePath == null || !resourcePath.startsWith(PREFIX)) return Optional.empty();
        String rest = resourcePath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }
}
