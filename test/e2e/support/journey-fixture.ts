// What every browser journey arranges, registered by one call at the top of a
// flow test file: the running stack, a realm admin, one Chromium, the mail
// catcher, and the cleanup of everything a journey made (users, accounts at
// the mock providers, accounts people registered through the app), whether
// the tests passed or not. Hooks a file registers after this call run after
// its beforeAll and before its afterAll (vitest's default "stack" hook order),
// so they may use the admin, the browser and the users.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { MockIdentityProvider } from "@stack/runner/keycloak/mock-identity-providers";
import { launchBrowser } from "@stack/testkit/browser";
import { signInThroughKeycloak } from "@stack/testkit/keycloak-login-page";
import { MailInbox } from "@stack/testkit/mail-inbox";
import type { DisposableUser, RealmAdmin } from "@stack/testkit/realm-admin";
import { realmFixture } from "@stack/testkit/realm-fixture";
import { stackEnv, type StackEnv } from "@stack/testkit/stack-env";
import { createMockProviderAccount, type MockProviderAccount } from "./mock-provider-accounts.ts";

interface Credentials {
  email: string;
  password: string;
}

export interface JourneyFixture {
  readonly stack: StackEnv;
  /** The realm admin (its raw admin client is `.client`); available from the file's first hook or test on. */
  readonly admin: RealmAdmin;
  /** One Chromium for the file, closed after its tests; each journey takes its own context (`newPage`). */
  readonly browser: Browser;
  readonly inbox: MailInbox;
  /** A fresh verified user (see RealmAdmin.createUser), deleted after the file's tests. */
  newUser(label: string): Promise<DisposableUser>;
  /** A page in a new browser context: its own cookies, like another device. */
  newPage(): Promise<Page>;
  /** A person at a mock provider (see createMockProviderAccount), removed after the file's tests. */
  newProviderAccount(provider: MockIdentityProvider, person: { email: string; firstName: string; lastName: string }): Promise<MockProviderAccount>;
  /**
   * Deletes, after the file's tests, every app-realm account with this email:
   * for accounts Keycloak creates during a journey (registration, first
   * sign-in through a provider), whose ids the test may never learn.
   */
  forgetEmail(email: string): void;
  /** Home page → "Sign in" → Keycloak's form, and stops there. */
  openSignInFromHome(page: Page): Promise<void>;
  /** Home page → "Sign in" → Keycloak's form → back on /notes, signed in. */
  signInFromHome(page: Page, user: Credentials): Promise<void>;
  /** A new browser context signed in as `user` through the account page, which shows the user's email. */
  signedInOnAccountPage(user: Credentials): Promise<Page>;
}

export function journeyFixture(): JourneyFixture {
  const stack = stackEnv();
  const realm = realmFixture(stack);
  const inbox = new MailInbox(stack.mailUrl);
  let browser: Browser | undefined;
  const providerAccounts: MockProviderAccount[] = [];
  const forgotten = new Set<string>();

  // Registered after realmFixture's hooks: runs after its beforeAll, and this
  // afterAll runs before it deletes the users.
  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const account of providerAccounts.splice(0)) await account.remove();
    const { client } = realm.admin;
    for (const email of forgotten) {
      for (const user of await client.users.find({ realm: stack.realm, email, exact: true })) {
        await client.users.del({ realm: stack.realm, id: user.id! }).catch(() => undefined);
      }
    }
    forgotten.clear();
  });

  const ready = (): Browser => {
    if (!browser) throw new Error("journeyFixture: the browser is used before the test file's beforeAll ran");
    return browser;
  };

  const fixture: JourneyFixture = {
    stack,
    get admin() {
      return realm.admin;
    },
    get browser() {
      return ready();
    },
    inbox,
    newUser: (label) => realm.newUser(label),
    async newPage() {
      return (await ready().newContext()).newPage();
    },
    async newProviderAccount(provider, person) {
      const account = await createMockProviderAccount(realm.admin.client, provider, person);
      providerAccounts.push(account);
      return account;
    },
    forgetEmail(email) {
      forgotten.add(email);
    },
    async openSignInFromHome(page) {
      await page.goto(stack.webUrl);
      await page.getByTestId("home-sign-in").click();
      await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
    },
    async signInFromHome(page, user) {
      await fixture.openSignInFromHome(page);
      await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/notes`);
    },
    async signedInOnAccountPage(user) {
      const page = await fixture.newPage();
      await page.goto(`${stack.webUrl}/account`);
      await signInThroughKeycloak(page, user.email, user.password, `${stack.webUrl}/account`);
      await expect.poll(() => page.getByTestId("account-email").textContent()).toBe(user.email);
      return page;
    },
  };
  return fixture;
}
