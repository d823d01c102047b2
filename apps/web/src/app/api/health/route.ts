import { tokenStoreHealth } from "@/server/auth";

export const dynamic = "force-dynamic";

// Polled by the stack runner and load balancers; never calls Keycloak or Strapi.
export async function GET(): Promise<Response> {
  const store = await tokenStoreHealth();
  return Response.json({ status: store.ok ? "ok" : "degraded", tokenStore: store }, { status: store.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
