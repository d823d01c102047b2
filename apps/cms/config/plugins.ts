import { cmsConfig } from "../src/cms-config";

export default () => ({
  "users-permissions": {
    config: {
      // users-permissions signs nothing here (its credential routes are off), but it
      // refuses to boot without a secret and would otherwise write one into .env.
      jwtSecret: cmsConfig().secrets.jwtSecret,
    },
  },
});
