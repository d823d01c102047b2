// Issue 10, item 3: nothing of a local stack listens beyond loopback unless
// STACK_BIND_HOST says so. Every listening TCP socket of every part (each
// part's whole process group: kc.sh and its JVM, Next and its workers,
// Strapi, MailDev) and of the orchestrator, read from Linux's /proc as the
// drills read memory, so a listener nobody configured (a JVM's attach port,
// Keycloak's management interface) counts too.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isLoopback, listeningSockets } from "@stack/testkit/listening-sockets";
import { stackEnv } from "@stack/testkit/stack-env";

const stack = stackEnv();
const record = JSON.parse(readFileSync(join(stack.stateDir, "stack.json"), "utf8")) as {
  orchestratorPid: number;
  children: { name: string; pgid: number }[];
};
const socketsOf = (part: string) => listeningSockets({ groups: record.children.filter((c) => c.name === part).map((c) => c.pgid) });
const portOf = (url: string) => Number(new URL(url).port);

describe.skipIf(!isLoopback(stack.bindHost))(`the test stack on its default bind host (${stack.bindHost})`, () => {
  it("listens on loopback only, every part and the orchestrator", () => {
    const all = listeningSockets({ groups: record.children.map((c) => c.pgid), pids: [record.orchestratorPid] });
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all.filter((socket) => !isLoopback(socket.address))).toEqual([]);
  });

  it("finds the ports the stack announces among them, so the check above saw the real listeners", () => {
    const ports = (part: string) => socketsOf(part).map((socket) => socket.port);
    expect(ports("keycloak")).toContain(portOf(stack.keycloakUrl));
    // HTTP and the management interface (health) at least.
    expect(ports("keycloak").length).toBeGreaterThanOrEqual(2);
    expect(ports("cms")).toContain(portOf(stack.cmsUrl));
    expect(ports("web")).toContain(portOf(stack.webUrl));
    // The web inbox and SMTP.
    expect(ports("mail")).toContain(portOf(stack.mailUrl));
    expect(ports("mail").length).toBeGreaterThanOrEqual(2);
  });
});
