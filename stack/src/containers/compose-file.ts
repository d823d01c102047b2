// Reads docker-compose.yml the way Compose does, so that tests can check the
// file on machines without Docker: YAML (anchors included), then variable
// interpolation on every string value (compose-spec "Interpolation"):
//   ${VAR} / $VAR        the variable, "" when unset
//   ${VAR:-default}      default when unset or empty;  ${VAR-default} only when unset
//   ${VAR:?message}      error when unset or empty;    ${VAR?message} only when unset
//   $$                   a literal $
// Keys and comments are not interpolated, as in Compose.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface ComposeHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: ComposeHealthcheck;
  depends_on?: string[] | Record<string, { condition?: string }>;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ComposeVariable {
  name: string;
  /** `:?` or `?`: Compose refuses to run without it. */
  required: boolean;
  /** The default after `:-` or `-`, if any. */
  fallback?: string;
}

export class ComposeInterpolationError extends Error {
  readonly code = "ERR_COMPOSE_INTERPOLATION";
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.variable = variable;
  }
}

const REFERENCE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Interpolates one string value; throws for a missing required variable, with Compose's message. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(REFERENCE, (match, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
    if (match === "$$") return "$";
    const name = (braced ?? bare)!;
    const current = env[name];
    const unset = current === undefined;
    const empty = unset || current === "";
    switch (operator) {
      case ":-":
        return empty ? argument! : current!;
      case "-":
        return unset ? argument! : current;
      case ":?":
      case "?":
        if (operator === ":?" ? empty : unset) throw new ComposeInterpolationError(name, argument || `required variable ${name} is missing a value`);
        return current!;
      default:
        return current ?? "";
    }
  });
}

/** Every variable a string value references. */
export function variablesIn(value: string): ComposeVariable[] {
  const found: ComposeVariable[] = [];
  for (const match of value.matchAll(REFERENCE)) {
    if (match[0] === "$$") continue;
    const [, braced, operator, argument, bare] = match;
    const name = (braced ?? bare)!;
    found.push({
      name,
      required: operator === ":?" || operator === "?",
      fallback: operator === ":-" || operator === "-" ? argument : undefined,
    });
  }
  return found;
}

function mapStrings(node: unknown, map: (value: string) => string): unknown {
  if (typeof node === "string") return map(node);
  if (Array.isArray(node)) return node.map((item) => mapStrings(item, map));
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, mapStrings(value, map)]));
  }
  return node;
}

/** The file as written (no interpolation). */
export function readComposeSource(path: string): ComposeFile {
  const parsed = parse(readFileSync(path, "utf8"), { merge: true }) as ComposeFile | null;
  if (!parsed || typeof parsed !== "object" || !parsed.services) throw new TypeError(`${path} has no services`);
  return parsed;
}

/** The file as Compose sees it with this environment. */
export function readComposeFile(path: string, env: Record<string, string | undefined>): ComposeFile {
  return mapStrings(readComposeSource(path), (value) => interpolate(value, env)) as ComposeFile;
}

/** Every variable the file references, once each (the strictest use wins). */
export function composeVariables(path: string): ComposeVariable[] {
  const byName = new Map<string, ComposeVariable>();
  mapStrings(readComposeSource(path), (value) => {
    for (const variable of variablesIn(value)) {
      const known = byName.get(variable.name);
      if (!known) byName.set(variable.name, variable);
      else if (variable.required) known.required = true;
      else if (known.fallback === undefined) known.fallback = variable.fallback;
    }
    return value;
  });
  return [...byName.values()];
}

/** A service's environment as a map (Compose accepts a map or a list of NAME=value). */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => {
      const equals = entry.indexOf("=");
      return equals < 0 ? [entry, ""] : [entry.slice(0, equals), entry.slice(equals + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? "" : String(value)]));
}
