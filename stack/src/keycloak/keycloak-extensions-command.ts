// `npm run keycloak:extensions [-- --out <folder>]`: builds the provider jars of
// keycloak/extensions the way `npm start` does (Maven, against the pinned
// distribution's jars), for a Keycloak that is deployed neither by this
// repository's scripts nor from keycloak/Dockerfile: copy the jars into that
// server's providers/ and run `kc.sh build` there. Prints where they are.
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { StackEnvInput } from "../stack-env-input.ts";
import { buildExtensions } from "./extension-build.ts";
import { findJava, MIN_JAVA } from "./find-java.ts";
import { obtainDistribution } from "./obtain-distribution.ts";

export async function keycloakExtensionsCommand(argv: string[], input: StackEnvInput, say: (line: string) => void): Promise<number> {
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  if (outIndex >= 0 && !out) {
    say("--out needs a folder: npm run keycloak:extensions -- --out ./providers");
    return 2;
  }
  const java = findJava(input);
  if (!java) {
    say(`No Java ${MIN_JAVA} or newer found; install a JDK (for example \`apt-get install openjdk-21-jdk-headless\`) or set KEYCLOAK_JAVA_HOME.`);
    return 2;
  }
  const { cacheDir } = input;
  const distribution = await obtainDistribution({ cacheDir, java, say, input });
  const built = buildExtensions({ cacheDir, distribution, java, say, inherited: input.inherited });
  for (const extension of built) {
    if (out) {
      mkdirSync(resolve(out), { recursive: true });
      const target = join(resolve(out), extension.providerFileName);
      copyFileSync(extension.jarPath, target);
      say(`${extension.name}: ${target}`);
    } else {
      say(`${extension.name}: ${extension.jarPath} (install it as providers/${extension.providerFileName})`);
    }
  }
  if (built.length === 0) say("keycloak/extensions holds no extension.");
  return 0;
}
