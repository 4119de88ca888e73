#!/usr/bin/env bash
# Restores a backup made by backup.sh into an EMPTY database, then applies any migrations
# newer than the backup: `mancrel restore FILE`.
#
#   restore.sh FILE
#
# Database: DATABASE_URL (create it first: `createdb -O mancrel mancrel`), else the embedded
# one in MANCREL_DATA_DIR. Stop api, worker and beat first (systemctl stop mancrel-api
# mancrel-worker mancrel-beat), start them afterwards. It refuses a database that already has
# tables, so a mistyped command cannot mix two histories.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 1 && "$1" != -h && "$1" != --help ]] || { sed -n '2,10p' "$0"; exit 2; }
mancrel restore "$1"
