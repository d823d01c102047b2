// Maven itself is faked here (spawnSync): these tests pin when Maven runs and
// with what; the real build runs in every stack start (test/disabled-user-logout).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

type Reply = { status: number; stderr?: string; build?: boolean };
const calls: string[][] = [];
let replies: Reply[] = [];
let mavenOnPath = true;

vi.mock("node:child_process", async (original) => ({
  ...(await original<typeof import("node:child_process")>()),
  spawnSync: (command: string, args: string[]) => {
    if (command !== "mvn") throw new Error(`unexpected ${command}`);
    if (args[0] === "-v") return { status: mavenOnPath ? 0 : null, error: mavenOnPath ? undefined : new Error("ENOENT"), stdout: "", stderr: "" };
    calls.push(args);
    const reply = replies.shift() ?? { status: 0, build: true };
    if (reply.build) {
      // What `package` leaves: <module>/target/<module>.jar next to the pom it was given.
      const root = dirname(args[args.indexOf("-f") + 1]!);
      mkdirSync(join(root, "disabled-user-logout", "target"), { recursive: true });
      writeFileSync(join(root, "disabled-user-logout", "target", "disabled-user-logout.jar"), "jar bytes");
    }
    return { status: reply.status, stdout: "", stderr: reply.stderr ?? "" };
  },
}));

const { buildExtensions, cachedExtensions, ExtensionBuildError } = await import("./extension-build.ts");
const { extensionsDir } = await import("./extension-sources.ts");

const scratch = mkdtempSync(join(tmpdir(), "extension-build-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const java = { home: undefined, bin: "java", major: 21 };
let counter = 0;
let cacheDir = "";
const lines: string[] = [];
const build = (dir = extensionsDir) => buildExtensions({ cacheDir, distribution: "/kc", java, say: (line) => lines.push(line), extensionsDir: dir, inherited: process.env });

beforeEach(() => {
  cacheDir = join(scratch, `cache-${++counter}`);
  calls.length = 0;
  lines.length = 0;
  replies = [];
  mavenOnPath = true;
});

describe("building the Keycloak extensions", () => {
  it("runs Maven offline first, against the distribution's jars, and caches the jars with a whole-second timestamp", () => {
    const built = build();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain("-o");
    expect(calls[0]).toContain("-Dkeycloak.lib=/kc/lib/lib/main");
    expect(calls[0]!.at(-1)).toBe("package");
    expect(built).toEqual([{ name: "disabled-user-logout", jarPath: expect.stringContaining(join(cacheDir, "keycloak-extensions")), providerFileName: "disabled-user-logout.jar" }]);
    expect(statSync(built[0]!.jarPath).mtimeMs % 1000).toBe(0);
    // The scratch copy is gone; only the cached build stays.
    expect(readdirSync(join(cacheDir, "keycloak-extensions")).filter((name) => name.startsWith(".build-"))).toEqual([]);
  });

  it("runs no Maven when the same sources and Keycloak version were built before (a warm start)", () => {
    const first = build();
    calls.length = 0;
    expect(cachedExtensions(cacheDir)).toEqual(first);
    mavenOnPath = false; // not even needed then
    expect(build()).toEqual(first);
    expect(calls).toEqual([]);
    expect(lines.at(-1)).toMatch(/unchanged .*no Maven run/);
  });

  it("builds again when a source changed", () => {
    const copy = join(scratch, `changed-${counter}`);
    cpSync(extensionsDir, copy, { recursive: true });
    const before = build(copy);
    writeFileSync(join(copy, "disabled-user-logout", "pom.xml"), "<!-- changed -->\n", { flag: "a" });
    expect(cachedExtensions(cacheDir, copy)).toBeUndefined();
    const after = build(copy);
    expect(calls).toHaveLength(2);
    expect(after[0]!.jarPath).not.toBe(before[0]!.jarPath);
  });

  it("goes online once when the local repository lacks something, and not for a compile error", () => {
    replies = [{ status: 1, stderr: "Cannot access central in offline mode and the artifact x has not been downloaded from it before." }, { status: 0, build: true }];
    build();
    expect(calls.map((args) => args.includes("-o"))).toEqual([true, false]);

    cacheDir = join(scratch, `cache-${++counter}`);
    calls.length = 0;
    replies = [{ status: 1, stderr: "[ERROR] SignOutEverywhere.java:[12,8] cannot find symbol" }];
    expect(() => build()).toThrow(ExtensionBuildError);
    expect(calls).toHaveLength(1);
    expect(cachedExtensions(cacheDir)).toBeUndefined();
  });

  it("says how to install Maven when it is missing and the jars are not cached", () => {
    mavenOnPath = false;
    expect(() => build()).toThrow(/apt-get install maven/);
  });

  it("refuses an extension folder that is not a module of the parent pom", () => {
    const copy = join(scratch, `unlisted-${counter}`);
    cpSync(extensionsDir, copy, { recursive: true });
    mkdirSync(join(copy, "forgotten"));
    writeFileSync(join(copy, "forgotten", "pom.xml"), "<project/>");
    expect(() => build(copy)).toThrow(/<module>forgotten<\/module>/);
    expect(calls).toEqual([]);
  });
});
