import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../stack-config.ts";
import { extensionFolders, extensionModules, extensionsDir, extensionsKey, sourceFiles } from "./extension-sources.ts";

const scratch = mkdtempSync(join(tmpdir(), "extension-sources-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of keycloak/extensions that a test may change. */
function copyOfReal(label: string): string {
  const dir = join(scratch, label);
  cpSync(extensionsDir, dir, { recursive: true, filter: (source) => !source.endsWith("/target") });
  return dir;
}

const listener = "disabled-user-logout/src/main/java/com/acme/keycloak/disableduserlogout/UserResourcePath.java";

describe("the extensions' cache key", () => {
  it("is stable for the same sources and Keycloak version, wherever the folder is", () => {
    expect(extensionsKey(copyOfReal("a"), "26.7.5")).toBe(extensionsKey(extensionsDir, "26.7.5"));
    expect(extensionsKey(extensionsDir, "26.7.5")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes with the Keycloak version, a source file, a new file, the service registration or a pom", () => {
    const base = extensionsKey(extensionsDir, "26.7.5");
    expect(extensionsKey(extensionsDir, "26.7.4")).not.toBe(base);

    const edited = copyOfReal("edited");
    writeFileSync(join(edited, listener), "// changed\n", { flag: "a" });
    expect(extensionsKey(edited, "26.7.5")).not.toBe(base);

    const added = copyOfReal("added");
    writeFileSync(join(added, "disabled-user-logout/src/main/java/com/acme/keycloak/disableduserlogout/Extra.java"), "class Extra {}\n");
    expect(extensionsKey(added, "26.7.5")).not.toBe(base);

    const registration = copyOfReal("registration");
    writeFileSync(join(registration, "disabled-user-logout/src/main/resources/META-INF/services/org.keycloak.events.EventListenerProviderFactory"), "x.Y\n");
    expect(extensionsKey(registration, "26.7.5")).not.toBe(base);

    for (const pom of ["pom.xml", "disabled-user-logout/pom.xml"]) {
      const changed = copyOfReal(`pom-${pom.replaceAll("/", "-")}`);
      writeFileSync(join(changed, pom), "<!-- changed -->\n", { flag: "a" });
      expect(extensionsKey(changed, "26.7.5"), pom).not.toBe(base);
    }
  });

  it("ignores Maven's target/ folders, so a local `mvn package` does not invalidate the cache", () => {
    const built = copyOfReal("built");
    const base = extensionsKey(built, "26.7.5");
    mkdirSync(join(built, "disabled-user-logout", "target", "classes"), { recursive: true });
    writeFileSync(join(built, "disabled-user-logout", "target", "disabled-user-logout.jar"), "jar");
    writeFileSync(join(built, "disabled-user-logout", "target", "classes", "A.class"), "class");
    expect(extensionsKey(built, "26.7.5")).toBe(base);
    expect(sourceFiles(built).some((file) => file.includes("target"))).toBe(false);
  });
});

describe("the extensions of the repository", () => {
  it("are the parent pom's modules, one per folder with a pom.xml, each registering its factory through META-INF/services", () => {
    const modules = extensionModules(extensionsDir);
    expect(modules).toContain("disabled-user-logout");
    expect([...modules].sort()).toEqual(extensionFolders(extensionsDir));
    for (const name of modules) {
      const pom = readFileSync(join(extensionsDir, name, "pom.xml"), "utf8");
      // The jar Maven builds is target/<artifactId>.jar (the parent's finalName): the folder's name.
      expect(pom, name).toContain(`<artifactId>${name}</artifactId>`);
      expect(pom, name).toMatch(/<parent>[\s\S]*<artifactId>keycloak-extensions<\/artifactId>[\s\S]*<\/parent>/);
      expect(sourceFiles(join(extensionsDir, name)).some((file) => file.startsWith("src/main/resources/META-INF/services/org.keycloak.")), name).toBe(true);
    }
  });

  it("pin no Keycloak version of their own: toolchain.json's is passed as keycloak.version", () => {
    const parent = readFileSync(join(extensionsDir, "pom.xml"), "utf8");
    expect(parent).not.toMatch(/<keycloak\.version>/);
    expect(parent).toContain("<version>${keycloak.version}</version>");
    expect(parent).toContain("<finalName>${project.artifactId}</finalName>");
    expect(parent).toContain("<maven.compiler.release>17</maven.compiler.release>");
    for (const name of extensionModules(extensionsDir)) {
      // Versions and `provided` come from the parent's dependencyManagement.
      const dependencies = readFileSync(join(extensionsDir, name, "pom.xml"), "utf8").split("<dependencies>")[1] ?? "";
      expect(dependencies, name).not.toMatch(/<version>/);
    }
  });

  it("provide every events listener the realm file enables that Keycloak does not ship", () => {
    const realm = JSON.parse(readFileSync(join(repoRoot, "keycloak", "realm-export.json"), "utf8")) as { eventsListeners: string[] };
    expect(realm.eventsListeners).toContain("jboss-logging");
    const ours = realm.eventsListeners.filter((id) => !["jboss-logging", "email"].includes(id));
    expect(ours).toEqual(["disabled-user-logout"]);
    const java = sourceFiles(extensionsDir)
      .filter((file) => file.endsWith(".java"))
      .map((file) => readFileSync(join(extensionsDir, file), "utf8"))
      .join("\n");
    for (const id of ours) expect(java, id).toContain(`String ID = "${id}";`);
  });

  it("reads modules without comments, and finds nothing in a missing folder", () => {
    const dir = join(scratch, "listing");
    mkdirSync(join(dir, "real"), { recursive: true });
    writeFileSync(join(dir, "real", "pom.xml"), "<project/>");
    mkdirSync(join(dir, "notes"), { recursive: true });
    writeFileSync(join(dir, "pom.xml"), "<project><modules><!-- <module>old</module> --><module> real </module></modules></project>");
    expect(extensionModules(dir)).toEqual(["real"]);
    expect(extensionFolders(dir)).toEqual(["real"]);
    expect(extensionModules(join(scratch, "nowhere"))).toEqual([]);
    expect(extensionFolders(join(scratch, "nowhere"))).toEqual([]);
    expect(sourceFiles(join(scratch, "nowhere"))).toEqual([]);
  });
});
