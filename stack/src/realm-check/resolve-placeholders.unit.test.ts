// Each case mirrors a rule of Keycloak's StringPropertyReplacer as its realm
// import uses it (environment variables only).
import { describe, expect, it } from "vitest";
import { resolvePlaceholders } from "./resolve-placeholders.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const resolve = (text: string, vars: Record<string, string> = {}) => resolvePlaceholders(text, env(vars)).text;

describe("resolvePlaceholders", () => {
  it("replaces a set variable and leaves text around it alone", () => {
    expect(resolve("a ${WEB_URL}/cb b", { WEB_URL: "https://app.example" })).toBe("a https://app.example/cb b");
  });

  it("leaves an unset variable without default as it is, and reports it", () => {
    const result = resolvePlaceholders('{"secret": "${KEYCLOAK_WEB_CLIENT_SECRET}"}', env({}));
    expect(result.text).toBe('{"secret": "${KEYCLOAK_WEB_CLIENT_SECRET}"}');
    expect(result.unresolved).toEqual(["${KEYCLOAK_WEB_CLIENT_SECRET}"]);
  });

  it("uses the default after the first colon when the variable is unset", () => {
    expect(resolve("${WEB_URL:http://localhost:3000}/x")).toBe("http://localhost:3000/x");
    expect(resolve("${A:b:c}")).toBe("b:c");
  });

  it("takes an empty variable as a value, not as unset", () => {
    expect(resolve("[${SMTP_USER:nobody}]", { SMTP_USER: "" })).toBe("[]");
  });

  it("allows an empty default", () => {
    expect(resolve("[${SMTP_USER:}]")).toBe("[]");
  });

  it("asks for the whole key first, colon included", () => {
    expect(resolve("${A:b}", { "A:b": "whole", A: "part" })).toBe("whole");
  });

  it("tries both halves of a composite key, then the default", () => {
    expect(resolve("${A,B}", { B: "second" })).toBe("second");
    expect(resolve("${A,B}", { A: "first", B: "second" })).toBe("first");
    expect(resolve("${A,B:dflt}")).toBe("dflt");
    expect(resolve("${A,B}")).toBe("${A,B}");
    expect(resolve("${,B}", { B: "only" })).toBe("only");
  });

  it("knows the separator aliases", () => {
    expect(resolve("${/}x${:}y")).toBe("/x:y");
  });

  it("resolves nested placeholders inside a key first", () => {
    expect(resolve("${HOST_${ENV:prod}:none}", { HOST_prod: "p.example" })).toBe("p.example");
    expect(resolve("${A:${B:deep}}")).toBe("deep");
    expect(resolve("${A:${B}}", { B: "from-b" })).toBe("from-b");
  });

  it("resolves placeholders inside a variable's value again", () => {
    expect(resolve("${A}", { A: "x-${B}", B: "y" })).toBe("x-y");
  });

  it("keeps an unclosed placeholder as text", () => {
    expect(resolve("x ${A:b")).toBe("x ${A:b");
  });

  it("passes `$` and its next character through together", () => {
    expect(resolve("$${A}", { A: "no" })).toBe("$${A}");
    expect(resolve("cost: $5 ${A}", { A: "yes" })).toBe("cost: $5 yes");
    expect(resolve("${A$}B:d}")).toBe("d");
  });

  it("lists the variables it read", () => {
    expect(resolvePlaceholders("${A:1} ${B} ${A}", env({ B: "2" })).used).toEqual(["A", "B"]);
  });

  it("resolves the realm file's own placeholders to valid JSON", async () => {
    const { readFileSync } = await import("node:fs");
    const { realmFile } = await import("../keycloak/keycloak-server.ts");
    const result = resolvePlaceholders(readFileSync(realmFile, "utf8"), env({ KEYCLOAK_WEB_CLIENT_SECRET: "w", KEYCLOAK_CMS_CLIENT_SECRET: "c", KEYCLOAK_PUBLISHER_CLIENT_SECRET: "p" }));
    expect(result.unresolved).toEqual([]);
    const realm = JSON.parse(result.text) as { clients: { clientId: string; redirectUris?: string[] }[] };
    expect(realm.clients.find((client) => client.clientId === "web")?.redirectUris).toEqual(["http://localhost:3000/api/auth/callback/keycloak"]);
  });
});
