import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mailHealthUrl } from "../parts/mail-catcher.ts";
import { loadStackConfig, repoRoot } from "../stack-config.ts";
import { mailContainer } from "./mail-container.ts";

const scratch = mkdtempSync(join(tmpdir(), "mail-container-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const dev = loadStackConfig("dev", { STACK_STATE_DIR: join(scratch, "dev") });
const test = loadStackConfig("test", { STACK_STATE_DIR: join(scratch, "test") });
const user = "1234:1234";

describe("mail container", () => {
  it("runs MailDev's image at the version of the npm package the native runner starts", () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, "stack", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(mailContainer(test, { user }).image).toBe(`maildev/maildev:${manifest.dependencies.maildev}`);
  });

  it("serves SMTP and the inbox on the stack's ports, reachable from outside the container", () => {
    const spec = mailContainer(test, { user });
    expect(spec.ports).toEqual([
      { container: test.ports.smtp, host: test.ports.smtp },
      { container: test.ports.mailUi, host: test.ports.mailUi },
    ]);
    expect(spec.env).toMatchObject({
      MAILDEV_SMTP_PORT: String(test.ports.smtp),
      MAILDEV_WEB_PORT: String(test.ports.mailUi),
      MAILDEV_IP: "0.0.0.0",
      MAILDEV_WEB_IP: "0.0.0.0",
      MAILDEV_MAX_EMAILS: "500",
    });
  });

  it("is ready when the inbox API answers on the path the native runner waits on", () => {
    const spec = mailContainer(test, { user });
    expect(spec.wait).toEqual({ kind: "http", path: "/api/healthz", port: test.ports.mailUi, status: 200 });
    expect(mailHealthUrl(test)).toBe(`http://localhost:${test.ports.mailUi}/api/healthz`);
  });

  it("keeps dev's inbox on this machine; a test run starts empty", () => {
    const devSpec = mailContainer(dev, { user });
    expect(devSpec.bindMounts).toEqual([{ source: join(dev.stateDir, "mail"), target: "/mail", mode: "rw" }]);
    expect(devSpec.env.MAILDEV_MAIL_DIRECTORY).toBe("/mail");
    expect(devSpec.user).toBe(user);
    const testSpec = mailContainer(test, { user });
    expect(testSpec.bindMounts).toEqual([]);
    expect(testSpec.env.MAILDEV_MAIL_DIRECTORY).toBeUndefined();
  });
});
