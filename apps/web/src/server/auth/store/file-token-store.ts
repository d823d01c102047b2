import "server-only";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { digest, type TokenCipher } from "./token-cipher";
import type { TokenSet } from "../tokens/token-set";
import type { StoredSession, TokenStore } from "./token-store";

const FOLDERS = ["sessions", "successors", "locks", "logout-tokens", "tmp"] as const;
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

interface SessionFile {
  /** Digests, not the ids themselves: enough to match a logout token, useless to a reader of the folder. */
  sid: string | null;
  sub: string;
  expiresAt: number;
  sealed: string;
}

interface ExpiringFile {
  expiresAt: number;
  sealed?: string;
  lockToken?: string;
}

export interface FileTokenStoreOptions {
  dir: string;
  cipher: TokenCipher;
  now?: () => number;
}

/**
 * The embedded token store: one sealed JSON file per session under `dir`, so
 * sessions survive a restart of the web app. Meant for one instance; the lock
 * files still keep two processes that share a folder by accident (an old and
 * a new server overlapping during a restart) from refreshing the same session
 * twice. Writes go through a temporary file and a rename, so a reader never
 * sees half a file.
 */
export class FileTokenStore implements TokenStore {
  readonly kind = "file" as const;
  private readonly now: () => number;

  constructor(private readonly options: FileTokenStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(sessionId: string): Promise<StoredSession | null> {
    const path = this.sessionPath(sessionId);
    const file = await this.readJson<SessionFile>(path);
    if (!file) return null;
    const session = file.expiresAt > this.now() ? this.options.cipher.open<StoredSession>(file.sealed) : null;
    // Unreadable entries (AUTH_SECRET rotated) are as dead as expired ones.
    if (!session || session.sessionId !== sessionId) {
      await rm(path, { force: true });
      return null;
    }
    return session;
  }

  async create(session: StoredSession): Promise<void> {
    await this.writeSession(session);
  }

  async update(session: StoredSession): Promise<boolean> {
    // Check-then-write leaves a tiny window against a concurrent delete; in one
    // instance the in-process single-flight map already orders refreshes.
    if (!(await this.readJson<SessionFile>(this.sessionPath(session.sessionId)))) return false;
    await this.writeSession(session);
    return true;
  }

  async delete(sessionId: string): Promise<void> {
    await rm(this.sessionPath(sessionId), { force: true });
  }

  deleteBySid(sid: string): Promise<number> {
    const wanted = digest(sid);
    return this.deleteWhere((file) => file.sid === wanted);
  }

  deleteBySub(sub: string): Promise<number> {
    const wanted = digest(sub);
    return this.deleteWhere((file) => file.sub === wanted);
  }

  async acquireRefreshLock(sessionId: string, ttlMs: number): Promise<string | null> {
    await this.ensureDirs();
    const path = join(/* turbopackIgnore: true */ this.options.dir, "locks", `${digest(sessionId)}.json`);
    const lockToken = randomUUID();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        // `wx` fails when the file exists: creation is the atomic test-and-set.
        const handle = await open(path, "wx", 0o600);
        await handle.writeFile(JSON.stringify({ expiresAt: this.now() + ttlMs, lockToken } satisfies ExpiringFile));
        await handle.close();
        return lockToken;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const held = await this.readJson<ExpiringFile>(path);
        if (held && held.expiresAt > this.now()) return null;
        // The holder died or overran its lifetime: the lock is free.
        await rm(path, { force: true });
      }
    }
    return null;
  }

  async releaseRefreshLock(sessionId: string, lockToken: string): Promise<void> {
    const path = join(/* turbopackIgnore: true */ this.options.dir, "locks", `${digest(sessionId)}.json`);
    const held = await this.readJson<ExpiringFile>(path);
    if (held?.lockToken === lockToken) await rm(path, { force: true });
  }

  async putSuccessor(sessionId: string, previousRefreshToken: string, tokens: TokenSet, ttlMs: number): Promise<void> {
    await this.writeAtomically(this.successorPath(sessionId, previousRefreshToken), {
      expiresAt: this.now() + ttlMs,
      sealed: this.options.cipher.seal(tokens),
    } satisfies ExpiringFile);
  }

  async getSuccessor(sessionId: string, previousRefreshToken: string): Promise<TokenSet | null> {
    const file = await this.readJson<ExpiringFile>(this.successorPath(sessionId, previousRefreshToken));
    if (!file?.sealed || file.expiresAt <= this.now()) return null;
    return this.options.cipher.open<TokenSet>(file.sealed);
  }

  async rememberLogoutToken(jti: string, expiresAt: number): Promise<boolean> {
    await this.ensureDirs();
    const path = join(/* turbopackIgnore: true */ this.options.dir, "logout-tokens", `${digest(jti)}.json`);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        // `wx` fails when the file exists: creation is the atomic test-and-set.
        const handle = await open(path, "wx", 0o600);
        await handle.writeFile(JSON.stringify({ expiresAt } satisfies ExpiringFile));
        await handle.close();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const seen = await this.readJson<ExpiringFile>(path);
        if (seen && seen.expiresAt > this.now()) return false;
        // A record the purge has not reached yet: its token has expired, so the jti may be new again.
        await rm(path, { force: true });
      }
    }
    return false;
  }

  /** Deletes expired sessions, successor records, logout-token records and abandoned locks; returns how many files went. */
  async purgeExpired(): Promise<number> {
    await this.ensureDirs();
    let removed = 0;
    for (const folder of ["sessions", "successors", "locks", "logout-tokens"]) {
      const dir = join(/* turbopackIgnore: true */ this.options.dir, folder);
      for (const name of await readdir(dir)) {
        const path = join(dir, name);
        const file = await this.readJson<ExpiringFile>(path);
        if (!file || typeof file.expiresAt !== "number" || file.expiresAt <= this.now()) {
          await rm(path, { force: true });
          removed += 1;
        }
      }
    }
    // Temporary files of writes that crashed between write and rename.
    const tmp = join(/* turbopackIgnore: true */ this.options.dir, "tmp");
    for (const name of await readdir(tmp)) {
      const path = join(tmp, name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtimeMs < this.now() - STALE_TEMPORARY_MS) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  async ping(): Promise<void> {
    await this.ensureDirs();
  }

  async close(): Promise<void> {}

  private sessionPath(sessionId: string): string {
    return join(/* turbopackIgnore: true */ this.options.dir, "sessions", `${digest(sessionId)}.json`);
  }

  private successorPath(sessionId: string, previousRefreshToken: string): string {
    return join(/* turbopackIgnore: true */ this.options.dir, "successors", `${digest(`${sessionId}\0${previousRefreshToken}`)}.json`);
  }

  private async writeSession(session: StoredSession): Promise<void> {
    await this.writeAtomically(this.sessionPath(session.sessionId), {
      sid: session.sid === null ? null : digest(session.sid),
      sub: digest(session.sub),
      expiresAt: session.expiresAt,
      sealed: this.options.cipher.seal(session),
    } satisfies SessionFile);
  }

  private async deleteWhere(match: (file: SessionFile) => boolean): Promise<number> {
    await this.ensureDirs();
    const dir = join(/* turbopackIgnore: true */ this.options.dir, "sessions");
    let removed = 0;
    for (const name of await readdir(dir)) {
      const file = await this.readJson<SessionFile>(join(dir, name));
      if (file && match(file)) {
        await rm(join(dir, name), { force: true });
        if (file.expiresAt > this.now()) removed += 1;
      }
    }
    return removed;
  }

  private async writeAtomically(path: string, value: unknown): Promise<void> {
    await this.ensureDirs();
    // A separate folder, so scans of the data folders never meet a half-written file.
    const temporary = join(/* turbopackIgnore: true */ this.options.dir, "tmp", randomUUID());
    await writeFile(temporary, JSON.stringify(value), { mode: 0o600 });
    await rename(temporary, path);
  }

  // Read synchronously: a session file is a few KB in a local folder, which
  // readFileSync reads in about 6 µs of CPU, where fs/promises' readFile spends
  // about 50 µs on its four thread-pool round trips; this runs on every page
  // view (decision 0112).
  private async readJson<T>(path: string): Promise<T | null> {
    try {
      return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || error instanceof SyntaxError) return null;
      throw error;
    }
  }

  // Not memoised: the folder may be removed while the server runs (`npm run reset`).
  private async ensureDirs(): Promise<void> {
    await Promise.all(FOLDERS.map((folder) => mkdir(join(/* turbopackIgnore: true */ this.options.dir, folder), { recursive: true, mode: 0o700 })));
  }
}
