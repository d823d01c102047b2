import "server-only";
import { z } from "zod";
import { getAccessToken } from "../auth";
import { keycloakEndpoints, keycloakFetch } from "../auth/keycloak/keycloak-endpoints";
import { cmsRequest } from "../cms/cms-client";
import { CmsError } from "../cms/cms-error";
import { webConfig } from "../config/web-config";

/**
 * "Download my data": what Keycloak and Strapi hold about the signed-in person,
 * read with their own access token (server side; the token is not in the file):
 * the profile and linked providers from Keycloak's account REST API, and their
 * notes from Strapi (every page). Only their own: both APIs scope to the token.
 */
export interface AccountData {
  exportedAt: string;
  profile: Record<string, unknown>;
  linkedProviders: { provider: string; displayName: string | null; linkedUsername: string | null }[];
  notes: { documentId: string; title: string; body: string | null; createdAt: string; updatedAt: string }[];
}

export class AccountDataUnavailableError extends Error {
  constructor(readonly source: "keycloak" | "cms") {
    super(`${source} could not be read`);
    this.name = "AccountDataUnavailableError";
  }
}

const linkedAccounts = z.array(
  z.object({ providerAlias: z.string(), displayName: z.string().nullish(), connected: z.boolean(), linkedUsername: z.string().nullish() }),
);
const notePage = z.object({
  data: z.array(z.object({ documentId: z.string(), title: z.string(), body: z.string().nullable().default(null), createdAt: z.string(), updatedAt: z.string() })),
  meta: z.object({ pagination: z.object({ page: z.number(), pageCount: z.number() }) }),
});
const NOTES_PAGE_SIZE = 100;

async function fromKeycloak(path: string, token: string): Promise<unknown> {
  const config = webConfig();
  const endpoints = keycloakEndpoints(config.keycloakIssuer, config.keycloakInternalUrl);
  const response = await keycloakFetch(endpoints, config.upstreamTimeoutMs)(`${config.keycloakIssuer}/account${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    cache: "no-store",
  }).catch(() => undefined);
  if (!response?.ok) throw new AccountDataUnavailableError("keycloak");
  return response.json();
}

async function allNotes(): Promise<AccountData["notes"]> {
  const notes: AccountData["notes"] = [];
  for (let page = 1; ; page++) {
    let body: unknown;
    try {
      body = await cmsRequest(`/api/notes?sort=createdAt:asc&pagination[page]=${page}&pagination[pageSize]=${NOTES_PAGE_SIZE}`, { auth: "user" });
    } catch (error) {
      if (error instanceof CmsError) throw new AccountDataUnavailableError("cms");
      throw error;
    }
    const parsed = notePage.safeParse(body);
    if (!parsed.success) throw new AccountDataUnavailableError("cms");
    notes.push(...parsed.data.data);
    if (page >= parsed.data.meta.pagination.pageCount) return notes;
  }
}

/** Null when nobody is signed in; throws AccountDataUnavailableError when a source cannot be read. */
export async function exportAccountData(): Promise<AccountData | null> {
  const token = await getAccessToken();
  if (!token) return null;
  const [profile, linked, notes] = await Promise.all([fromKeycloak("", token), fromKeycloak("/linked-accounts", token), allNotes()]);
  const providers = linkedAccounts.safeParse(linked);
  if (!providers.success || typeof profile !== "object" || profile === null) throw new AccountDataUnavailableError("keycloak");
  return {
    exportedAt: new Date().toISOString(),
    profile: profile as Record<string, unknown>,
    linkedProviders: providers.data
      .filter((account) => account.connected)
      .map((account) => ({ provider: account.providerAlias, displayName: account.displayName ?? null, linkedUsername: account.linkedUsername ?? null })),
    notes,
  };
}
