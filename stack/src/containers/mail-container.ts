// The mail catcher from MailDev's image, at the version the native runner
// starts (stack/src/parts/mail-catcher.ts), on the same ports: Keycloak sends
// to the SMTP port and tests read the inbox's HTTP API, wherever each runs.
import { join } from "node:path";
import type { StackConfig } from "../stack-config.ts";
import { maildevImage } from "./container-images.ts";
import type { BindMountSpec, ContainerSpec } from "./container-spec.ts";

const MAIL_DIRECTORY = "/mail";

export interface MailContainerOptions {
  /** `uid:gid` that owns the stack's state folder (dev keeps its inbox there). */
  user: string;
}

export function mailContainer(config: StackConfig, options: MailContainerOptions): ContainerSpec {
  // Settings through MailDev's own variables rather than flags: the image's
  // HEALTHCHECK reads MAILDEV_WEB_PORT, so it probes the port actually used.
  const env: Record<string, string> = {
    MAILDEV_SMTP_PORT: String(config.ports.smtp),
    MAILDEV_WEB_PORT: String(config.ports.mailUi),
    // Inside a container the loopback address would be unreachable from the host.
    MAILDEV_IP: "0.0.0.0",
    MAILDEV_WEB_IP: "0.0.0.0",
    // Bounded: a long-running dev stack must not grow without limit.
    MAILDEV_MAX_EMAILS: "500",
  };
  const bindMounts: BindMountSpec[] = [];
  let user: string | undefined;
  // Dev keeps its inbox across restarts; a test run starts with an empty one.
  if (config.profile === "dev") {
    env.MAILDEV_MAIL_DIRECTORY = MAIL_DIRECTORY;
    bindMounts.push({ source: join(config.stateDir, "mail"), target: MAIL_DIRECTORY, mode: "rw" });
    user = options.user;
  }
  return {
    name: "mail",
    image: maildevImage(),
    command: [],
    env,
    ports: [
      { container: config.ports.smtp, host: config.ports.smtp },
      { container: config.ports.mailUi, host: config.ports.mailUi },
    ],
    bindMounts,
    extraHosts: [],
    user,
    wait: { kind: "http", path: "/api/healthz", port: config.ports.mailUi, status: 200 },
    startupTimeoutMs: 30_000,
    stopTimeoutMs: 3_000,
  };
}
