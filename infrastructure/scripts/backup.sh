#!/usr/bin/env bash
# A consistent backup of Mancrel's database: `mancrel backup` (pg_dump in custom format, one
# snapshot while Mancrel keeps running), next to a note of the secret key's fingerprint. The key
# itself is never written here: keep it apart (without it, integration secrets in the dump
# cannot be decrypted). Prints the new file's path.
#
#   backup.sh [--dir DIR] [--keep N]
#     --dir   where backups go (default: $MANCREL_BACKUP_DIR or /var/backups/mancrel)
#     --keep  how many backups to keep; older ones are deleted (default: $MANCREL_BACKUP_KEEP or 14)
#
# Database: DATABASE_URL, else the embedded one in MANCREL_DATA_DIR (`mancrel run`'s).
# Settings are read from /etc/mancrel/mancrel.env when present (MANCREL_ENV_FILE to change).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

case "${1:-}" in
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
esac
mancrel backup "$@"
