package com.acme.keycloak.disableduserlogout;

/**
 * What {@link SignOutEverywhere} ended, for the log line.
 *
 * @param sessions                user sessions ended, offline ones included
 * @param offlineSessions         of those, offline sessions (offline_access refresh tokens)
 * @param failedBackchannelCalls  clients with a back-channel logout URL that did not answer 2xx
 */
record SignOutResult(int sessions, int offlineSessions, int failedBackchannelCalls) {
}
