// Gives each demo user a first note and the editor a published article on
// `npm start`, so the pages show data Strapi served. It goes through the real front doors: a
// Keycloak sign-in (authorization code + PKCE, as the web app does) and the
// Strapi API with that token; nothing is written to a database directly.
import { demoUsers } from "./keycloak/demo-users.ts";
import { tokensFor } from "./sign-in/keycloak-tokens.ts";
import type { StackEnv } from "./stack-env.ts";

export async function seedDemoContent(stack: StackEnv): Promise<number> {
  return (await seedDemoNotes(stack)) + (await seedDemoArticle(stack));
}

// One published article by the demo editor, so the articles page is not empty
// and anonymous readers see what the public role may read.
async function seedDemoArticle(stack: StackEnv): Promise<number> {
  const editor = demoUsers.find((user) => user.extraRoles.includes("editor"));
  if (!editor) return 0;
  const existing = await fetch(`${stack.cmsUrl}/api/articles`);
  if (!existing.ok) throw new Error(`Strapi answered HTTP ${existing.status} to GET /api/articles`);
  if (((await existing.json()) as { data: unknown[] }).data.length > 0) return 0;
  const { access_token } = await tokensFor(stack, editor.email, editor.password);
  const response = await fetch(`${stack.cmsUrl}/api/articles?status=published`, {
    method: "POST",
    headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
    body: JSON.stringify({
      data: {
        title: "Welcome to Acme",
        body: "Anyone can read published articles, signed in or not. Editors (the Keycloak realm role `editor`) write them through the Strapi API.",
      },
    }),
  });
  if (!response.ok) throw new Error(`Strapi answered HTTP ${response.status} to POST /api/articles for ${editor.email}`);
  return 1;
}

async function seedDemoNotes(stack: StackEnv): Promise<number> {
  let created = 0;
  for (const user of demoUsers) {
    const { access_token } = await tokensFor(stack, user.email, user.password);
    const headers = { authorization: `Bearer ${access_token}`, "content-type": "application/json" };
    const list = await fetch(`${stack.cmsUrl}/api/notes`, { headers });
    if (!list.ok) throw new Error(`Strapi answered HTTP ${list.status} to GET /api/notes for ${user.email}`);
    const { data } = (await list.json()) as { data: unknown[] };
    if (data.length > 0) continue;
    const response = await fetch(`${stack.cmsUrl}/api/notes`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        data: { title: `Welcome, ${user.firstName}`, body: `Only ${user.email} can read this note: Strapi scoped it to the Keycloak subject.` },
      }),
    });
    if (!response.ok) throw new Error(`Strapi answered HTTP ${response.status} to POST /api/notes for ${user.email}`);
    created++;
  }
  return created;
}
