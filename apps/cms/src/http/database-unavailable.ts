// Whether an error thrown while serving a request means the database cannot be
// reached right now (refused or dropped connections, PostgreSQL shutting down
// or starting, the pool timing out), as opposed to a bug or bad data. Such a
// request answers 503 with Retry-After: the client's request and session are
// fine and the same call will work once the database is back (the
// PostgreSQL-restart drill measures how soon). Anything else stays a 500.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN"]);
// PostgreSQL SQLSTATE class 08 (connection exception) and 57P01–57P03 (shutting down, crashed, starting up).
const POSTGRES_CODES = /^(08\d{3}|57P0[1-3])$/;
// What pg and knex say when a connection dies or never comes (they set no code); knex's
// "Transaction query already complete" is a query sent on a transaction whose
// connection was just killed (seen in the PostgreSQL-restart drill).
const MESSAGES =
  /Connection terminated|Connection ended unexpectedly|Knex: Timeout acquiring a connection|Transaction query already complete|the database system is (starting up|shutting down|in recovery mode)/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || POSTGRES_CODES.test(code))) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    // AggregateError (a connection attempt to several addresses) carries the attempts in `errors`.
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_RESPONSE = {
  status: 503,
  headers: { "Retry-After": "5", "Cache-Control": "no-store" },
  body: {
    data: null,
    error: { status: 503, name: "ServiceUnavailableError", code: "database_unavailable", message: "The database cannot be reached right now; try again in a few seconds.", details: {} },
  },
} as const;
