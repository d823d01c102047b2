#!/usr/bin/env node
// notes-cli: the example command-line client of the notes API (README.md).
import { parseCliConfig, processEnvironment, USAGE, UsageError, type CliConfig } from "./cli-config.ts";
import { explainError } from "./explain-error.ts";
import { addNote, listNotes } from "./notes-api.ts";
import { connect, dpopHandle, freshSession, login, revoke } from "./oidc-session.ts";
import { CliError, deleteSession, readSession, sessionFile, writeSession } from "./token-store.ts";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function run(config: CliConfig): Promise<void> {
  const file = sessionFile(config.configDir);
  switch (config.command.name) {
    case "help":
      say(USAGE);
      return;
    case "login": {
      const session = await login(await connect(config), config, say);
      await writeSession(file, session);
      say(`Signed in (scopes: ${session.scope ?? "?"}). Session saved in ${file}.`);
      return;
    }
    case "logout": {
      const session = await readSession(file);
      if (!session) {
        say("Not logged in.");
        return;
      }
      await revoke(await connect(config), session);
      await deleteSession(file);
      say("Logged out: the refresh token is revoked and the session file deleted.");
      return;
    }
    case "notes-list":
    case "notes-add": {
      const stored = await readSession(file);
      if (!stored) throw new CliError("Not logged in. Run: notes-cli login");
      if (stored.issuer !== config.issuer.href) throw new CliError(`The stored session is for ${stored.issuer}, not ${config.issuer.href}. Run: notes-cli login`);
      const oidc = await connect(config);
      const dpop = await dpopHandle(oidc, stored);
      const session = await freshSession(oidc, config, stored, dpop);
      if (session !== stored) await writeSession(file, session);
      const caller = { oidc, apiUrl: config.apiUrl, accessToken: session.accessToken, dpop };
      if (config.command.name === "notes-add") {
        const note = await addNote(caller, config.command.text);
        say(`Added note ${note.documentId}: ${note.title}`);
        return;
      }
      const notes = await listNotes(caller);
      if (notes.length === 0) say("No notes yet.");
      for (const note of notes) say(`${note.documentId}  ${note.title}`);
      return;
    }
  }
}

async function main(): Promise<number> {
  let config: CliConfig;
  try {
    config = parseCliConfig(process.argv.slice(2), processEnvironment());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`notes-cli: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    await run(config);
    return 0;
  } catch (error) {
    process.stderr.write(`notes-cli: ${explainError(error)}\n`);
    return 1;
  }
}

process.exitCode = await main();
