// Starts the CMS the way the stack runner expects: `node bin/serve.mjs` in
// apps/cms. Compiles the server code when it changed, validates the
// configuration (every problem in one message), then boots Strapi with
// createStrapi so that serving the API never waits for an admin-panel build.
// The admin panel is served only with CMS_ADMIN_PANEL=true and a build
// (`npm run build:admin -w @stack/cms`, output in dist/build).
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileServer } from "./compile-server.mjs";

const require = createRequire(import.meta.url);
const appDir = fileURLToPath(new URL("..", import.meta.url));
const distDir = path.join(appDir, "dist");
// Strapi resolves .env, public/ and .tmp/ against the working directory.
process.chdir(appDir);
// The compiled files carry inline source maps; stack traces then name the .ts lines.
process.setSourceMapsEnabled(true);

try {
  const result = await compileServer({ appDir });
  if (result.compiled) console.log(`[cms] compiled ${result.files} server files in ${result.ms} ms`);
} catch (error) {
  console.error(`[cms] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

// A developer's apps/cms/.env fills in what the environment does not set (the
// same precedence Strapi's own dotenv loading uses); read before validation.
if (existsSync(path.join(appDir, ".env"))) process.loadEnvFile(path.join(appDir, ".env"));

const { loadCmsConfig, CmsConfigError } = require(path.join(distDir, "src", "cms-config.js"));
let config;
try {
  config = loadCmsConfig().config;
} catch (error) {
  if (!(error instanceof CmsConfigError)) throw error;
  console.error(`[cms] ${error.message}`);
  process.exit(1);
}

// Strapi's upload plugin refuses to start without its folder (ignored by git).
mkdirSync(path.join(appDir, "public", "uploads"), { recursive: true });

// The panel's page only with CMS_ADMIN_PANEL=true; its API is closed otherwise
// (src/middlewares/closed-doors.ts), whether or not a build exists.
const serveAdminPanel = config.adminPanel.enabled && existsSync(path.join(distDir, "build", "index.html"));
if (!config.adminPanel.enabled) {
  console.log("[cms] admin panel off (CMS_ADMIN_PANEL): serving /api and /_health only");
} else if (!serveAdminPanel) {
  console.log("[cms] no admin panel build in dist/build: serving the admin API without its page (npm run build:admin -w @stack/cms builds it)");
}

const { createStrapi } = require("@strapi/strapi");
await createStrapi({ appDir, distDir, serveAdminPanel }).start();
