import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../stack-config.ts";
import { extensionJarPlan, extensionKey, JAVA_RELEASE, listExtensions, sourceFiles, type ExtensionSource } from "./extension-jar.ts";

const scratch = mkdtempSync(join(tmpdir(), "extension-jar-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const real: ExtensionSource = { name: "disabled-user-logout", dir: join(repoRoot, "keycloak", "extensions", "disabled-user-logout") };
const tools = { javac: "/jdk/bin/javac", jar: "/jdk/bin/jar" };

/** A copy of the real extension that a test may change. */
function copyOfReal(label: string): ExtensionSource {
  const dir = join(scratch, label, real.name);
  cpSync(real.dir, dir, { recursive: true });
  return { name: real.name, dir };
}

const plan = (source: ExtensionSource, keycloakVersion = "26.7.3") =>
  extensionJarPlan({ source, keycloakVersion, distribution: "/kc", cacheDir: "/cache", workDir: "/cache/work", tools });

describe("the extension's cache key", () => {
  it("is stable for the same sources and Keycloak version, wherever the folder is", () => {
    expect(extensionKey(copyOfReal("a"), "26.7.3")).toBe(extensionKey(real, "26.7.3"));
    expect(extensionKey(real, "26.7.3")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes with any source file, a new file, the service registration or the Keycloak version", () => {
    const base = extensionKey(real, "26.7.3");
    expect(extensionKey(real, "26.7.4")).not.toBe(base);

    const edited = copyOfReal("edited");
    const listener = join(edited.dir, "src/main/java/com/acme/keycloak/disableduserlogout/UserResourcePath.java");
    writeFileSync(listener, "// changed\n", { flag: "a" });
    expect(extensionKey(edited, "26.7.3")).not.toBe(base);

    const added = copyOfReal("added");
    writeFileSync(join(added.dir, "src/main/java/com/acme/keycloak/disableduserlogout/Extra.java"), "class Extra {}\n");
    expect(extensionKey(added, "26.7.3")).not.toBe(base);

    const registration = copyOfReal("registration");
    writeFileSync(join(registration.dir, "src/main/resources/META-INF/services/org.keycloak.events.EventListenerProviderFactory"), "x.Y\n");
    expect(extensionKey(registration, "26.7.3")).not.toBe(base);
  });

  it("names the cached jar after the extension, the Keycloak version and the key, under the stack's cache folder", () => {
    const p = plan(real);
    expect(p.jarPath).toBe(join("/cache", "keycloak-extensions", `disabled-user-logout-26.7.3-${p.key}.jar`));
    expect(p.providerFileName).toBe("disabled-user-logout.jar");
  });
});

describe("the command lines", () => {
  it("compiles every Java source for Keycloak's bytecode level against the distribution's own jars, without annotation processors", () => {
    const p = plan(real);
    expect(p.javac.command).toBe(tools.javac);
    const args = p.javac.args;
    expect(args.slice(args.indexOf("--release"), args.indexOf("--release") + 2)).toEqual(["--release", JAVA_RELEASE]);
    expect(JAVA_RELEASE).toBe("17");
    expect(args).toContain("-proc:none");
    expect(args[args.indexOf("-cp") + 1]).toBe([join("/kc", "lib", "lib", "main", "*"), join("/kc", "lib", "lib", "boot", "*")].join(delimiter));
    expect(args[args.indexOf("-d") + 1]).toBe(p.classesDir);
    const javaFiles = sourceFiles(join(real.dir, "src", "main", "java")).filter((file) => file.endsWith(".java"));
    expect(javaFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of javaFiles) expect(args).toContain(join(real.dir, "src", "main", "java", file));
    // No Maven, no network: only the JDK's own tools run.
    expect(args.join(" ")).not.toMatch(/mvn|https?:/);
  });

  it("packages the compiled classes into the scratch folder with the JDK's jar tool", () => {
    const p = plan(real);
    expect(p.jar).toEqual({ command: tools.jar, args: ["--create", "--file", join("/cache/work", "extension.jar"), "-C", p.classesDir, "."] });
    expect(p.resourcesDir).toBe(join(real.dir, "src", "main", "resources"));
  });
});

describe("the extensions of the repository", () => {
  it("lists every folder with Java sources under keycloak/extensions, and registers each factory through META-INF/services", () => {
    const extensions = listExtensions(join(repoRoot, "keycloak", "extensions"));
    expect(extensions.map((extension) => extension.name)).toContain("disabled-user-logout");
    for (const extension of extensions) {
      const files = sourceFiles(extension.dir);
      expect(files.some((file) => file.startsWith("src/main/resources/META-INF/services/org.keycloak.")), extension.name).toBe(true);
    }
  });

  it("provides every events listener the realm file enables that Keycloak does not ship", () => {
    const realm = JSON.parse(readFileSync(join(repoRoot, "keycloak", "realm-export.json"), "utf8")) as { eventsListeners: string[] };
    expect(realm.eventsListeners).toContain("jboss-logging");
    const ours = realm.eventsListeners.filter((id) => !["jboss-logging", "email"].includes(id));
    expect(ours).toEqual(["disabled-user-logout"]);
    const java = listExtensions(join(repoRoot, "keycloak", "extensions"))
      .flatMap((extension) => sourceFiles(extension.dir).filter((file) => file.endsWith(".java")).map((file) => readFileSync(join(extension.dir, file), "utf8")))
      .join("\n");
    for (const id of ours) expect(java, id).toContain(`String ID = "${id}";`);
  });

  it("ignores folders without Java sources, and a missing extensions folder", () => {
    const dir = join(scratch, "listing");
    mkdirSync(join(dir, "notes"), { recursive: true });
    mkdirSync(join(dir, "real", "src", "main", "java"), { recursive: true });
    expect(listExtensions(dir).map((extension) => extension.name)).toEqual(["real"]);
    expect(listExtensions(join(scratch, "nowhere"))).toEqual([]);
  });
});
