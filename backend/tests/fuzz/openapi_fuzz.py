"""`make fuzz`: schemathesis over the whole OpenAPI document, as an admin and as a rep.

Starts its own embedded PostgreSQL and Valkey in a temporary folder, loads the demo data (so
lists, boards and timelines have rows and cursors to page through), starts `mancrel serve` on
a free port and runs `st run` once per role with a bounded number of examples per operation.
It fails on any 5xx and on any response that does not match the documented schema.

    python tests/fuzz/openapi_fuzz.py [--examples N] [--seed S] [--role admin|rep]
"""

import argparse
import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2]
CHECKS = "not_a_server_error,response_schema_conformance"
# The SSE stream never ends by design: a request to it can only time out.
EXCLUDED_PATH_REGEX = r"^/api/v1/events$"


def _start_servers(root: Path) -> tuple:
    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey

    postgres, valkey = EmbeddedPostgres(root / "postgres"), EmbeddedValkey(root / "valkey")
    postgres.start()
    valkey.start()
    os.environ.update(DATABASE_URL=postgres.url, REDIS_URL=valkey.url, MANCREL_ENV="test",
                      MANCREL_SECRET_KEY=secrets.token_urlsafe(48), MANCREL_DATA_DIR=str(root / "data"),
                      MANCREL_DEMO="0",
                      # Tokens are made once, before the runs: they must outlive both of them.
                      MANCREL_ACCESS_TOKEN_MINUTES="600")
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return postgres, valkey


async def _seed_and_tokens() -> dict[str, str]:
    """Demo data, then an access token for one admin and one rep (made here, not by logging in:
    the fuzzer must not be slowed by the login limits it is also probing)."""
    from sqlalchemy import select

    from mancrel.ai import service as ai_service
    from mancrel.core.db import dispose_engine, init_engine, unit_of_work
    from mancrel.core.permissions import Role
    from mancrel.core.security import create_access_token
    from mancrel.demo import load_demo_data
    from mancrel.user import service as user_service
    from mancrel.user.models import User
    from mancrel.user.schemas import UserCreate

    init_engine()
    try:
        async with unit_of_work() as session:
            await load_demo_data(session)
        async with unit_of_work() as session:
            # As `mancrel run` does at start (ai.prepare_classifier): a fresh installation trains its
            # first classifier on the first call, ~16 s, which would time out the first classify.
            await ai_service.active_classifier(session)
        async with unit_of_work() as session:
            tokens = {}
            for role in (Role.admin, Role.rep):
                # A demo user of that role when there is one (a rep who owns records), else a new one.
                user = await session.scalar(select(User).where(User.role == role, User.is_active).limit(1))
                if user is None:
                    user = await user_service.create(session, data=UserCreate(
                        email=f"fuzz-{role.value}@example.com", password=secrets.token_urlsafe(16), role=role))
                tokens[role.value] = create_access_token(user.id, user.role)[0]
            return tokens
    finally:
        await dispose_engine()


def _serve(port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(BACKEND), "MANCREL_LOG_LEVEL": "WARNING"}
    with open(log, "ab") as out:
        process = subprocess.Popen([sys.executable, "-c", "from mancrel.cli import main; main()", "serve",
                                    "--host", "127.0.0.1", "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, env=env, cwd=BACKEND)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the API did not start:\n{log.read_text()[-4000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the API did not answer /healthz within 60 s")


def _token_works(port: int, token: str) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/users/me",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        return urllib.request.urlopen(request, timeout=10).status == 200  # noqa: S310 (our own http URL)
    except OSError:
        return False


def _fuzz(base: str, token: str, *, examples: int, seed: int) -> int:
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
    command = [st, "run", f"{base}/api/v1/openapi.json", "--url", base,
               "--header", f"Authorization: Bearer {token}", "--checks", CHECKS,
               "--max-examples", str(examples), "--seed", str(seed), "--generation-database", "none",
               "--exclude-path-regex", EXCLUDED_PATH_REGEX, "--request-timeout", "30",
               "--suppress-health-check", "all", "--no-color", "--workers", "1"]
    return subprocess.call(command, cwd=BACKEND)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=int(os.environ.get("FUZZ_EXAMPLES", "25")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "24")))
    parser.add_argument("--role", choices=["admin", "rep"], action="append")
    args = parser.parse_args()
    sys.path.insert(0, str(BACKEND))
    root = Path(tempfile.mkdtemp(prefix="mancrel-fuzz-"))
    postgres, valkey = _start_servers(root)
    server, failed = None, []
    try:
        from mancrel.core.config import get_settings
        from mancrel.core.embedded import free_port
        from mancrel.core.migrate import upgrade_to_head

        get_settings.cache_clear()
        upgrade_to_head(postgres.url)
        tokens = asyncio.run(_seed_and_tokens())
        port = free_port()
        server = _serve(port, root / "api.log")
        # The rep first: the admin's run may deactivate, demote or delete any user (the rep among
        # them), and a rep run on a dead token would pass on 401s alone.
        for role in args.role or ["rep", "admin"]:
            print(f"\n=== schemathesis as {role}: {args.examples} examples per operation, seed {args.seed}",
                  flush=True)
            if not _token_works(port, tokens[role]):
                print(f"fuzz: the {role}'s token no longer signs in; the run would prove nothing")
                failed.append(role)
                continue
            if _fuzz(f"http://127.0.0.1:{port}", tokens[role], examples=args.examples, seed=args.seed):
                failed.append(role)
            elif not _token_works(port, tokens[role]):  # revoked mid-run: answers after that were 401s
                print(f"fuzz: the {role}'s token stopped working during the run; its results are not trusted")
                failed.append(role)
        if failed:
            print(f"\nfuzz: failures as {', '.join(failed)}; API log: {root / 'api.log'}")
            return 1
        print("\nfuzz: no 5xx and no response outside the schema")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        valkey.stop()
        postgres.stop()
        if not failed and os.environ.get("FUZZ_KEEP") != "1":  # on failure the API log stays for reading
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
