#!/usr/bin/env bash
# `mancrel` on a server, run as the services run it: as the mancrel user, in /var/lib/mancrel,
# with the settings of /etc/mancrel/mancrel.env and the current release. setup_server.sh
# installs it as /usr/local/bin/mancrel:
#
#   sudo mancrel doctor
#   sudo mancrel backup --keep 30
#   sudo mancrel users create --email you@example.com --role admin
set -euo pipefail
[[ $EUID -eq 0 ]] || { echo "run it with sudo: the settings file is readable by root and mancrel only" >&2; exit 1; }
# shellcheck disable=SC2016  # expanded by the inner shell, as the mancrel user
exec runuser -u mancrel -- bash -c 'cd /var/lib/mancrel && set -a && source /etc/mancrel/mancrel.env && set +a \
    && unset PROMETHEUS_MULTIPROC_DIR && exec /opt/mancrel/current/.venv/bin/mancrel "$@"' mancrel "$@"
