// Issue 13 in real Chromium: the example CLI (apps/cli) signs in with the device
// flow approved on Keycloak's device page, calls the notes API with DPoP-bound
// tokens, refreshes an expired access token with the same DPoP key, and logs
// out, after which its refresh token no longer works.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwt } from "jose";
import { afterAll, expect, it } from "vitest";
import { onKeycloakLoginForm, submitKeycloakLogin } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";

const journey = journeyFixture();
const { stack } = journey;
const cliMain = fileURLToPath(new URL("../../apps/cli/src/main.ts", import.meta.url));
const configHome = await mkdtemp(join(tmpdir(), "notes-cli-flow-"));
const sessionPath = join(configHome, "notes-cli", "session.json");
const cliEnv = { ...process.env, NOTES_CLI_ISSUER: stack.issuer, NOTES_CLI_API_URL: stack.cmsUrl, XDG_CONFIG_HOME: configHome };

afterAll(async () => {
  await rm(configHome, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(args: string[]): { child: ChildProcessWithoutNullStreams; done: Promise<Run>; output: () => string } {
  const child = spawn(process.execPath, [cliMain, ...args], { env: cliEnv });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done, output: () => stdout };
}

const cli = (...args: string[]) => startCli(args).done;

it("the CLI signs in with the device flow in Chromium, adds and lists notes with DPoP, refreshes, and logs out", async () => {
  const user = await journey.newUser("cli-device");
  const login = startCli(["login"]);
  try {
    // The CLI prints the address (with the code in it) and the code to check.
    await expect.poll(login.output, { timeout: 30_000 }).toMatch(/shows the code \S+\./);
    const url = /^\s+(https?:\/\/\S+)$/m.exec(login.output())?.[1];
    const userCode = /shows the code (\S+)\./.exec(login.output())?.[1];
    expect(url).toMatch(new RegExp(`^${stack.issuer}/device\\?user_code=`));

    const page = await journey.newPage();
    await page.goto(url!);
    // Keycloak checks the code from the address, then asks the person to sign in.
    expect(await onKeycloakLoginForm(page, stack.issuer), `device page: ${await page.locator("h1, #kc-page-title").allTextContents()}`).toBe(true);
    await submitKeycloakLogin(page, user.email, user.password);
    // Keycloak asks for consent in the device flow although the client `cli` has consent off
    // (the person must see which device gets in and with which rights).
    await page.locator("#kc-oauth").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator("#kc-oauth").textContent()).toContain("Change your notes");
    await page.locator("#kc-login").click();
    await expect.poll(() => page.locator("body").textContent(), { timeout: 30_000 }).toContain("Device Login Successful");
    await page.context().close();

    const run = await login.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Signed in");
    expect(userCode).toBeTruthy();
  } finally {
    login.child.kill();
  }

  // The session file: the owner's only, with a DPoP-bound access token.
  expect((await stat(sessionPath)).mode & 0o777).toBe(0o600);
  expect((await stat(join(configHome, "notes-cli"))).mode & 0o777).toBe(0o700);
  const session = JSON.parse(await readFile(sessionPath, "utf8")) as { accessToken: string; refreshToken: string; expiresAt: number };
  const claims = decodeJwt(session.accessToken);
  expect(claims.azp).toBe("cli");
  expect((claims.cnf as { jkt?: string } | undefined)?.jkt).toBeTruthy();
  expect(String(claims.scope).split(" ")).toEqual(expect.arrayContaining(["notes:read", "notes:write"]));

  // The token is refused without its proof: the API wants DPoP for the cli client.
  const bearer = await fetch(`${stack.cmsUrl}/api/notes`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  expect(bearer.status).toBe(401);

  const title = `From the terminal ${Date.now().toString(36)}`;
  const added = await cli("notes", "add", title);
  expect(added.code, added.stderr).toBe(0);
  const listed = await cli("notes", "list");
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain(title);

  // An expired access token: the CLI refreshes it (DPoP proof with the stored key) and goes on.
  await writeFile(sessionPath, JSON.stringify({ ...session, expiresAt: 0 }), { mode: 0o600 });
  const refreshed = await cli("notes", "list");
  expect(refreshed.code, refreshed.stderr).toBe(0);
  expect(refreshed.stdout).toContain(title);
  const afterRefresh = JSON.parse(await readFile(sessionPath, "utf8")) as typeof session;
  expect(afterRefresh.accessToken).not.toBe(session.accessToken);
  expect(afterRefresh.expiresAt).toBeGreaterThan(Date.now() / 1000);

  const loggedOut = await cli("logout");
  expect(loggedOut.code, loggedOut.stderr).toBe(0);
  await expect(stat(sessionPath)).rejects.toThrow(/ENOENT/);
  expect((await cli("notes", "list")).stderr).toContain("Not logged in");

  // The revoked refresh token: put the last session back with an expired access token; the refresh fails.
  await writeFile(sessionPath, JSON.stringify({ ...afterRefresh, expiresAt: 0 }), { mode: 0o600 });
  const revoked = await cli("notes", "list");
  expect(revoked.code).toBe(1);
  expect(revoked.stderr).toContain("Your sign-in is no longer valid");
});
