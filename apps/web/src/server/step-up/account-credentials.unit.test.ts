import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
vi.mock("../auth", () => ({ getAccessToken: async () => null }));
vi.mock("../config/web-config", () => ({ webConfig: () => ({}) }));
const { summariseCredentials } = await import("./account-credentials");

describe("summariseCredentials", () => {
  it("counts what Keycloak's account API lists, for the kinds the page shows", () => {
    const summary = summariseCredentials([
      { type: "password", userCredentialMetadatas: [{ credential: { id: "p" } }] },
      { type: "otp", userCredentialMetadatas: [] },
      { type: "webauthn-passwordless", userCredentialMetadatas: [{}, {}] },
      { type: "webauthn", userCredentialMetadatas: [{}] },
    ]);
    expect(summary?.map(({ type, count }) => [type, count])).toEqual([
      ["password", 1],
      ["otp", 0],
      ["webauthn-passwordless", 2],
      ["recovery-authn-codes", 0],
    ]);
    expect(summary?.find((c) => c.type === "otp")?.setUpAction).toBe("CONFIGURE_TOTP");
  });

  it("is undefined for an answer that is not the account API's list", () => {
    expect(summariseCredentials({ error: "forbidden" })).toBeUndefined();
    expect(summariseCredentials([{ nope: 1 }])).toBeUndefined();
  });
});
