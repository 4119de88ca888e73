"""Commands: run, serve, migrate, seed, users."""

import argparse
import asyncio
import contextlib
import getpass

from mancrel.core.config import get_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    # proxy_headers off: uvicorn would believe X-Forwarded-For from any loopback caller;
    # the app reads it only from MANCREL_TRUSTED_PROXIES (core.client_address).
    uvicorn.run("mancrel.main:create_app", factory=True, host=args.host or settings.host,
                port=args.port or settings.port, log_config=None, proxy_headers=False,
                timeout_graceful_shutdown=10)
    return 0


def _run(args: argparse.Namespace) -> int:
    from mancrel.core.supervisor import run

    return run(get_settings())


def _logs(args: argparse.Namespace) -> int:
    import threading

    from mancrel.core.logfiles import LOG_NAMES, print_log

    folder = get_settings().data_dir.resolve() / "logs"
    names = [args.name] if args.name else [n for n in LOG_NAMES if (folder / f"{n}.log").exists()]
    missing = [n for n in names if not (folder / f"{n}.log").exists()]
    if missing or not names:
        print(f"no log {', '.join(missing) or 'files'} in {folder} yet: `mancrel run` writes them there")
        return 1
    if len(names) == 1:
        with contextlib.suppress(KeyboardInterrupt):
            print_log(folder / f"{names[0]}.log", follow=args.follow, lines=args.lines)
        return 0
    stop = threading.Event()
    threads = [threading.Thread(target=print_log, daemon=True, args=(folder / f"{n}.log", args.follow),
                                kwargs={"lines": args.lines, "stop": stop, "prefix": f"{n:<8}| "})
               for n in names]
    for thread in threads:
        thread.start()
        if not args.follow:
            thread.join()  # one file after the other
    try:
        while any(t.is_alive() for t in threads):
            threads[0].join(0.5)
    except KeyboardInterrupt:
        stop.set()
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from mancrel.core.migrate import upgrade_to_head

    upgrade_to_head(get_settings().database_url)
    print("database is at the latest migration")
    return 0


async def _with_session(fn):
    from mancrel.core.db import dispose_engine, unit_of_work

    try:
        async with unit_of_work() as session:
            return await fn(session)
    finally:
        await dispose_engine()


def _seed(args: argparse.Namespace) -> int:
    from mancrel.demo import load_demo_data

    loaded = asyncio.run(_with_session(load_demo_data))
    print("demo data loaded" if loaded else "demo data was already loaded")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    from mancrel.user import service as user_service
    from mancrel.user.schemas import UserCreate

    password = args.password or getpass.getpass("Password: ")
    data = UserCreate(email=args.email, password=password, full_name=args.name or "", role=args.role)
    user = asyncio.run(_with_session(lambda session: user_service.create(session, data=data)))
    print(f"created {user.role} {user.email} ({user.id})")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="start everything: embedded servers, api, worker and beat")
    run.set_defaults(handler=_run)

    from mancrel.core.logfiles import LOG_NAMES

    logs = subparsers.add_parser("logs", help="show the logs `mancrel run` writes (all, or one process)")
    logs.add_argument("name", nargs="?", choices=LOG_NAMES, help="one process; all when left out")
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing what is written")
    logs.add_argument("-n", "--lines", type=int, default=50, help="how many of the last lines (default 50)")
    logs.set_defaults(handler=_logs)

    serve = subparsers.add_parser("serve", help="run the API server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(handler=_serve)

    subparsers.add_parser("migrate", help="apply database migrations").set_defaults(handler=_migrate)
    subparsers.add_parser("seed", help="load the demo data (once)").set_defaults(handler=_seed)

    users = subparsers.add_parser("users", help="manage users").add_subparsers(dest="users_command", required=True)
    create = users.add_parser("create", help="create a user")
    create.add_argument("--email", required=True)
    create.add_argument("--password", help="asked for when left out")
    create.add_argument("--name")
    create.add_argument("--role", choices=["admin", "manager", "rep"], default="rep")
    create.set_defaults(handler=_create_user)
