"""Commands: doctor, backup, restore."""

import argparse
import os
import sys
from pathlib import Path

DEFAULT_BACKUP_DIR = "/var/backups/mancrel"


def _doctor(args: argparse.Namespace) -> int:
    from mancrel.ops.findings import local_checks, preflight, report

    results, settings = preflight()
    if settings is not None:
        from mancrel.ops.doctor import server_checks  # after preflight: it needs REDIS_URL to import

        results += server_checks()
    return report(results + local_checks(settings or _fallback_settings()))


def _fallback_settings():
    """Defaults for the disk and model checks when the configuration itself is broken."""
    from mancrel.core.config import Settings

    return Settings.model_construct()


def _backup(args: argparse.Namespace) -> int:
    from mancrel.ops.backup import OpsError, backup

    try:
        print(backup(Path(args.dir), args.keep))
    except OpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _restore(args: argparse.Namespace) -> int:
    from mancrel.ops.backup import OpsError, restore

    try:
        for warning in restore(Path(args.file)):
            print(f"warning: {warning}", file=sys.stderr)
    except OpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"restored {args.file}; the database is at the latest migration")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("doctor", help="check configuration, servers, migrations, workers, queues, disk, "
                          "model files, channels and sources; exit 1 when something fails"
                          ).set_defaults(handler=_doctor)

    backup = subparsers.add_parser("backup", help="pg_dump the database (custom format) with the secret key's "
                                   "fingerprint; keep the newest N")
    backup.add_argument("--dir", default=os.environ.get("MANCREL_BACKUP_DIR", DEFAULT_BACKUP_DIR),
                        help=f"where backups go (default: $MANCREL_BACKUP_DIR or {DEFAULT_BACKUP_DIR})")
    backup.add_argument("--keep", type=int, default=int(os.environ.get("MANCREL_BACKUP_KEEP", "14")),
                        help="how many backups to keep (default: $MANCREL_BACKUP_KEEP or 14)")
    backup.set_defaults(handler=_backup)

    restore = subparsers.add_parser("restore", help="restore a backup into an empty database, then migrate")
    restore.add_argument("file", help="a .dump file made by `mancrel backup`")
    restore.set_defaults(handler=_restore)
