// The mapping onto testcontainers' image builder, read back from the builder:
// creating it contacts no engine.
import type { GenericContainerBuilder } from "testcontainers";
import { describe, expect, it } from "vitest";
import { keycloakImageBuild } from "./container-images.ts";
import { toImageBuilder } from "./to-image-builder.ts";

interface Internals {
  context: string;
  dockerfileName: string;
  buildArgs: Record<string, string>;
}
const internals = (builder: GenericContainerBuilder) => builder as unknown as Internals;

describe("toImageBuilder", () => {
  it("builds the Keycloak image from keycloak/Dockerfile with the pinned version as build argument", () => {
    const { build } = keycloakImageBuild();
    const builder = internals(toImageBuilder(build));
    expect(builder.context).toBe(build.context);
    expect(builder.dockerfileName).toBe("Dockerfile");
    expect(builder.buildArgs).toEqual(build.args);
    expect(Object.keys(builder.buildArgs)).toEqual(["KEYCLOAK_VERSION"]);
  });
});
