import { describe, expect, it } from "vitest";
import { ServiceAccountToken, ServiceAccountTokenError } from "../src/auth/keycloak/service-account-token";

const TOKEN_URL = "http://kc/realms/app/protocol/openid-connect/token";

interface Grant {
  authorization: string | null;
  body: URLSearchParams;
}

/** A token endpoint that hands out `t1`, `t2`, ... and records each grant request. */
function tokenEndpoint(answer: (n: number) => Response | Promise<Response> = (n) => Response.json({ access_token: `t${n}`, expires_in: 300, scope: "ssf.manage ssf.read" })) {
  const grants: Grant[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    expect(String(input)).toBe(TOKEN_URL);
    const headers = new Headers(init?.headers);
    grants.push({ authorization: headers.get("authorization"), body: new URLSearchParams(String(init?.body)) });
    return answer(grants.length);
  }) as typeof globalThis.fetch;
  return { fetch, grants };
}

function serviceAccount(fetch: typeof globalThis.fetch, clock: { now: number }, scope?: string) {
  return new ServiceAccountToken({ tokenUrl: TOKEN_URL, clientId: "cms", clientSecret: "s3cr:et", scope, timeoutMs: 1000, fetch, now: () => clock.now });
}

async function errorOf(promise: Promise<unknown>): Promise<ServiceAccountTokenError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(ServiceAccountTokenError);
  return error as ServiceAccountTokenError;
}

describe("ServiceAccountToken", () => {
  it("asks with the client-credentials grant, Basic client authentication and the configured scope", async () => {
    const endpoint = tokenEndpoint();
    const token = await serviceAccount(endpoint.fetch, { now: 0 }, "ssf.manage ssf.read").get();
    expect(token).toEqual({ value: "t1", scopes: ["ssf.manage", "ssf.read"] });
    const [grant] = endpoint.grants;
    expect(grant?.body.get("grant_type")).toBe("client_credentials");
    expect(grant?.body.get("scope")).toBe("ssf.manage ssf.read");
    // RFC 6749 §2.3.1: each part form-encoded, then base64.
    expect(grant?.authorization).toBe(`Basic ${Buffer.from("cms:s3cr%3Aet").toString("base64")}`);
    expect(grant?.body.has("client_secret")).toBe(false);
  });

  it("sends no scope when none is configured", async () => {
    const endpoint = tokenEndpoint();
    await serviceAccount(endpoint.fetch, { now: 0 }).get();
    expect(endpoint.grants[0]?.body.has("scope")).toBe(false);
  });

  it("reuses the token until 30 s before it expires, then asks again", async () => {
    const endpoint = tokenEndpoint();
    const clock = { now: 0 };
    const account = serviceAccount(endpoint.fetch, clock);
    expect((await account.get()).value).toBe("t1");
    clock.now = 269_999;
    expect((await account.get()).value).toBe("t1");
    clock.now = 270_000;
    expect((await account.get()).value).toBe("t2");
    expect(endpoint.grants).toHaveLength(2);
  });

  it("lets concurrent callers share one token request", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const endpoint = tokenEndpoint(async (n) => {
      await held;
      return Response.json({ access_token: `t${n}`, expires_in: 300 });
    });
    const account = serviceAccount(endpoint.fetch, { now: 0 });
    const callers = Array.from({ length: 20 }, () => account.get());
    release();
    const tokens = await Promise.all(callers);
    expect(new Set(tokens.map((token) => token.value))).toEqual(new Set(["t1"]));
    expect(endpoint.grants).toHaveLength(1);
  });

  it("asks again after invalidate (a resource server answered 401)", async () => {
    const endpoint = tokenEndpoint();
    const account = serviceAccount(endpoint.fetch, { now: 0 });
    await account.get();
    account.invalidate();
    expect((await account.get()).value).toBe("t2");
  });

  it("keeps no token whose lifetime is unknown or shorter than the renewal margin", async () => {
    const endpoint = tokenEndpoint((n) => Response.json({ access_token: `t${n}`, ...(n === 1 ? {} : { expires_in: 20 }) }));
    const account = serviceAccount(endpoint.fetch, { now: 0 });
    expect((await account.get()).value).toBe("t1");
    expect((await account.get()).value).toBe("t2");
    expect((await account.get()).value).toBe("t3");
  });

  it("throws ERR_SERVICE_ACCOUNT_TOKEN when refused, malformed or unreachable, and asks again next time", async () => {
    const refused = tokenEndpoint((n) => (n === 1 ? Response.json({ error: "unauthorized_client", error_description: "<secret-ish>" }, { status: 401 }) : Response.json({ access_token: "t2", expires_in: 300 })));
    const account = serviceAccount(refused.fetch, { now: 0 });
    const error = await errorOf(account.get());
    expect(error.code).toBe("ERR_SERVICE_ACCOUNT_TOKEN");
    expect(error.message).toBe("client-credentials token refused (401 unauthorized_client)");
    expect((await account.get()).value).toBe("t2");

    const malformed = tokenEndpoint(() => new Response("not json", { status: 200 }));
    expect((await errorOf(serviceAccount(malformed.fetch, { now: 0 }).get())).message).toBe("client-credentials token refused (200)");

    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    expect((await errorOf(serviceAccount(down, { now: 0 }).get())).message).toBe("token endpoint unreachable (TypeError)");
  });
});
