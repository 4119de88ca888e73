#!/usr/bin/env bash
# A consistent backup of Mancrel's database: `pg_dump --format=custom` (one snapshot, so
# every table is as of the same instant, while Mancrel keeps running), written next to a
# note of the secret key's fingerprint. The key itself is never written here: keep it apart
# (without it, integration secrets in the dump cannot be decrypted).
#
#   backup.sh [--dir DIR] [--keep N]
#     --dir   where backups go (default: $MANCREL_BACKUP_DIR or /var/backups/mancrel)
#     --keep  how many backups to keep; older ones are deleted (default: 14)
#
# Database: DATABASE_URL, else the embedded one of a running `mancrel run` (MANCREL_DATA_DIR).
# Settings are read from /etc/mancrel/mancrel.env when present (MANCREL_ENV_FILE to change).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

dir="${MANCREL_BACKUP_DIR:-/var/backups/mancrel}"
keep="${MANCREL_BACKUP_KEEP:-14}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "--keep must be a positive number"

url="$(libpq_url "$(database_url)")"
mkdir -p "$dir"
chmod 700 "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$dir/mancrel-$stamp.dump"

# Written under a temporary name and renamed when complete: a half-written file never
# counts as a backup, nor pushes a good one out of the retention window.
"$(pg_tool pg_dump)" --format=custom --compress=6 --no-owner --no-privileges \
    --file="$target.partial" "$url"
mv "$target.partial" "$target"

# Which key encrypted the integration secrets in this dump: a SHA-256 of the key, so a
# restore can tell whether the key at hand is the right one.
if [[ -n "${MANCREL_SECRET_KEY:-}" ]]; then
    fingerprint="$(printf '%s' "$MANCREL_SECRET_KEY" | sha256sum | cut -c1-16)"
elif [[ -r "${MANCREL_DATA_DIR:-.mancrel}/secret_key" ]]; then
    fingerprint="$(tr -d '\n' <"${MANCREL_DATA_DIR:-.mancrel}/secret_key" | sha256sum | cut -c1-16)"
else
    fingerprint="unknown"
fi
printf 'secret_key_sha256=%s\ncreated=%s\n' "$fingerprint" "$stamp" >"$target.meta"

# Retention by count: the newest $keep dumps stay (names sort by time).
mapfile -t old < <(find "$dir" -maxdepth 1 -name 'mancrel-*.dump' -printf '%f\n' | sort -r | tail -n +"$((keep + 1))")
for name in "${old[@]}"; do
    rm -f "$dir/$name" "$dir/$name.meta"
done
echo "$target"
