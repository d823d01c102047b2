// The local mail catcher: MailDev, a real SMTP server with a web inbox and an
// HTTP API (`/api/email`). Keycloak sends its mail here in dev and tests.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SupervisedChild } from "../process/child-process.ts";
import type { StackConfig } from "../stack-config.ts";

export function startMailCatcher(config: StackConfig): SupervisedChild {
  // maildev exports only its library entry (dist/index.js); its CLI sits beside it.
  const bin = join(dirname(fileURLToPath(import.meta.resolve("maildev"))), "bin", "maildev.js");
  const args = [
    bin,
    "--smtp", String(config.ports.smtp),
    "--web", String(config.ports.mailUi),
    // The inbox shows password-reset links.
    "--ip", config.bindHost,
    "--web-ip", config.bindHost,
    // Bounded: a long-running dev stack must not grow without limit.
    "--max-emails", "500",
  ];
  // Dev keeps its inbox across restarts; a test run starts with an empty one.
  if (config.profile === "dev") args.push("--mail-directory", join(config.stateDir, "mail"));
  return new SupervisedChild({
    name: "mail",
    command: process.execPath,
    args,
    cwd: config.stateDir,
    env: config.input.inherited,
    logFile: join(config.stateDir, "logs", "mail.log"),
    stopGraceMs: 5_000,
  });
}

export function mailHealthUrl(config: StackConfig): string {
  return `${config.mailUrl}/api/healthz`;
}
