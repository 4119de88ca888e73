"""Names prometheus-client's multiprocess files by host and pid, not pid alone.

In multiprocess mode each process writes its samples to `<type>_<pid>.db` in
PROMETHEUS_MULTIPROC_DIR. Compose mounts one metrics volume into the api, worker and beat
containers, and every container numbers its processes from 1: two containers' pid 7 would
write the same file and corrupt each other's samples. `<host>-<pid>` is unique across them.

Imported by `mancrel/__init__.py`, before any module creates a metric: the value class is
chosen when a metric is created, so this must run first. It imports nothing from mancrel.
"""

import os
import socket

from prometheus_client import values

# The collector splits file names on "_" (type_mode_pid.db): keep the identifier free of it.
# Read once: prometheus-client asks for the identifier at every sample, to notice a fork.
_HOST = socket.gethostname().replace("_", "-")


def process_identifier() -> str:
    return f"{_HOST}-{os.getpid()}"


def name_files_by_host() -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        values.ValueClass = values.MultiProcessValue(process_identifier)


name_files_by_host()
