// The stored session: tokens and the DPoP private key (the refresh token is
// bound to it, so refreshing needs it), in one JSON file readable by its owner
// only (0600, in a 0700 directory). Written to a temporary file and renamed,
// so a crash never leaves half a file.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

const jwk = z.object({ kty: z.string(), crv: z.string().optional(), x: z.string().optional(), y: z.string().optional(), d: z.string() }).loose();

const storedSession = z.object({
  issuer: z.string(),
  clientId: z.string(),
  accessToken: z.string(),
  /** Seconds since the epoch. */
  expiresAt: z.number(),
  refreshToken: z.string().optional(),
  scope: z.string().optional(),
  /** The DPoP key pair as a private JWK (it carries the public part too). */
  dpopPrivateJwk: jwk,
});

export type StoredSession = z.infer<typeof storedSession>;

/** A problem the user can act on; main prints its message alone. */
export class CliError extends Error {}

export function sessionFile(configDir: string): string {
  return join(configDir, "session.json");
}

/** The stored session, or undefined when there is none (never signed in, or signed out). */
export async function readSession(file: string): Promise<StoredSession | undefined> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if ((mode & 0o077) !== 0) {
    throw new CliError(`${file} is readable by other users (mode ${(mode & 0o777).toString(8)}); it holds your tokens. Run: chmod 600 '${file}' (or delete it and log in again).`);
  }
  const text = await readFile(file, "utf8");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON. Delete it and log in again.`);
  }
  const parsed = storedSession.safeParse(data);
  if (!parsed.success) throw new CliError(`${file} is not a notes-cli session (${parsed.error.issues[0]?.message}). Delete it and log in again.`);
  return parsed.data;
}

export async function writeSession(file: string, session: StoredSession): Promise<void> {
  const dir = join(file, "..");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(storedSession.parse(session), null, 2)}\n`, { mode: 0o600, flag: "wx" });
    // The mode given to writeFile is masked by the umask; make it exact.
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function deleteSession(file: string): Promise<void> {
  await rm(file, { force: true });
}
