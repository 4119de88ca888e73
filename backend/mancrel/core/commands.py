"""Commands: run, serve, migrate, seed, users."""

import argparse
import asyncio
import getpass

from mancrel.core.config import get_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run("mancrel.main:create_app", factory=True, host=args.host or settings.host,
                port=args.port or settings.port, log_config=None, proxy_headers=True,
                timeout_graceful_shutdown=10)
    return 0


def _run(args: argparse.Namespace) -> int:
    from mancrel.core.supervisor import run

    return run(get_settings())


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
