// The refresh storm on two instances needs the production topology's web tier:
// two `next start` processes of the same build, sharing Redis for tokens,
// refresh locks and successor records. The bench stack's own web app keeps its
// sessions in files, so this starts two more instances next to it, on ports of
// their own, with the first one's origin as their public URL (its callback is
// registered on the web client for as long as they run).
import { createRequire } from "node:module";
import { join } from "node:path";
import { checkRedis } from "@stack/runner/parts/redis-keys";
import { webDir, webEnv, webHealthUrl } from "@stack/runner/parts/web-server";
import { SupervisedChild } from "@stack/runner/process/child-process";
import { waitForHttp } from "@stack/runner/process/wait-for-http";
import type { StackConfig } from "@stack/runner/stack-config";
import type { RealmAdmin } from "@stack/testkit/realm-admin";
import type { StackEnv } from "@stack/testkit/stack-env";

export interface SharedWebInstances {
  /** Every instance's base URL; the first one is the public origin of all. */
  urls: string[];
  stop(): Promise<void>;
}

export interface SharedWebOptions {
  config: StackConfig;
  env: StackEnv;
  admin: RealmAdmin;
  ports: number[];
  redisUrl: string;
  redisKeyPrefix: string;
}

export async function startSharedWebInstances(options: SharedWebOptions): Promise<SharedWebInstances> {
  const { config, env, admin, redisUrl, redisKeyPrefix } = options;
  await checkRedis(redisUrl, { clearPrefix: redisKeyPrefix });
  const urls = options.ports.map((port) => `http://localhost:${port}`);
  const publicUrl = urls[0]!;

  const [web] = await admin.client.clients.find({ realm: env.realm, clientId: env.webClientId });
  if (!web?.id) throw new Error(`realm ${env.realm} has no client ${env.webClientId}`);
  const originalRedirects = web.redirectUris ?? [];
  await admin.client.clients.update(
    { realm: env.realm, id: web.id },
    { ...web, redirectUris: [...originalRedirects, `${publicUrl}/api/auth/callback/keycloak`] },
  );

  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next", { paths: [webDir] });
  const children = options.ports.map(
    (port, i) =>
      new SupervisedChild({
        name: `web-shared-${i + 1}`,
        command: process.execPath,
        args: [nextBin, "start", "-p", String(port)],
        cwd: webDir,
        env: { ...config.input.inherited, ...webEnv(config), WEB_URL: publicUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisKeyPrefix, NODE_ENV: "production" },
        logFile: join(config.stateDir, "logs", `web-shared-${i + 1}.log`),
      }),
  );
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
    const current = await admin.client.clients.findOne({ realm: env.realm, id: web.id! });
    await admin.client.clients.update({ realm: env.realm, id: web.id! }, { ...current, redirectUris: originalRedirects });
    await checkRedis(redisUrl, { clearPrefix: redisKeyPrefix }).catch(() => undefined);
  };
  try {
    await Promise.all(children.map((child, i) => waitForHttp({ url: webHealthUrl(options.ports[i]!), timeoutMs: 120_000, child })));
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}
