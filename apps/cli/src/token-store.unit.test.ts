import { chmod, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError, deleteSession, readSession, sessionFile, type StoredSession, writeSession } from "./token-store.ts";

const session: StoredSession = {
  issuer: "http://localhost:8080/realms/app",
  clientId: "cli",
  accessToken: "access",
  expiresAt: 1_900_000_000,
  refreshToken: "refresh",
  scope: "openid notes:read",
  dpopPrivateJwk: { kty: "EC", crv: "P-256", x: "x", y: "y", d: "d" },
};

let home: string;
let file: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "notes-cli-unit-"));
  file = sessionFile(join(home, "notes-cli"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("the session file", () => {
  it("is written 0600 in a 0700 directory, whatever the umask, and read back", async () => {
    const previous = process.umask(0o000);
    try {
      await writeSession(file, session);
    } finally {
      process.umask(previous);
    }
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "notes-cli"))).mode & 0o777).toBe(0o700);
    expect(await readSession(file)).toEqual(session);
    // No temporary file is left next to it.
    expect(await readdir(join(home, "notes-cli"))).toEqual(["session.json"]);
  });

  it("replaces the previous session", async () => {
    await writeSession(file, session);
    await writeSession(file, { ...session, accessToken: "newer" });
    expect((await readSession(file))?.accessToken).toBe("newer");
  });

  it("is absent before login and after logout", async () => {
    expect(await readSession(file)).toBeUndefined();
    await writeSession(file, session);
    await deleteSession(file);
    expect(await readSession(file)).toBeUndefined();
    await deleteSession(file);
  });

  it("is refused when others may read it", async () => {
    await writeSession(file, session);
    await chmod(file, 0o644);
    await expect(readSession(file)).rejects.toThrow(CliError);
    await expect(readSession(file)).rejects.toThrow(/readable by other users \(mode 644\).*chmod 600/);
  });

  it("is refused with a clear message when it is not a session", async () => {
    await writeSession(file, session);
    await writeFile(file, "{not json", { mode: 0o600 });
    await expect(readSession(file)).rejects.toThrow(/is not valid JSON\. Delete it and log in again/);
    await writeFile(file, JSON.stringify({ issuer: "x" }), { mode: 0o600 });
    await expect(readSession(file)).rejects.toThrow(/is not a notes-cli session/);
  });

  it("is not written from an invalid session, and the old one stays", async () => {
    await writeSession(file, session);
    await expect(writeSession(file, { ...session, expiresAt: "soon" } as unknown as StoredSession)).rejects.toThrow();
    expect(await readSession(file)).toEqual(session);
    expect(await readdir(join(home, "notes-cli"))).toEqual(["session.json"]);
  });
});
