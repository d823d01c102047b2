#!/bin/sh
# Run once by the postgres image on an empty data volume
# (/docker-entrypoint-initdb.d): one role and one database each for Keycloak and
# Strapi, so neither can read the other's tables and neither is a superuser.
# The native production mode does the same in stack/src/parts/postgres-databases.ts.
set -eu
# psql variables (:'name') quote the passwords as SQL literals.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v keycloak_password="$KEYCLOAK_DB_PASSWORD" -v cms_password="$CMS_DB_PASSWORD" <<'SQL'
CREATE ROLE keycloak WITH LOGIN PASSWORD :'keycloak_password';
CREATE DATABASE keycloak OWNER keycloak;
CREATE ROLE cms WITH LOGIN PASSWORD :'cms_password';
CREATE DATABASE cms OWNER cms;
SQL
