import { cmsConfig } from "../src/cms-config";

export default () => {
  const { database } = cmsConfig();
  if (database.client === "postgres") {
    return {
      connection: {
        client: "postgres",
        connection: { connectionString: database.url },
        pool: { min: 0, max: 10 },
      },
    };
  }
  return {
    connection: {
      client: "sqlite",
      connection: { filename: database.filename },
      useNullAsDefault: true,
    },
  };
};
