import "server-only";
import { authRuntime } from "../wiring";
import { safeReturnTo } from "./safe-return-to";

/** A caller-supplied `returnTo` reduced to a path on this app's origin (or `/`), for links on our own pages. */
export function safeReturnPath(input: unknown): string {
  return safeReturnTo(input, authRuntime().config.webUrl);
}
