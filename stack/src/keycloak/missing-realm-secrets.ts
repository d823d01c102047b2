// Keycloak resolves the realm file's `${VAR}` placeholders at import and keeps
// the text of one it cannot resolve: an unset KEYCLOAK_WEB_CLIENT_SECRET makes
// the `web` client's secret the string "${KEYCLOAK_WEB_CLIENT_SECRET}", which
// anyone who reads this repository knows. The production topology therefore
// refuses to start while any secret placeholder has no value.
//
// The rule:
//   - a secret placeholder is a `${...}` in a string of the realm file whose
//     variable name (before the first `:`, each name of an `a,b` alternative)
//     contains SECRET or PASSWORD, in any case;
//   - it is missing when what Keycloak would import for that string is the
//     placeholder text (no variable set and no default) or empty (a variable
//     set to "", or an empty default `${VAR:}` with the variable unset);
//   - one exception: the SMTP password counts only when `smtpServer.auth`
//     resolves to "true". Keycloak sends no credentials otherwise, and the file
//     gives it an empty default for relays without authentication.
// A non-empty default (`${KEYCLOAK_GITHUB_CLIENT_SECRET:unset}`) is a value: it
// belongs to a provider the file keeps disabled until it is configured.
import { resolvePlaceholders, type VariableLookup } from "../realm-check/resolve-placeholders.ts";

export interface MissingRealmSecret {
  /** The placeholder as written in the file, e.g. `${KEYCLOAK_WEB_CLIENT_SECRET}`. */
  placeholder: string;
  /** Where in the file, e.g. `clients[web].secret`. */
  path: string;
}

export class RealmSecretsError extends Error {
  readonly code = "ERR_REALM_SECRET_UNSET";
  readonly missing: MissingRealmSecret[];

  constructor(missing: MissingRealmSecret[]) {
    super(
      "Refusing to start in production mode: these secret placeholders of keycloak/realm-export.json have no value, " +
        "and Keycloak would import their text (or an empty string) as the secret:\n" +
        missing.map((m) => `  - ${m.placeholder} (${m.path})`).join("\n") +
        "\nSet each variable in Keycloak's environment.",
    );
    this.missing = missing;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SECRET_NAME = /SECRET|PASSWORD/i;
const PLACEHOLDER = /\$\{[^}]*\}/g;

const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === "object" && value !== null && !Array.isArray(value);

/** Array elements by the name Keycloak knows them by, as realm:check names them. */
function elementName(item: Json, index: number): string {
  if (isObject(item)) {
    for (const key of ["clientId", "alias", "name"]) if (typeof item[key] === "string") return item[key];
  }
  return String(index);
}

/** Every secret placeholder of `realmText` that would import as its own text or as "". */
export function missingRealmSecrets(realmText: string, lookup: VariableLookup): MissingRealmSecret[] {
  // The file's placeholders sit inside JSON strings, so the raw text parses.
  const realm = JSON.parse(realmText) as Json;
  const resolved = (text: string) => resolvePlaceholders(text, lookup);
  const smtp = isObject(realm) && isObject(realm.smtpServer) ? realm.smtpServer : undefined;
  const smtpAuth = typeof smtp?.auth === "string" ? resolved(smtp.auth).text : smtp?.auth;
  const smtpAuthOn = smtpAuth === true || smtpAuth === "true";

  const missing: MissingRealmSecret[] = [];
  const walk = (value: Json, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${elementName(item, i)}]`));
    else if (isObject(value)) for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    else if (typeof value === "string" && value.includes("${")) {
      const resolution = resolved(value);
      if (!resolution.used.some((name) => SECRET_NAME.test(name))) return;
      if (path === "smtpServer.password" && !smtpAuthOn) return;
      if (resolution.unresolved.length === 0 && resolution.text !== "") return;
      for (const placeholder of value.match(PLACEHOLDER) ?? []) {
        if (SECRET_NAME.test(placeholder) && !missing.some((m) => m.placeholder === placeholder && m.path === path)) missing.push({ placeholder, path });
      }
    }
  };
  walk(realm, "");
  return missing;
}

/** Throws one RealmSecretsError naming every missing secret placeholder; never prints a value. */
export function assertRealmSecretsSet(realmText: string, lookup: VariableLookup): void {
  const missing = missingRealmSecrets(realmText, lookup);
  if (missing.length > 0) throw new RealmSecretsError(missing);
}
