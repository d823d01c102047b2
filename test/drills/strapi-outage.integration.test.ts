// Drill: Strapi is stopped while a user is signed in. The web app says the
// service is unavailable on the pages that need it, keeps the session, and
// works again as soon as Strapi is back.
import { afterAll, beforeAll, expect, it } from "vitest";
import { realmAdmin, type DisposableUser, type RealmAdmin } from "@stack/testkit/realm-admin";
import { stackControl } from "@stack/testkit/stack-control";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { signInToWeb, type WebSession } from "@stack/testkit/web-session";

let stack: StackEnv;
let admin: RealmAdmin;
let user: DisposableUser;

beforeAll(async () => {
  stack = stackEnv();
  admin = await realmAdmin(stack);
  user = await admin.createUser("strapi-outage");
});

afterAll(async () => {
  await admin.deleteUser(user);
});

async function html(session: WebSession, path: string): Promise<{ status: number; html: string }> {
  const response = await session.fetch(path);
  return { status: response.status, html: await response.text() };
}

it("Strapi stopped: the notes and articles pages show an error, the session stays, and all works once Strapi is back", async () => {
  const session = await signInToWeb(stack, user.email, user.password);
  const before = await html(session, "/notes");
  expect(before.status).toBe(200);
  expect(before.html).not.toContain('data-testid="error"');

  await stackControl.stop("cms");
  try {
    const notes = await html(session, "/notes");
    expect(notes.status).toBe(200);
    expect(notes.html).toContain('data-testid="error"');
    expect(notes.html).toContain("The notes service is unavailable right now");
    expect(notes.html).toContain('data-testid="user-name"');

    const articles = await html(session, "/articles");
    expect(articles.status).toBe(200);
    expect(articles.html).toContain("Articles are unavailable right now.");

    // Pages that need no API, and the session itself, are untouched.
    expect((await html(session, "/account")).html).toContain(user.email);
    const current = (await (await session.fetch("/api/auth/session")).json()) as { user?: { email?: string } };
    expect(current.user?.email).toBe(user.email);
  } finally {
    await stackControl.start("cms");
  }

  const after = await html(session, "/notes");
  expect(after.status).toBe(200);
  expect(after.html).not.toContain('data-testid="error"');
  expect(after.html).toContain('data-testid="new-note-form"');
});
