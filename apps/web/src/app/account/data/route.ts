import { AccountDataUnavailableError, exportAccountData } from "@/server/account/account-data";

// GET /account/data: the signed-in person's data as one JSON file (a download).
// The proxy sends signed-out visitors to sign-in first (/account is protected).
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const data = await exportAccountData();
    if (!data) return Response.json({ error: "not_signed_in" }, { status: 401, headers });
    return new Response(`${JSON.stringify(data, null, 2)}\n`, {
      headers: { ...headers, "content-type": "application/json; charset=utf-8", "content-disposition": 'attachment; filename="my-acme-data.json"' },
    });
  } catch (error) {
    if (!(error instanceof AccountDataUnavailableError)) throw error;
    return Response.json(
      { error: "unavailable", message: `Your data could not be gathered right now (${error.source === "cms" ? "the notes service" : "the sign-in service"} did not answer). Try again in a moment.` },
      { status: 503, headers: { ...headers, "retry-after": "5" } },
    );
  }
}
