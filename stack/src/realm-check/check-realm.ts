// Reads keycloak/realm-export.json the way Keycloak imports it (placeholders
// resolved from the given variables), exports the live realm through the
// admin API, and sorts the differences: real drift, expected (a local stack's
// dev overlay), and not checkable (a placeholder with no value here).
import { readFileSync } from "node:fs";
import type { AdminClient } from "../keycloak/admin-client.ts";
import { diffRealm, type Difference } from "./realm-diff.ts";
import { resolvePlaceholders } from "./resolve-placeholders.ts";
import { unknownWebAuthnWords } from "./webauthn-words.ts";

/** What Keycloak leaves of a `${VAR}` or `${VAR:default}` it could not resolve. */
const PLACEHOLDER_TEXT = /\$\{[^}]*\}/;

const asList = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : [];

export interface CheckRealmOptions {
  admin: AdminClient;
  realm: string;
  /** Path of the realm file. */
  realmFile: string;
  /** The variables Keycloak saw when it imported the file. */
  variables: Readonly<Record<string, string | undefined>>;
  /** Paths whose differences are there by design (`a.b` also covers `a.b.c` and `a.b[x]`). */
  expected?: readonly string[];
}

export interface RealmCheckResult {
  /** Drift: the live realm is not what the file says. */
  differences: Difference[];
  /** Differences under `expected` paths. */
  expected: Difference[];
  /** Placeholders without a value here; settings that use them were not compared. */
  unresolved: string[];
}

export async function checkRealm(options: CheckRealmOptions): Promise<RealmCheckResult> {
  const resolution = resolvePlaceholders(readFileSync(options.realmFile, "utf8"), (name) => options.variables[name]);
  const file = JSON.parse(resolution.text) as Record<string, never>;
  // A partial export has the realm's settings, clients, roles, flows and
  // identity providers in the file's own format, secrets masked.
  const live = (await options.admin.realms.export({ realm: options.realm, exportClients: true, exportGroupsAndRoles: true })) as Record<string, never>;
  // The file names the realm; the live one may have been imported under another name.
  const all = diffRealm({ ...file, realm: options.realm } as never, live);

  // Keycloak imports a realm that lists an events listener it does not have,
  // and then only logs an error on every event (KC-SERVICES0083): the file
  // looks applied while what the listener does (disabled-user-logout: a
  // disabled user's sessions end) silently does not happen. The server's
  // provider list tells.
  const listed = (file as { eventsListeners?: unknown }).eventsListeners;
  if (Array.isArray(listed) && listed.length > 0) {
    const serverInfo = await options.admin.serverInfo.find();
    const installed = new Set(Object.keys(serverInfo.providers?.eventsListener?.providers ?? {}));
    for (const id of listed) {
      if (typeof id === "string" && !installed.has(id)) {
        all.push({ path: `eventsListeners[${id}]`, kind: "missing", expected: "no such provider on this Keycloak (keycloak/extensions: npm run keycloak:extensions)" });
      }
    }
  }

  // Keycloak keeps the text of a placeholder it cannot resolve: a client
  // imported while its secret's variable was unset has "${...}" as its secret,
  // known to anyone who reads the realm file. The export masks secrets; the
  // client-secret endpoint tells.
  for (const client of asList((live as { clients?: unknown }).clients)) {
    if (client.publicClient === true || client.bearerOnly === true || typeof client.id !== "string") continue;
    const credential = await options.admin.clients.getClientSecret({ realm: options.realm, id: client.id });
    if (typeof credential.value === "string" && PLACEHOLDER_TEXT.test(credential.value)) {
      all.push({
        path: `clients[${String(client.clientId)}].secret`,
        kind: "changed",
        secret: true,
        reason: "is placeholder text, not a secret (its variable was unset when Keycloak imported the file); regenerate it and give the new one to the app",
      });
    }
  }

  // Keycloak stores a WebAuthn word it does not understand as given, so file
  // and live agree while the browser ignores the setting.
  all.push(...unknownWebAuthnWords(live));

  const covers = (path: string) =>
    (options.expected ?? []).some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`));
  const uncheckable = (difference: Difference) => JSON.stringify(difference.expected ?? "").includes("${");
  return {
    differences: all.filter((difference) => !covers(difference.path) && !uncheckable(difference)),
    expected: all.filter((difference) => covers(difference.path)),
    unresolved: resolution.unresolved,
  };
}
