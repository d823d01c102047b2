// What web-session tests arrange through Keycloak's admin API: disposable
// users, their sessions, the realm's login events, and the web client's
// access-token lifetime. Everything a test changes it can undo.
import { randomUUID } from "node:crypto";
import { createAdminClient, type AdminClient } from "@stack/runner/keycloak/admin-client";
import type { StackEnv } from "./stack-env.ts";

const STORED_FOR_TESTS = ["REFRESH_TOKEN", "REFRESH_TOKEN_ERROR", "LOGIN", "LOGOUT", "CODE_TO_TOKEN"];
// What an empty `enabledEventTypes` stores, made explicit so adding to it keeps it.
const DEFAULT_STORED_EVENTS = [
  "LOGIN", "LOGIN_ERROR", "REGISTER", "REGISTER_ERROR", "LOGOUT", "LOGOUT_ERROR", "CODE_TO_TOKEN", "CODE_TO_TOKEN_ERROR",
  "UPDATE_PASSWORD", "UPDATE_PASSWORD_ERROR", "UPDATE_PROFILE", "UPDATE_PROFILE_ERROR", "UPDATE_EMAIL", "VERIFY_EMAIL",
  "VERIFY_EMAIL_ERROR", "SEND_VERIFY_EMAIL", "SEND_VERIFY_EMAIL_ERROR", "SEND_RESET_PASSWORD", "SEND_RESET_PASSWORD_ERROR",
  "RESET_PASSWORD", "RESET_PASSWORD_ERROR", "IDENTITY_PROVIDER_LINK_ACCOUNT", "IDENTITY_PROVIDER_FIRST_LOGIN",
  "IDENTITY_PROVIDER_LOGIN", "FEDERATED_IDENTITY_LINK", "REMOVE_FEDERATED_IDENTITY", "DELETE_ACCOUNT",
];
// Failed introspections count too: each is a call Keycloak served.
const INTROSPECTION_EVENTS = ["INTROSPECT_TOKEN", "INTROSPECT_TOKEN_ERROR"] as const;
const LIFESPAN = "access.token.lifespan";

export interface DisposableUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

export interface RealmAdmin {
  readonly client: AdminClient;
  /** A fresh verified user, so tests neither share sessions nor count each other's events. */
  createUser(label: string): Promise<DisposableUser>;
  deleteUser(user: DisposableUser): Promise<void>;
  /** Ends every Keycloak session of the user (admin console: Sign out); Keycloak then calls each client's back-channel logout URL. */
  logoutUser(user: DisposableUser): Promise<void>;
  /**
   * Disables the user exactly as an admin does in the console (enabled = false,
   * nothing else). Ending the user's sessions is the realm's job: the
   * disabled-user-logout extension (keycloak/extensions/) does it on this very
   * update, so every test that disables someone also proves the extension.
   */
  disableUser(user: DisposableUser): Promise<void>;
  /** Enables a disabled user again (enabled = true, nothing else). */
  enableUser(user: DisposableUser): Promise<void>;
  /**
   * Makes Keycloak store the login events `countEvents` reads (REFRESH_TOKEN is
   * not stored by default). Call it before the events happen: Keycloak does not
   * store an event after the fact.
   */
  storeLoginEvents(): Promise<void>;
  /**
   * Makes Keycloak store its INTROSPECT_TOKEN events (not stored by default),
   * which `countIntrospections` reads. Call it before the introspections happen.
   */
  storeIntrospectionEvents(): Promise<void>;
  /** Token introspections by `clientId` (the caller) since `since`, as Keycloak recorded them. */
  countIntrospections(clientId: string, since: number): Promise<number>;
  /** Login events of one user for the web client since `since`, by type. */
  countEvents(user: DisposableUser, since: number, type: "REFRESH_TOKEN" | "REFRESH_TOKEN_ERROR" | "LOGIN" | "LOGOUT"): Promise<number>;
  /**
   * Makes sure the web client's access tokens live at most `maxSeconds` (setting
   * `shortSeconds` when they live longer) and stores login events, so a test can
   * watch refreshes; returns the effective lifetime and a function that restores
   * what was there.
   */
  shortAccessTokens(maxSeconds: number, shortSeconds: number): Promise<{ lifetimeSeconds: number; restore: () => Promise<void> }>;
  /**
   * Runs `issue` while the web client's access tokens live `seconds`, then
   * restores the previous setting. Tokens issued meanwhile keep their `exp`:
   * for a test or a measurement that needs a token which outlives it.
   */
  withWebAccessTokenLifespan<T>(seconds: number, issue: () => Promise<T>): Promise<T>;
}

