// Demo accounts of the dev and test overlay. Never part of keycloak/realm-export.json.
// Passwords satisfy the realm's password policy; they are printed by `npm start`
// and listed in the README because they are public by design.

export interface DemoUser {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  /** Realm roles on top of the default role (which grants `user`). */
  extraRoles: readonly string[];
}

export const demoUsers: readonly DemoUser[] = [
  { email: "alice@example.com", password: "alice-demo-password", firstName: "Alice", lastName: "Liddell", extraRoles: [] },
  { email: "bob@example.com", password: "bob-demo-password", firstName: "Bob", lastName: "Builder", extraRoles: [] },
  { email: "editor@example.com", password: "editor-demo-password", firstName: "Edith", lastName: "Editor", extraRoles: ["editor"] },
];
