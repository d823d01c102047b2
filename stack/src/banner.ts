// What `npm start` prints once everything is ready: where to go, who to sign in as.
import { relative } from "node:path";
import { demoUsers } from "./keycloak/demo-users.ts";
import { ssfPushNotice } from "./keycloak/keycloak-server.ts";
import { mockIdentityProviders } from "./keycloak/mock-identity-providers.ts";
import { repoRoot, type StackConfig } from "./stack-config.ts";

export function printBanner(config: StackConfig, elapsedMs: number | undefined): void {
  const providerUsers = mockIdentityProviders.flatMap((p) => p.users.map((u) => ({ ...u, provider: p.displayName })));
  const width = Math.max(...[...demoUsers, ...providerUsers].map((u) => u.email.length)) + 2;
  const passwordWidth = Math.max(...providerUsers.map((u) => u.password.length)) + 3;
  const lines = [
    "",
    elapsedMs === undefined ? "  The stack is running." : `  The stack is up (${Math.round(elapsedMs / 1000)} s). Open the web app and sign in.`,
    "",
    `  Web app          ${config.webUrl}`,
    // The production topology's password is generated and stays out of terminals and their scrollback.
    config.production
      ? `  Keycloak admin   ${config.keycloakUrl}/admin/   user ${config.admin.user}, password: keycloakAdminPassword in ${relative(repoRoot, config.stateDir) || config.stateDir}/secrets.json (or the KEYCLOAK_ADMIN_PASSWORD you set)`
      : `  Keycloak admin   ${config.keycloakUrl}/admin/   user ${config.admin.user}, password ${config.admin.password} (dev only)`,
    `  Account console  ${config.keycloakUrl}/realms/${config.realm}/account`,
    `  Strapi API       ${config.cmsUrl}/api   (Bearer: a Keycloak access token)`,
    `  Mail inbox       ${config.mailUrl}   (SMTP on localhost:${config.ports.smtp})`,
    ...(ssfPushNotice(config) ? ["", `  Revocation: ${ssfPushNotice(config)}`] : []),
    "",
    "  Demo accounts (dev only):",
    ...demoUsers.map((u) => `    ${u.email.padEnd(width)}${u.password}${u.extraRoles.length ? `   roles: user, ${u.extraRoles.join(", ")}` : ""}`),
    ...(config.devOverlay
      ? [
          "",
          "  Accounts at the mock providers (their buttons on the sign-in page; dev only):",
          ...providerUsers.map((u) => `    ${u.email.padEnd(width)}${u.password.padEnd(passwordWidth)}at ${u.provider}`),
        ]
      : []),
    "",
    `  Logs in ${relative(repoRoot, config.stateDir) || config.stateDir}/logs/. Ctrl-C stops everything.`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
