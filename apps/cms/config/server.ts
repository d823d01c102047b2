import { cmsConfig } from "../src/cms-config";

export default () => {
  const { server } = cmsConfig();
  return {
    host: server.host,
    port: server.port,
    app: { keys: server.appKeys },
    // Update checks and telemetry call out to strapi.io; the API has no need for them.
    logger: { updates: { enabled: false } },
  };
};
