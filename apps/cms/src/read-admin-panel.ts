// CMS_ADMIN_PANEL and its first admin (docs/decisions/0030-strapi-answers-only-its-content-api.md):
// off unless asked for; when on, the first admin comes from secrets, never from
// whoever calls register-admin first.
import type { AdminPanelConfig } from "./cms-config-shape";

// Strapi's own admin password rule (one lower-case letter, one upper-case letter,
// one digit; bcrypt reads at most 72 bytes) with the realm's minimum length.
const ADMIN_PASSWORD_MIN_LENGTH = 12;
const ADMIN_PASSWORD_MAX_BYTES = 72;
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readAdminPanel(
  read: (name: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  errors: string[],
  warnings: string[],
): AdminPanelConfig {
  const raw = read("CMS_ADMIN_PANEL") ?? "false";
  if (raw !== "true" && raw !== "false") {
    errors.push(`CMS_ADMIN_PANEL must be true or false (got "${raw}").`);
    return { enabled: false };
  }
  if (raw === "false") return { enabled: false };
  // Messages name the variables, never the password's value.
  const email = read("CMS_ADMIN_EMAIL");
  if (email === undefined || !EMAIL_ADDRESS.test(email)) {
    errors.push("CMS_ADMIN_EMAIL must be an email address when CMS_ADMIN_PANEL=true (the first admin is created from it at start).");
  }
  // Taken as written: spaces are part of a password.
  const password = env.CMS_ADMIN_PASSWORD ?? "";
  const emailName = email?.split("@")[0]?.toLowerCase() ?? "";
  if (password === "") {
    errors.push("CMS_ADMIN_PASSWORD is required when CMS_ADMIN_PANEL=true (the first admin is created from it at start).");
  } else if (
    password.length < ADMIN_PASSWORD_MIN_LENGTH ||
    Buffer.byteLength(password) > ADMIN_PASSWORD_MAX_BYTES ||
    !/[a-z]/.test(password) ||
    !/[A-Z]/.test(password) ||
    !/\d/.test(password) ||
    (emailName.length >= 3 && password.toLowerCase().includes(emailName))
  ) {
    errors.push(
      `CMS_ADMIN_PASSWORD is too weak: at least ${ADMIN_PASSWORD_MIN_LENGTH} characters and at most ${ADMIN_PASSWORD_MAX_BYTES} bytes, with a lower-case letter, an upper-case letter and a digit, not containing the email's name.`,
    );
  }
  warnings.push("CMS_ADMIN_PANEL=true: Strapi's admin panel and admin API are open on this instance; publish only /api to the outside.");
  return { enabled: true, firstAdmin: { email: email ?? "", password } };
}
