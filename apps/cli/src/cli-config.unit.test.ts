import { describe, expect, it } from "vitest";
import { parseCliConfig, UsageError } from "./cli-config.ts";

const env = { HOME: "/home/dev" };

describe("parseCliConfig", () => {
  it("defaults fit `npm start`", () => {
    const config = parseCliConfig(["notes", "list"], env);
    expect(config.command).toEqual({ name: "notes-list" });
    expect(config.issuer.href).toBe("http://localhost:8080/realms/app");
    expect(config.apiUrl.href).toBe("http://localhost:1337/");
    expect(config.clientId).toBe("cli");
    expect(config.scope).toBe("openid notes:read notes:write");
    expect(config.configDir).toBe("/home/dev/.config/notes-cli");
  });

  it("takes flags over the environment over the defaults", () => {
    const fromEnv = { ...env, NOTES_CLI_ISSUER: "https://id.example.com/realms/app/", NOTES_CLI_API_URL: "https://api.example.com", NOTES_CLI_CLIENT_ID: "other" };
    const config = parseCliConfig(["login", "--issuer", "https://sso.example.org/realms/x", "--scope", "openid notes:read"], fromEnv);
    expect(config.command).toEqual({ name: "login" });
    expect(config.issuer.href).toBe("https://sso.example.org/realms/x");
    expect(config.apiUrl.href).toBe("https://api.example.com/");
    expect(config.clientId).toBe("other");
    expect(config.scope).toBe("openid notes:read");
    // A trailing slash on the issuer is dropped: discovery appends /.well-known/… to it.
    expect(parseCliConfig(["login"], fromEnv).issuer.href).toBe("https://id.example.com/realms/app");
  });

  it("uses an absolute XDG_CONFIG_HOME and ignores a relative one", () => {
    expect(parseCliConfig(["login"], { ...env, XDG_CONFIG_HOME: "/tmp/xdg" }).configDir).toBe("/tmp/xdg/notes-cli");
    expect(parseCliConfig(["login"], { ...env, XDG_CONFIG_HOME: "relative" }).configDir).toBe("/home/dev/.config/notes-cli");
  });

  it("joins the words of `notes add` into the note's title", () => {
    expect(parseCliConfig(["notes", "add", "Buy", "milk"], env).command).toEqual({ name: "notes-add", text: "Buy milk" });
  });

  it("shows help without a command or with --help", () => {
    expect(parseCliConfig([], env).command).toEqual({ name: "help" });
    expect(parseCliConfig(["notes", "list", "--help"], env).command).toEqual({ name: "help" });
  });

  it.each([
    [["notes", "add"], /needs the note's text/],
    [["notes", "remove"], /Unknown command "notes remove"/],
    [["login", "now"], /"login" takes no arguments/],
    [["login", "--colour"], /Unknown option '--colour'/],
    [["login", "--issuer"], /argument missing/],
    [["login", "--issuer", "not a url"], /--issuer: "not a url" is not a URL/],
    [["login", "--issuer", "ftp://example.com"], /not an http\(s\) URL/],
    [["login", "--api-url", "http://api.example.com"], /--api-url: .* plain http to another machine; use https/],
  ])("refuses %j with a clear message", (argv, message) => {
    expect(() => parseCliConfig(argv, env)).toThrow(UsageError);
    expect(() => parseCliConfig(argv, env)).toThrow(message);
  });

  it("allows plain http to this machine only", () => {
    expect(parseCliConfig(["login", "--issuer", "http://127.0.0.1:8080/realms/app"], env).issuer.host).toBe("127.0.0.1:8080");
    expect(parseCliConfig(["login", "--api-url", "http://[::1]:1337"], env).apiUrl.hostname).toBe("[::1]");
  });
});
