#!/usr/bin/env bash
# Restores a backup made by backup.sh into an EMPTY database, then applies any migrations
# newer than the backup (`mancrel migrate`).
#
#   restore.sh FILE
#
# Database: DATABASE_URL (create it first: `createdb -O mancrel mancrel`), else the embedded
# one of a running `mancrel run`. Stop api, worker and beat first (systemctl stop
# mancrel-api mancrel-worker mancrel-beat), start them afterwards. It refuses a database
# that already has Mancrel's tables, so a mistyped command cannot mix two histories.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 1 && "$1" != -h && "$1" != --help ]] || { sed -n '2,10p' "$0"; exit 2; }
file="$1"
[[ -r "$file" ]] || die "cannot read $file"

url="$(libpq_url "$(database_url)")"
tables="$("$(pg_tool psql)" "$url" -XAtc "select count(*) from pg_tables where schemaname = 'public'")"
[[ "$tables" == 0 ]] || die "the database already has $tables tables: restore into an empty database"

# The key that encrypted integration secrets must be the one in use now.
if [[ -r "$file.meta" && -n "${MANCREL_SECRET_KEY:-}" ]]; then
    expected="$(sed -n 's/^secret_key_sha256=//p' "$file.meta")"
    actual="$(printf '%s' "$MANCREL_SECRET_KEY" | sha256sum | cut -c1-16)"
    if [[ "$expected" != unknown && "$expected" != "$actual" ]]; then
        echo "warning: this backup was made with another MANCREL_SECRET_KEY (fingerprint $expected," \
             "now $actual): integration secrets will not decrypt until that key is set" >&2
    fi
fi

# One transaction: a restore that fails leaves the database empty, not half-filled.
"$(pg_tool pg_restore)" --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$url" "$file"

mancrel="${MANCREL_BIN:-$(command -v mancrel || true)}"
if [[ -n "$mancrel" ]]; then
    DATABASE_URL="$url" "$mancrel" migrate
else
    echo "note: run \`mancrel migrate\` before starting Mancrel (mancrel is not on PATH here)" >&2
fi
echo "restored $file"
