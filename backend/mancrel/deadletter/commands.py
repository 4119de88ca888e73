"""`mancrel dlq list|show|replay|discard`: the dead-letter admin API on the command line.

Changes are audited with no actor (the operator at the shell); replayed jobs are
published after commit, or by the outbox relay if the broker is down.
"""

import argparse
import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any


class CommandFailed(SystemExit):
    pass


async def _in_session(fn: Callable[[Any], Awaitable[Any]]) -> Any:
    from mancrel.core.db import dispose_engine, unit_of_work
    from mancrel.core.errors import AppError
    from mancrel.core.redis import close_redis

    try:
        async with unit_of_work() as session:
            return await fn(session)
    except AppError as exc:  # e.g. no such dead letter: a message, not a traceback
        raise CommandFailed(f"{exc.title}: {exc.detail or ''}".rstrip(": ")) from exc
    finally:
        await dispose_engine()
        await close_redis()


def _line(d: Any) -> str:
    return (f"{d.id}  {d.status:<8}  {d.last_failed_at:%Y-%m-%d %H:%M:%S}  {d.task_name:<28}  "
            f"attempts={d.attempts}  {d.error_type.rsplit('.', 1)[-1]}: {d.error[:80]}")


def _list(args: argparse.Namespace) -> int:
    from mancrel.deadletter import service
    from mancrel.deadletter.schemas import DeadLetterFilters

    filters = DeadLetterFilters(task_name=args.task, status=args.status, error_contains=args.error)
    rows = asyncio.run(_in_session(lambda s: service.list_page(s, filters, limit=args.limit, cursor=None)))
    for d in rows[:args.limit]:
        print(_line(d))
    print(f"{min(len(rows), args.limit)} shown" + (" (more: raise --limit)" if len(rows) > args.limit else ""))
    return 0


def _show(args: argparse.Namespace) -> int:
    from mancrel.deadletter import service
    from mancrel.deadletter.schemas import DeadLetterRead

    d = asyncio.run(_in_session(lambda s: service.get(s, args.id)))
    print(json.dumps(DeadLetterRead.model_validate(d).model_dump(mode="json"), indent=2))
    return 0


def _replay(args: argparse.Namespace) -> int:
    from mancrel.deadletter import service
    from mancrel.deadletter.schemas import ReplayByFilter

    if args.id:
        d = asyncio.run(_in_session(lambda s: service.replay(s, args.id, actor=None)))
        print(f"replayed {d.id} as job {d.replay_task_id}")
        return 0
    if not (args.task or args.error or args.all):
        print("name a dead letter id, or choose with --task / --error, or pass --all")
        return 2
    data = ReplayByFilter(task_name=args.task, error_contains=args.error, limit=args.limit)
    letters = asyncio.run(_in_session(lambda s: service.replay_matching(s, data, actor=None)))
    print(f"replayed {len(letters)} dead letter(s)")
    return 0


def _discard(args: argparse.Namespace) -> int:
    from mancrel.deadletter import service

    asyncio.run(_in_session(lambda s: service.discard(s, args.id, actor=None)))
    print(f"discarded {args.id}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    dlq = subparsers.add_parser("dlq", help="dead letters: jobs that failed for good")
    sub = dlq.add_subparsers(dest="dlq_command", required=True)

    listing = sub.add_parser("list", help="list dead letters, most recent failure first")
    listing.add_argument("--task", help="exact task name")
    listing.add_argument("--error", help="part of the error text")
    listing.add_argument("--status", default="pending", choices=["pending", "replayed", "all"])
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(handler=_list)

    show = sub.add_parser("show", help="one dead letter with its traceback, as JSON")
    show.add_argument("id", type=uuid.UUID)
    show.set_defaults(handler=_show)

    replay = sub.add_parser("replay", help="run a dead letter's job again (one id, or by filter)")
    replay.add_argument("id", type=uuid.UUID, nargs="?")
    replay.add_argument("--task", help="replay pending letters of this task")
    replay.add_argument("--error", help="replay pending letters whose error contains this")
    replay.add_argument("--all", action="store_true", help="replay every pending letter (up to --limit)")
    replay.add_argument("--limit", type=int, default=500)
    replay.set_defaults(handler=_replay)

    discard = sub.add_parser("discard", help="delete a dead letter")
    discard.add_argument("id", type=uuid.UUID)
    discard.set_defaults(handler=_discard)
