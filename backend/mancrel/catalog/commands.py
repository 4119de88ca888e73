"""Commands: `mancrel catalog sources|poll|reconcile|health`."""

import argparse
import asyncio
import json
import uuid


def _run(fn) -> object:
    from mancrel.core.commands import _with_session

    return asyncio.run(_with_session(fn))


def _sources(args: argparse.Namespace) -> int:
    from mancrel.catalog.repository import SourceRepository

    for source in _run(lambda session: SourceRepository(session).list_all()):
        print(f"{source.id}  {source.kind:<11} {'on ' if source.enabled else 'off'} {source.name}")
    return 0


def _poll(args: argparse.Namespace, *, full: bool) -> int:
    from mancrel.catalog import sync

    result = _run(lambda session: sync.poll(session, uuid.UUID(args.source_id), full=full))
    if result is None:
        print("not polled: unknown source, no poll URL, or another poll is running")
        return 1
    print(json.dumps(result.model_dump()))
    return 0


def _health(args: argparse.Namespace) -> int:
    from mancrel.catalog import source_service
    from mancrel.catalog.health import source_health

    async def report(session):
        source = await source_service.get_existing(session, uuid.UUID(args.source_id))
        return await source_health(session, source)

    print(_run(report).model_dump_json(indent=2))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    catalog = subparsers.add_parser("catalog", help="catalogue sync").add_subparsers(dest="catalog_command",
                                                                                     required=True)
    catalog.add_parser("sources", help="list catalogue sources").set_defaults(handler=_sources)
    for name, full, text in (("poll", False, "pull what changed since the last poll, now"),
                             ("reconcile", True, "pull everything; tombstone what vanished upstream")):
        command = catalog.add_parser(name, help=text)
        command.add_argument("source_id")
        command.set_defaults(handler=lambda args, full=full: _poll(args, full=full))
    health = catalog.add_parser("health", help="a source's sync health")
    health.add_argument("source_id")
    health.set_defaults(handler=_health)
