// Turns an ImageBuildSpec into testcontainers' image builder. Like
// toGenericContainer, building the builder contacts no engine (that happens
// at build()), so the mapping is unit-tested.
import { GenericContainer, type GenericContainerBuilder } from "testcontainers";
import type { ImageBuildSpec } from "./container-spec.ts";

export function toImageBuilder(build: ImageBuildSpec): GenericContainerBuilder {
  return GenericContainer.fromDockerfile(build.context, build.dockerfile).withBuildArgs({ ...build.args });
}
