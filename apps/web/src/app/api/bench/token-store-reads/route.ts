import { benchTokenStoreReads } from "@/server/auth";

export const dynamic = "force-dynamic";

// `npm run bench` only (WEB_BENCH_ROUTES): how often this process has read
// the token store, so the bench can count reads per page view. 404 otherwise.
export async function GET(): Promise<Response> {
  const reads = benchTokenStoreReads();
  if (reads === null) return new Response(null, { status: 404 });
  return Response.json({ reads }, { headers: { "cache-control": "no-store" } });
}
