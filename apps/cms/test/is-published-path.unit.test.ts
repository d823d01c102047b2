import { describe, expect, it } from "vitest";
import { isPublishedPath } from "../src/routing/is-published-path";

describe("isPublishedPath", () => {
  it("publishes the content API and the health check", () => {
    for (const path of ["/api", "/api/notes", "/api/notes/abc123", "/api/users/me", "/api/auth/local", "/api/connect/github", "/api/users-permissions/roles", "/_health"]) {
      expect(isPublishedPath(path), path).toBe(true);
    }
  });

  it("closes the admin panel's API and everything else Strapi mounts", () => {
    for (const path of [
      "/",
      "/admin",
      "/admin/",
      "/admin/register-admin",
      "/admin/init",
      "/admin/login",
      "/ADMIN/register-admin",
      "/content-manager/collection-types/api::note.note",
      "/content-type-builder/content-types",
      "/upload/files",
      "/uploads/file.png",
      "/i18n/locales",
      "/users-permissions/roles",
      "/documentation",
      "/favicon.ico",
      "/mcp",
      "/apis",
      "/api-admin",
      "/_health/x",
      "//api/notes",
    ]) {
      expect(isPublishedPath(path), path).toBe(false);
    }
  });

  it("closes paths that another component could normalise into a closed one", () => {
    for (const path of ["/api/../admin/register-admin", "/api/%2e%2e/admin/init", "/api/..%2Fadmin/init", "/api/%2E./admin", "/api/.", "/api\\..\\admin", "/api/x%5c..%5cadmin"]) {
      expect(isPublishedPath(path), path).toBe(false);
    }
  });

  it("follows a different REST prefix", () => {
    expect(isPublishedPath("/rest/notes", "/rest")).toBe(true);
    expect(isPublishedPath("/api/notes", "/rest")).toBe(false);
  });
});
