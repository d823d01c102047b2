// What the dev and test overlay changes in the app realm, as realm-check paths
// (stack/src/realm-check). `npm run realm:check` against a local stack lists
// these apart as expected, so a developer sees real drift only.
import type { StackConfig } from "../stack-config.ts";
import { mockIdentityProviders } from "./mock-identity-providers.ts";

export function devOverlayFootprint(config: Pick<StackConfig, "devOverlay" | "testTweaks">): string[] {
  if (!config.devOverlay) return [];
  return [
    ...mockIdentityProviders.map((mock) => `identityProviders[${mock.alias}]`),
    ...(config.testTweaks ? ['clients[web].attributes["access.token.lifespan"]'] : []),
  ];
}
