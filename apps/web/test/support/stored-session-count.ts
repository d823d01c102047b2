// How many sessions the test stack's embedded token store holds for a user.
// Session files carry a digest of the subject in clear (the token store's
// design: enough to match a logout token), so no secret is needed to count.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { digest } from "@/server/auth/store/token-cipher";
import type { StackEnv } from "@stack/testkit/stack-env";

export async function storedSessionCount(stack: Pick<StackEnv, "stateDir">, sub: string): Promise<number> {
  const dir = join(stack.stateDir, "web-sessions", "sessions");
  let count = 0;
  for (const name of await readdir(dir).catch(() => [])) {
    const file = JSON.parse(await readFile(join(dir, name), "utf8").catch(() => "null")) as { sub?: string; expiresAt?: number } | null;
    if (file?.sub === digest(sub) && (file.expiresAt ?? 0) > Date.now()) count += 1;
  }
  return count;
}
