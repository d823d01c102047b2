// .env.example is the one list of settings: every variable the apps read, every
// variable docker-compose.yml interpolates, every realm-file placeholder; no
// secret filled in; no variable that nothing reads.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "../stack-config.ts";

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");

/** NAME=value lines, active or commented out (`# NAME=value ...`). */
function exampleEntries(): { name: string; value: string; active: boolean }[] {
  return read(".env.example")
    .split("\n")
    .flatMap((line) => {
      const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(\S*)/.exec(line);
      return match ? [{ name: match[2]!, value: match[3]!, active: match[1] === undefined }] : [];
    });
}

/** The web app's settings: the keys of its one config schema. */
function webVariables(): string[] {
  const source = read("apps/web/src/server/config/web-config.ts");
  const schema = source.slice(source.indexOf("const schema = z.object({"), source.indexOf("});", source.indexOf("const schema = z.object({")));
  return [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
}

/** The CMS's settings: the keys of its one config schema. */
function cmsVariables(): string[] {
  const source = read("apps/cms/src/config/cms-settings.ts");
  const schema = source.slice(source.indexOf("const settings = z.object({"), source.indexOf("});", source.indexOf("const settings = z.object({")));
  return [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
}

function realmPlaceholders(): string[] {
  return [...new Set([...read("keycloak/realm-export.json").matchAll(/\$\{([A-Za-z0-9_]+)[:}]/g)].map((match) => match[1]!))];
}

/**
 * Every variable docker-compose.yml references, once each: `${NAME:?message}`
 * is required, `${NAME:-default}` has a default (the file uses no other form;
 * Compose itself checks the file in docker-compose.unit.test.ts).
 */
function composeVariables(): { name: string; required: boolean; fallback?: string }[] {
  const byName = new Map<string, { name: string; required: boolean; fallback?: string }>();
  // The parsed file's values, so that comments do not count.
  const values = JSON.stringify(parse(read("docker-compose.yml"), { merge: true }));
  for (const [, name, operator, argument] of values.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-?])([^}]*))?\}/g)) {
    const known = byName.get(name!) ?? { name: name!, required: false };
    if (operator === ":?") known.required = true;
    else if (operator === ":-" && known.fallback === undefined) known.fallback = argument;
    byName.set(name!, known);
  }
  return [...byName.values()];
}

describe(".env.example", () => {
  const entries = exampleEntries();
  const names = new Set(entries.map((entry) => entry.name));

  it("lists every variable the web app and the CMS read", () => {
    const web = webVariables();
    const cms = cmsVariables();
    // Sanity: the extraction found the configs (a rename would otherwise pass silently).
    expect(web).toEqual(expect.arrayContaining(["WEB_URL", "AUTH_SECRET", "KEYCLOAK_ISSUER", "REDIS_URL"]));
    expect(cms).toEqual(expect.arrayContaining(["APP_KEYS", "JWT_SECRET", "DATABASE_URL", "KEYCLOAK_REVOCATION_WINDOW_SECONDS", "NODE_ENV"]));
    expect([...web, ...cms].filter((name) => !names.has(name))).toEqual([]);
  });

  it("lists every variable docker-compose.yml uses, with compose's defaults, and leaves every required secret empty", () => {
    const active = new Map(entries.filter((entry) => entry.active).map((entry) => [entry.name, entry.value]));
    for (const variable of composeVariables()) {
      expect(active.has(variable.name), `${variable.name} is not set in .env.example`).toBe(true);
      if (variable.required) expect(active.get(variable.name), `${variable.name} is a secret: leave it empty`).toBe("");
      else expect(active.get(variable.name), `${variable.name} differs from compose's default`).toBe(variable.fallback ?? "");
    }
  });

  it("lists every placeholder of keycloak/realm-export.json", () => {
    expect(realmPlaceholders().filter((name) => !names.has(name))).toEqual([]);
  });

  it("lists nothing that no app, compose file or realm file reads", () => {
    const known = new Set([...webVariables(), ...cmsVariables(), ...realmPlaceholders(), ...composeVariables().map((v) => v.name)]);
    // Read by Strapi and Next themselves rather than by our config modules.
    for (const name of ["HOST", "PORT", "STRAPI_TELEMETRY_DISABLED", "BROWSER"]) known.add(name);
    expect([...names].filter((name) => !known.has(name))).toEqual([]);
  });

  it("fills in no secret", () => {
    for (const entry of entries.filter((e) => e.active && /SECRET|PASSWORD|SALT|APP_KEYS|ENCRYPTION_KEY/.test(e.name))) {
      expect(["", "unset"], `${entry.name}=${entry.value}`).toContain(entry.value);
    }
  });
});
