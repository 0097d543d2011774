#!/usr/bin/env bash
# The two database roles of docker-compose.yml, made by the PostgreSQL superuser:
#   DB_OWNER_ROLE (default wob_owner) owns the database and every table; `migrate` runs as it.
#   DB_APP_ROLE   (default wob_app) is what web, worker and beat connect as. It owns nothing;
#                 migrate grants it what the application needs, and on the audit trail only
#                 SELECT and INSERT (audit/grants.py).
# The superuser (POSTGRES_USER) is only used for this; no service connects as it.
#
# The postgres image runs this once, on first start with an empty data volume (it is mounted
# into /docker-entrypoint-initdb.d/). It is safe to run again, and that is how a volume from
# before the two roles is converted (it hands the superuser's tables to the owner role):
#   docker compose up -d db
#   docker compose exec db bash /docker-entrypoint-initdb.d/init-roles.sh
#   docker compose up -d --build
# Passwords come from DB_OWNER_PASSWORD and DB_APP_PASSWORD; running it again resets them.

# A subshell: the image sources a script that is not executable, and our `set` must not leak.
(
  set -euo pipefail
  psql --no-psqlrc -v ON_ERROR_STOP=1 -q \
    --username "${POSTGRES_USER:?}" --dbname "${POSTGRES_DB:?}" \
    -v db="$POSTGRES_DB" \
    -v owner="${DB_OWNER_ROLE:-wob_owner}" \
    -v app="${DB_APP_ROLE:-wob_app}" \
    -v owner_password="${DB_OWNER_PASSWORD:?set DB_OWNER_PASSWORD}" \
    -v app_password="${DB_APP_PASSWORD:?set DB_APP_PASSWORD}" <<'SQL'
SELECT format('CREATE ROLE %I', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_password';
ALTER ROLE :"app" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'app_password';

-- The owner role owns the database (and through it, PostgreSQL 15's public schema); only the
-- two roles may connect; nobody else may create objects in the schema.
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- A database the superuser migrated before: its tables, views, free-standing sequences and
-- functions go to the owner role (a column's sequence follows its table).
SELECT format('ALTER TABLE %s OWNER TO %I', c.oid::regclass, :'owner')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER SEQUENCE %s OWNER TO %I', c.oid::regclass, :'owner')
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'owner')
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                   AND d.objid = c.oid AND d.deptype IN ('a', 'i')) \gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace
   AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = :'owner') \gexec
SQL
)
