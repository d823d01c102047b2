// The Strapi user behind a Keycloak account, seen through Strapi's own API with
// that account's access token (`/api/users/me` answers the caller's record).
import { expect } from "vitest";
import { tokensFor } from "@stack/testkit/keycloak-tokens";
import type { StackEnv } from "@stack/testkit/stack-env";

export interface StrapiView {
  user: { id: number; email: string };
  noteTitles: string[];
}

export async function strapiViewOf(stack: StackEnv, email: string, password: string): Promise<StrapiView> {
  const { access_token } = await tokensFor(stack, email, password);
  const get = async (path: string) => {
    const response = await fetch(`${stack.cmsUrl}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return response.json();
  };
  const user = (await get("/api/users/me")) as StrapiView["user"];
  const notes = (await get("/api/notes")) as { data: { title: string }[] };
  return { user, noteTitles: notes.data.map((note) => note.title) };
}
