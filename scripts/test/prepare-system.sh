#!/usr/bin/env bash
# Makes this machine able to run the whole test suite, idempotently:
#   - Debian packages: PostgreSQL 15 + PostGIS 3 (second backend), GDAL (real OGC
#     client), Chromium (browser tests), poppler-utils (PDF checks);
#   - a running local cluster with a throw-away superuser role for the tests.
# Prints the TEST_DATABASE_URL to use on its last line. Needs root for installs;
# without root it says exactly what is missing and fails.
set -euo pipefail

log() { echo "[prepare-system] $*" >&2; }

need=()
command -v pg_ctlcluster >/dev/null && [ -d /usr/share/postgresql/15/extension ] && ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1 || need+=(postgresql-15-postgis-3)
command -v ogrinfo >/dev/null || need+=(gdal-bin)
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "missing Debian packages: ${need[*]}"
    log "install them with: sudo apt-get install -y ${need[*]}"
    exit 1
  fi
  log "installing ${need[*]} (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  log "using the given TEST_DATABASE_URL"
  echo "$TEST_DATABASE_URL"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  log "not root: cannot start a local PostgreSQL; set TEST_DATABASE_URL to a PostGIS-enabled server"
  exit 1
fi

if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  log "creating PostgreSQL 15 cluster 'main'…"
  pg_createcluster 15 main >&2
fi
pg_ctlcluster 15 main status >/dev/null 2>&1 || { log "starting PostgreSQL 15…"; pg_ctlcluster 15 main start >&2; }

role=lsgis_test
password=lsgis_test
su postgres -c "psql -q -v ON_ERROR_STOP=1 -d postgres" >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN SUPERUSER PASSWORD '$password';
  END IF;
END \$\$;
SQL
echo "postgres://$role:$password@127.0.0.1:5432/postgres"