export async function realmAdmin(stack: StackEnv): Promise<RealmAdmin> {
  const client = await createAdminClient({ keycloakUrl: stack.keycloakUrl, user: stack.adminUser, password: stack.adminPassword, realm: stack.realm });
  const realm = stack.realm;

  // Keycloak does not store REFRESH_TOKEN events by default (its "save by
  // default" flag is off), so storeLoginEvents adds them to what the realm stores.
  async function eventsConfig() {
    const config = await client.realms.getConfigEvents({ realm });
    const listed = config.enabledEventTypes?.length ? config.enabledEventTypes : DEFAULT_STORED_EVENTS;
    return { config, listed, stored: config.eventsEnabled ? listed : [] };
  }

  async function storeEventTypes(types: string[]): Promise<void> {
    const { config, listed, stored } = await eventsConfig();
    if (types.every((type) => stored.includes(type))) return;
    await client.realms.updateConfigEvents(
      { realm },
      { ...config, eventsEnabled: true, enabledEventTypes: [...new Set([...listed, ...types])] },
    );
  }

  const storeLoginEvents = () => storeEventTypes(STORED_FOR_TESTS);

  async function webClient() {
    const [web] = await client.clients.find({ realm, clientId: stack.webClientId });
    if (!web?.id) throw new Error(`realm ${realm} has no client ${stack.webClientId}`);
    return web as typeof web & { id: string };
  }

  /** Sets the web client's access-token lifespan; returns a function that restores the previous one. */
  async function setWebAccessTokenLifespan(seconds: number): Promise<() => Promise<void>> {
    if (!Number.isInteger(seconds) || seconds < 1) throw new TypeError("seconds must be a positive whole number");
    const web = await webClient();
    const original = web.attributes?.[LIFESPAN] as string | undefined;
    await client.clients.update({ realm, id: web.id }, { ...web, attributes: { ...web.attributes, [LIFESPAN]: String(seconds) } });
    return async () => {
      const current = await client.clients.findOne({ realm, id: web.id });
      const attributes = { ...current?.attributes };
      if (original === undefined) delete attributes[LIFESPAN];
      else attributes[LIFESPAN] = original;
      await client.clients.update({ realm, id: web.id }, { ...current, attributes });
    };
  }

  return {
    client,

    async createUser(label) {
      const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
      const password = `pw-${randomUUID()}`;
      const { id } = await client.users.create({
        realm,
        username: email,
        email,
        emailVerified: true,
        enabled: true,
        firstName: "Test",
        lastName: label,
        credentials: [{ type: "password", value: password, temporary: false }],
      });
      return { id, email, password, name: `Test ${label}` };
    },

    async deleteUser(user) {
      await client.users.del({ realm, id: user.id }).catch(() => undefined);
    },

    async logoutUser(user) {
      await client.users.logout({ realm, id: user.id });
    },

    async disableUser(user) {
      const current = await client.users.findOne({ realm, id: user.id });
      await client.users.update({ realm, id: user.id }, { ...current, enabled: false });
    },

    async enableUser(user) {
      const current = await client.users.findOne({ realm, id: user.id });
      await client.users.update({ realm, id: user.id }, { ...current, enabled: true });
    },

    storeLoginEvents,

    storeIntrospectionEvents: () => storeEventTypes([...INTROSPECTION_EVENTS]),

    async countIntrospections(clientId, since) {
      const { stored } = await eventsConfig();
      // A count of events Keycloak does not store is always 0: refuse it rather than pass a test by accident.
      if (!INTROSPECTION_EVENTS.every((type) => stored.includes(type))) {
        throw new Error(`realm ${realm} does not store introspection events: call storeIntrospectionEvents() before they happen`);
      }
      const events = await client.realms.findEvents({ realm, client: clientId, type: [...INTROSPECTION_EVENTS], max: 10_000 });
      return events.filter((event) => (event.time ?? 0) >= since).length;
    },

    async countEvents(user, since, type) {
      // A count of events Keycloak does not store is always 0: refuse it rather than pass a test by accident.
      if (!(await eventsConfig()).stored.includes(type)) {
        throw new Error(`realm ${realm} does not store ${type} events: call storeLoginEvents() before the events happen`);
      }
      const events = await client.realms.findEvents({ realm, user: user.id, client: stack.webClientId, type, max: 1000 });
      return events.filter((event) => (event.time ?? 0) >= since).length;
    },

    async shortAccessTokens(maxSeconds, shortSeconds) {
      await storeLoginEvents();
      const web = await webClient();
      const configured = Number(web.attributes?.[LIFESPAN] ?? 0);
      const realmDefault = (await client.realms.findOne({ realm }))?.accessTokenLifespan ?? 300;
      const effective = configured > 0 ? configured : realmDefault;
      // The test overlay usually sets a short lifetime already; then nothing changes.
      if (effective <= maxSeconds) return { lifetimeSeconds: effective, restore: async () => {} };
      return { lifetimeSeconds: shortSeconds, restore: await setWebAccessTokenLifespan(shortSeconds) };
    },

    async withWebAccessTokenLifespan(seconds, issue) {
      const restore = await setWebAccessTokenLifespan(seconds);
      try {
        return await issue();
      } finally {
        await restore();
      }
    },
  };
}
