package com.acme.keycloak.disableduserlogout;

import java.util.Map;
import org.keycloak.common.Profile;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.ssf.Ssf;
import org.keycloak.ssf.event.InitiatingEntity;
import org.keycloak.ssf.event.caep.CaepSessionRevoked;
import org.keycloak.ssf.event.token.SsfSecurityEventToken;
import org.keycloak.ssf.subject.ComplexSubjectId;
import org.keycloak.ssf.subject.OpaqueSubjectId;
import org.keycloak.ssf.subject.SubjectId;
import org.keycloak.ssf.transmitter.SsfTransmitterProvider;
import org.keycloak.ssf.transmitter.stream.StreamConfig;

/**
 * Sends a CAEP {@code session-revoked} event through Keycloak's Shared Signals
 * transmitter (feature {@code ssf}, experimental in Keycloak 26.7) for the
 * revocations its own event mapping leaves out: a user disabled or deleted, one
 * session deleted by an admin, a session ended by refresh-token revocation.
 *
 * <p>Built the way Keycloak's own {@code ssf-transmitter} listener builds its
 * events: the transmitter's mapper signs nothing yet, it fills a SET for one
 * receiver stream (issuer, audience, the stream's subject format), and the
 * dispatcher applies the stream's status, requested events and subject filter,
 * then enqueues the SET in the transmitter's outbox inside the current
 * transaction, so it is pushed only if the change is committed. Not
 * {@code EventEmitterService#emit}: that resolves the subject to an existing
 * user first and drops the event ({@code SUBJECT_NOT_FOUND}) once the user has
 * been deleted.
 *
 * <p>Keycloak 26.7.5's event registry knows only {@code session-revoked} and
 * {@code credential-change} (no RISC {@code account-disabled} or
 * {@code account-purged}), so "every session of this user" is
 * {@code session-revoked} with session id {@code ALL}, the shape the
 * transmitter itself sends for an admin's "Sign out".
 *
 * <p>Only {@link #sessionRevoked} may be called from code that must load
 * without the feature: it checks the feature before any SSF class is touched.
 */
final class SharedSignals {

    /** Keycloak's session id for "every session of the user" (the admin "Sign out" event). */
    static final String ALL_SESSIONS = "ALL";

    private SharedSignals() {
    }

    /**
     * Queues one {@code session-revoked} SET per receiver stream of the realm.
     *
     * @param userId    the user, or null when only the session is known (an admin deleting one session)
     * @param sessionId a session id, or {@link #ALL_SESSIONS}
     * @param reason    {@code reason_admin} (English), never personal data
     * @return the number of streams the event was handed to (0 with the feature off, the realm's
     *         transmitter off, or no stream)
     */
    static int sessionRevoked(KeycloakSession session, RealmModel realm, String userId, String sessionId, String reason) {
        if (!Profile.isFeatureEnabled(Profile.Feature.SSF)) return 0;
        return Transmitter.sessionRevoked(session, realm, userId, sessionId, reason);
    }

    /** The SSF classes, resolved only once the feature is known to be on. */
    private static final class Transmitter {

        static int sessionRevoked(KeycloakSession session, RealmModel realm, String userId, String sessionId, String reason) {
            if (!Ssf.isTransmitterEnabled(realm)) return 0;
            SsfTransmitterProvider transmitter = session.getProvider(SsfTransmitterProvider.class);
            if (transmitter == null) return 0;

            KeycloakContext context = session.getContext();
            // The transmitter finds streams, the issuer and the signing realm
            // through the context realm; user events and admin requests already
            // have it, this only makes sure of it.
            RealmModel previousRealm = context.getRealm();
            boolean switched = previousRealm == null || !previousRealm.getId().equals(realm.getId());
            if (switched) context.setRealm(realm);
            try {
                int queued = 0;
                for (StreamConfig stream : transmitter.streamService().findStreamsForSsfReceiverClients()) {
                    SsfSecurityEventToken token = transmitter.securityEventTokenMapper()
                            .generateSyntheticEvent(stream, CaepSessionRevoked.TYPE, event(reason), subject(transmitter, stream, userId, sessionId));
                    if (token == null) continue;
                    transmitter.securityEventTokenDispatcher().dispatchEvent(token, stream);
                    queued++;
                }
                return queued;
            } finally {
                if (switched) context.setRealm(previousRealm);
            }
        }

        private static CaepSessionRevoked event(String reason) {
            CaepSessionRevoked event = new CaepSessionRevoked();
            event.setInitiatingEntity(InitiatingEntity.ADMIN);
            event.setReasonAdmin(Map.of("en", reason));
            // CAEP 1.0 §2: when the change happened (the outbox may sign later).
            event.setEventTimestamp(Time.currentTime());
            return event;
        }

        /** RFC 9493 complex subject: the user in the stream's own format (when known) and the session. */
        private static SubjectId subject(SsfTransmitterProvider transmitter, StreamConfig stream, String userId, String sessionId) {
            ComplexSubjectId subject = new ComplexSubjectId();
            if (userId != null) {
                SubjectId user = transmitter.securityEventTokenMapper().buildSubjectForReceiver(stream, userId);
                if (user instanceof ComplexSubjectId complex) subject = complex;
                else subject.setUser(user);
            }
            OpaqueSubjectId session = new OpaqueSubjectId();
            session.setId(sessionId);
            subject.setSession(session);
            return subject;
        }
    }
}
