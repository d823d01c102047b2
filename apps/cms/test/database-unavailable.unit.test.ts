import { expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/http/database-unavailable";

const withCode = (code: string, message = "failed") => Object.assign(new Error(message), { code });

it("a refused, dropped or timed-out database connection, or PostgreSQL shutting down or starting, is 'unavailable'", () => {
  expect(isDatabaseUnavailable(withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"))).toBe(true);
  expect(isDatabaseUnavailable(withCode("57P01", "terminating connection due to administrator command"))).toBe(true);
  expect(isDatabaseUnavailable(withCode("57P03", "the database system is starting up"))).toBe(true);
  expect(isDatabaseUnavailable(withCode("08006"))).toBe(true);
  expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  expect(isDatabaseUnavailable(new Error("Knex: Timeout acquiring a connection. The pool is probably full."))).toBe(true);
  expect(isDatabaseUnavailable(new Error("Transaction query already complete, run with DEBUG=knex:tx for more info"))).toBe(true);
  // Wrapped by a query layer, or several connection attempts at once.
  expect(isDatabaseUnavailable(new Error("select failed", { cause: withCode("ECONNRESET") }))).toBe(true);
  expect(isDatabaseUnavailable(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], "connect failed"))).toBe(true);
});

it("anything else stays a server error: bad data, a bug, a constraint, nothing thrown", () => {
  expect(isDatabaseUnavailable(withCode("23505", "duplicate key value violates unique constraint"))).toBe(false);
  expect(isDatabaseUnavailable(withCode("42P01", 'relation "notes" does not exist'))).toBe(false);
  expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
  expect(isDatabaseUnavailable(undefined)).toBe(false);
  expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  // A cause chain that loops does not hang.
  const looped = new Error("outer") as Error & { cause?: unknown };
  looped.cause = looped;
  expect(isDatabaseUnavailable(looped)).toBe(false);
});
