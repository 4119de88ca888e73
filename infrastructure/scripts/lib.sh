#!/usr/bin/env bash
# Shared by backup.sh and restore.sh: the settings and the `mancrel` command. Sourced, not run.

# Settings the services use (setup_server.sh writes them there), unless already set.
MANCREL_ENV_FILE="${MANCREL_ENV_FILE:-/etc/mancrel/mancrel.env}"
if [[ -r "$MANCREL_ENV_FILE" ]]; then
    set -a
    # shellcheck source=/dev/null
    source "$MANCREL_ENV_FILE"
    set +a
fi
# A one-off command's samples have no place on /metrics (and its folder may be read-only here).
unset PROMETHEUS_MULTIPROC_DIR

die() { echo "error: $*" >&2; exit 1; }

# The `mancrel` of this release: MANCREL_BIN, else this release's virtualenv (scripts live in
# <release>/infrastructure/scripts), else MANCREL_PYTHON -m mancrel, else the one on PATH.
mancrel() {
    local release
    release="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    if [[ -n "${MANCREL_BIN:-}" ]]; then
        "$MANCREL_BIN" "$@"
    elif [[ -x "$release/.venv/bin/mancrel" ]]; then
        "$release/.venv/bin/mancrel" "$@"
    elif [[ -n "${MANCREL_PYTHON:-}" ]]; then
        "$MANCREL_PYTHON" -m mancrel "$@"
    elif type -P mancrel >/dev/null; then
        command mancrel "$@"
    else
        die "mancrel not found: set MANCREL_BIN, or run from a release with its .venv"
    fi
}
