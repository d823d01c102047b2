// The CLI's settings, read once: flags first, then the environment, then the
// defaults that fit `npm start`. The CLI's only read of process.env.
import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

type Command = { name: "login" } | { name: "logout" } | { name: "notes-list" } | { name: "notes-add"; text: string } | { name: "help" };

export interface CliConfig {
  command: Command;
  /** The realm's issuer URL (discovery: <issuer>/.well-known/openid-configuration). */
  issuer: URL;
  /** The Strapi API's base URL. */
  apiUrl: URL;
  clientId: string;
  /** Scopes asked for at login (the API's rights; see docs/api-clients.md). */
  scope: string;
  /** $XDG_CONFIG_HOME/notes-cli or ~/.config/notes-cli: the session file lives here. */
  configDir: string;
}

/** A mistake in how the CLI was called: main prints it with the usage text. */
export class UsageError extends Error {}

export const USAGE = `Usage: notes-cli [options] <command>

Commands:
  login              sign in with the device flow (open the printed address, enter the code)
  notes list         list your notes
  notes add <text>   add a note titled <text>
  logout             revoke the refresh token and delete the stored session

Options (or environment):
  --issuer <url>     Keycloak realm URL (NOTES_CLI_ISSUER; default http://localhost:8080/realms/app)
  --api-url <url>    Strapi API URL (NOTES_CLI_API_URL; default http://localhost:1337)
  --client-id <id>   OAuth client (NOTES_CLI_CLIENT_ID; default cli)
  --scope <scopes>   scopes asked for at login (default "openid notes:read notes:write")`;

export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

const DEFAULTS = { issuer: "http://localhost:8080/realms/app", apiUrl: "http://localhost:1337", clientId: "cli", scope: "openid notes:read notes:write" };

export function parseCliConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliConfig {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  return {
    command: values.help ? { name: "help" } : parseCommand(positionals),
    issuer: serverUrl("--issuer", values.issuer ?? env.NOTES_CLI_ISSUER ?? DEFAULTS.issuer),
    apiUrl: serverUrl("--api-url", values["api-url"] ?? env.NOTES_CLI_API_URL ?? DEFAULTS.apiUrl),
    clientId: values["client-id"] ?? env.NOTES_CLI_CLIENT_ID ?? DEFAULTS.clientId,
    scope: values.scope ?? DEFAULTS.scope,
    configDir: configDirectory(env),
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      issuer: { type: "string" },
      "api-url": { type: "string" },
      "client-id": { type: "string" },
      scope: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parseCommand(positionals: string[]): Command {
  const [first, second, ...rest] = positionals;
  if (first === undefined || first === "help") return { name: "help" };
  if (first === "login" || first === "logout") {
    if (second !== undefined) throw new UsageError(`"${first}" takes no arguments (got "${second}").`);
    return { name: first };
  }
  if (first === "notes" && second === "list" && rest.length === 0) return { name: "notes-list" };
  if (first === "notes" && second === "add") {
    const text = rest.join(" ").trim();
    if (!text) throw new UsageError(`"notes add" needs the note's text, e.g. notes-cli notes add "Buy milk".`);
    return { name: "notes-add", text };
  }
  throw new UsageError(`Unknown command "${positionals.join(" ")}".`);
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An http(s) URL; plain http only for this machine (tokens must not cross a network in clear text). */
function serverUrl(flag: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`${flag}: "${value}" is not an http(s) URL.`);
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
    throw new UsageError(`${flag}: "${value}" uses plain http to another machine; use https (plain http is allowed for localhost only).`);
  }
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

function configDirectory(env: Readonly<Record<string, string | undefined>>): string {
  // XDG Base Directory: a relative XDG_CONFIG_HOME is invalid and ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg?.startsWith("/") ? xdg : join(env.HOME || homedir(), ".config");
  return join(base, "notes-cli");
}
