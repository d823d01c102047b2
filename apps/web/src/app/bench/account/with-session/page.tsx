import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AccountDetails } from "@/components/account-details";
import { benchRoutesOn, requireUser } from "@/server/auth";

// `npm run bench` only (WEB_BENCH_ROUTES): the account page's render through
// the session layer (the proxy's lookup, the hand-off, requireUser), without
// the sign-in methods, which call Keycloak. Its twin, ../without-session,
// renders the same for a fixed user with no lookup at all.
export default async function BenchAccountWithSession() {
  // Dynamic first: `next build` must not render this (it has no runtime config).
  await connection();
  if (!benchRoutesOn()) notFound();
  return <AccountDetails user={await requireUser("/bench/account/with-session")} />;
}
