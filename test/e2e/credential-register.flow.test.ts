// Issue 3, journey 1: someone registers from the web app's Register button,
// confirms their email from the mail Keycloak sends, in the same browser, and
// lands in the app signed in; Strapi knows them from that first visit.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { signInThroughKeycloak } from "@stack/testkit/keycloak-login-page";
import { journeyFixture } from "./support/journey-fixture.ts";
import { keycloakMessages } from "./support/keycloak-message.ts";
import { followMailLink } from "./support/mail-link.ts";
import { addNote } from "./support/notes-page.ts";
import { chooseNewPassword } from "./support/password-page.ts";
import { registrationAsksForPassword, submitRegistration } from "./support/registration-page.ts";
import { strapiViewOf } from "./support/strapi-user.ts";

const journey = journeyFixture();
const { stack, inbox } = journey;

it("register → confirmation email → its link in the same browser → signed in to the app, and the Strapi user exists", async () => {
  const person = { email: `register-${randomUUID().slice(0, 8)}@example.test`, firstName: "Rita", lastName: "Register" };
  journey.forgetEmail(person.email);
  const admin = journey.admin.client;
  const password = `pw-${randomUUID()}`;
  const page = await journey.newPage();

  await page.goto(`${stack.webUrl}/`);
  await page.getByTestId("register").click();
  // prompt=create opens Keycloak's registration page directly, not its login page.
  await page.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await page.locator("#kc-register-form").waitFor();
  // With email verification on, Keycloak 26 asks for the password only after the
  // address is confirmed, so an unconfirmed registration holds no credential.
  expect(await registrationAsksForPassword(page)).toBe(false);

  const registered = new Date();
  await submitRegistration(page, person);
  await expect.poll(() => page.locator("#kc-page-title").textContent()).toMatch(/email verification/i);
  const [user] = await admin.users.find({ realm: stack.realm, email: person.email, exact: true });
  expect(user).toMatchObject({ emailVerified: false });

  await followMailLink(page, { inbox, to: person.email, subject: /verify email/i, since: registered });
  await chooseNewPassword(page, password);

  await page.waitForURL(`${stack.webUrl}/notes`);
  await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Rita Register");
  expect((await admin.users.findOne({ realm: stack.realm, id: user!.id! }))?.emailVerified).toBe(true);

  // The notes page already called Strapi with this person's token; a note
  // written through the app lands under the same Strapi user.
  const title = `first note ${randomUUID().slice(0, 6)}`;
  await addNote(page, title);

  const strapi = await strapiViewOf(stack, person.email, password);
  expect(strapi.user.email).toBe(person.email);
  expect(strapi.noteTitles).toEqual([title]);
});

it("the confirmation link opened in another browser: confirmed there, password set there, then an ordinary sign-in", async () => {
  const person = { email: `register-elsewhere-${randomUUID().slice(0, 8)}@example.test`, firstName: "Otto", lastName: "Elsewhere" };
  journey.forgetEmail(person.email);
  const admin = journey.admin.client;
  const password = `pw-${randomUUID()}`;
  const laptop = await journey.newPage();
  await laptop.goto(`${stack.webUrl}/`);
  await laptop.getByTestId("register").click();
  const registered = new Date();
  await submitRegistration(laptop, person);
  // The page tells people where the link continues signed in.
  await expect.poll(() => laptop.locator("main").first().textContent()).toMatch(/open its link in this browser/i);
  const [user] = await admin.users.find({ realm: stack.realm, email: person.email, exact: true });

  // The phone has no sign-in in progress: Keycloak asks to confirm, then for the password,
  // and says plainly that the next step is signing in.
  const phone = await journey.newPage();
  await followMailLink(phone, { inbox, to: person.email, subject: /verify email/i, since: registered });
  await expect.poll(() => keycloakMessages(phone)).toMatch(/email address validation/i);
  await phone.getByText(/click here to proceed/i).click();
  await chooseNewPassword(phone, password);
  await expect.poll(() => phone.locator("main").first().textContent()).toMatch(/sign in to continue/i);
  expect((await admin.users.findOne({ realm: stack.realm, id: user!.id! }))?.emailVerified).toBe(true);
  await phone.getByRole("link", { name: /back to acme/i }).click();
  await phone.waitForURL(`${stack.webUrl}/`);
  await phone.getByTestId("home-sign-in").click();
  await phone.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await signInThroughKeycloak(phone, person.email, password, `${stack.webUrl}/notes`);

  // Nothing that happened on the phone signed the laptop in.
  await laptop.goto(`${stack.webUrl}/notes`);
  await laptop.waitForURL((url) => url.href.startsWith(`${stack.issuer}/`));
  await signInThroughKeycloak(laptop, person.email, password, `${stack.webUrl}/notes`);
});
