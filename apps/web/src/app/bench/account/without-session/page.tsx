import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AccountDetails } from "@/components/account-details";
import { benchRoutesOn } from "@/server/auth";

const FIXED_USER = { name: "Bench Fixed", email: "bench-fixed@example.invalid", username: "bench-fixed", roles: ["user"] };

// `npm run bench` only (WEB_BENCH_ROUTES): ../with-session's render for a
// fixed user, with no session lookup. The bench requests it without a cookie,
// so the proxy finds no cookie to open and reads no store; the layout shows
// the sign-in button instead of the user's name.
export default async function BenchAccountWithoutSession() {
  await connection();
  if (!benchRoutesOn()) notFound();
  return <AccountDetails user={FIXED_USER} />;
}
