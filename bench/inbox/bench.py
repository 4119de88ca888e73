"""Inbox benchmarks (issue #17 and #19): webhook acknowledgement, webhook-to-classified time, and
classification throughput through the worker at several batch sizes.

    ../../.venv/bin/python bench.py ack [--rates 300] [--seconds 15]
    ../../.venv/bin/python bench.py wa-ack [--rates 300] [--seconds 15]
    ../../.venv/bin/python bench.py classified [--rate 50] [--seconds 20]
    ../../.venv/bin/python bench.py throughput [--batches 1,16,64] [--messages 1500]
    ../../.venv/bin/python bench.py intake [--messages 2000] [--concurrency 2]

Each run starts its own embedded PostgreSQL and Valkey, one API process (`mancrel serve`) and, where
messages are classified, one default worker (`mancrel worker`, every queue), all on this machine's
2 cores beside the load generator. Mail is the seller evaluation messages wrapped as real replies
(mail.py: quoted history, signatures; about 660 characters), sent as signed Mailgun forwards by
bench/catalog/loadgen.py (open loop: latency counts from each delivery's scheduled time). `wa-ack`
sends signed WhatsApp Cloud API deliveries instead (whatsapp.py: one text message each) to
`/webhook/meta/{id}`, where each message is stored as its own event with its ingest job.
"""

import argparse
import asyncio
import importlib.util
import json
import os
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _catalog_bench():
    """bench/catalog/bench.py's stack of embedded servers and its open-loop load generator."""
    spec = importlib.util.spec_from_file_location("catalog_bench", HERE.parent / "catalog" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_catalog = _catalog_bench()
Stack, dispose_engine, offered_load, percentile = (_catalog.Stack, _catalog.dispose_engine, _catalog.offered_load,
                                                   _catalog.percentile)

SIGNING_KEY = "key-bench-mailgun-signing-0123456789abcdef"
REQUEST = f"{HERE / 'mail.py'}:request"
APP_SECRET = "bench-meta-app-secret-0123456789abcdef"
WA_REQUEST = f"{HERE / 'whatsapp.py'}:request"


async def setup_channel():
    from mancrel.channel import service as channel_service
    from mancrel.channel.schemas import ChannelCreate
    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        channel = await channel_service.create(session, actor=None, data=ChannelCreate(
            kind="email", name="bench mail", secrets={"signing_key": SIGNING_KEY},
            settings={"address": "orders@northwind-outfitters.example", "inbound": "mailgun"}))
    return channel.id


async def setup_whatsapp() -> str:
    from mancrel.channel import service as channel_service
    from mancrel.channel.schemas import ChannelCreate
    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        channel = await channel_service.create(session, actor=None, data=ChannelCreate(
            kind="whatsapp", name="bench whatsapp",
            settings={"phone_number_id": "106540352242922", "display_phone_number": "+49 30 123456"},
            secrets={"app_secret": APP_SECRET, "access_token": "bench-token", "verify_token": "bench-verify"}))
    return channel.id


async def prepare_classifier() -> None:
    """Version 1 trained and stored before the clock starts, as `mancrel run` does at start."""
    from mancrel.ai import service as ai_service
    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        await ai_service.active_classifier(session)


async def rows(sql: str) -> list:
    from sqlalchemy import text

    from mancrel.core.db import unit_of_work

    async with unit_of_work() as session:
        return list((await session.execute(text(sql))).all())


async def run_ack(args, stack: Stack) -> dict:
    try:
        channel_id = await setup_channel()
        stack.serve()
        path = f"/webhook/email/{channel_id}"
        offered_load(stack.port, path, rate=100, seconds=3, processes=1, prefix="warm", secret=SIGNING_KEY,
                     request=REQUEST)
        runs = [offered_load(stack.port, path, rate=rate, seconds=args.seconds, processes=args.processes,
                             prefix=f"r{rate}", secret=SIGNING_KEY, request=REQUEST)
                | {"load_average": os.getloadavg()[0]} for rate in args.rates]
        (stored,) = await rows("SELECT count(*) FROM inbound_events")
        return {"benchmark": "ack", "runs": runs, "stored_events": stored[0]}
    finally:
        await dispose_engine()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its waited-for children (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


async def run_wa_ack(args, stack: Stack) -> dict:
    try:
        channel_id = await setup_whatsapp()
        stack.serve()
        api = stack.processes[-1].pid
        path = f"/webhook/meta/{channel_id}"
        offered_load(stack.port, path, rate=100, seconds=3, processes=1, prefix="warm", secret=APP_SECRET,
                     request=WA_REQUEST)
        runs = []
        for rate in args.rates:
            before = cpu_seconds(api)
            run = offered_load(stack.port, path, rate=rate, seconds=args.seconds, processes=args.processes,
                               prefix=f"r{rate}", secret=APP_SECRET, request=WA_REQUEST)
            # CPU per delivery depends far less on other processes than latency does on a shared machine.
            run["api_cpu_ms_per_delivery"] = round((cpu_seconds(api) - before) * 1000 / max(run["sent"], 1), 3)
            runs.append(run | {"load_average": os.getloadavg()[0]})
        (stored,) = await rows("SELECT count(*) FROM inbound_events")
        return {"benchmark": "wa-ack", "runs": runs, "stored_events": stored[0]}
    finally:
        await dispose_engine()


async def run_classified(args, stack: Stack) -> dict:
    try:
        channel_id = await setup_channel()
        await prepare_classifier()
        stack.serve()
        api = stack.processes[-1]
        worker = stack.spawn("worker", "-c", "2", log="worker.log")
        path = f"/webhook/email/{channel_id}"
        offered_load(stack.port, path, rate=5, seconds=4, processes=1, prefix="warm", secret=SIGNING_KEY,
                     request=REQUEST)  # the worker's embedder and model loaded, as after `mancrel run` starts
        await wait_processed(120)
        roots = {"api": api.pid, "worker": worker.pid, "postgres": postmaster_pid(stack)}
        cpu_before = {name: tree_cpu_seconds(pid) for name, pid in roots.items()}
        load = offered_load(stack.port, path, rate=args.rate, seconds=args.seconds, processes=1, prefix="run",
                            secret=SIGNING_KEY, request=REQUEST)
        await wait_processed(300)
        cpu = {name: tree_cpu_seconds(pid) - cpu_before[name] for name, pid in roots.items()}
        await wait_worker_idle(300)
        cpu_all = {name: tree_cpu_seconds(pid) - cpu_before[name] for name, pid in roots.items()}
        lags = [float(r[0]) for r in await rows(
            "SELECT extract(epoch FROM m.processed_at - e.received_at) FROM inbound_events e "
            "JOIN messages m ON m.id = e.message_id WHERE m.sender LIKE '%@run%'")]
        return {"benchmark": "classified", "offered_per_s": args.rate, "ack": load, "messages": len(lags),
                "webhook_to_classified_p50_s": round(percentile(lags, 50), 3),
                "webhook_to_classified_p99_s": round(percentile(lags, 99), 3),
                "webhook_to_classified_max_s": round(max(lags), 3),
                # Where the path's CPU goes, per message: moves far less with the machine's load than latency.
                "cpu_ms_per_message": {name: round(seconds * 1000 / max(len(lags), 1), 2)
                                       for name, seconds in cpu.items()},
                # The same once every job the burst queued has run (reply.decide, enrichment): the part
                # of that work done before the last message was classified varies from run to run.
                "cpu_ms_per_message_all_jobs": {name: round(seconds * 1000 / max(len(lags), 1), 2)
                                                for name, seconds in cpu_all.items()},
                "load_average": os.getloadavg()[0]}
    finally:
        await dispose_engine()


async def wait_processed(within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        (waiting,) = await rows("SELECT (SELECT count(*) FROM inbound_events WHERE status = 'pending') + "
                                "(SELECT count(*) FROM messages WHERE processed_at IS NULL)")
        if waiting[0] == 0:
            return
        await asyncio.sleep(0.25)
    raise RuntimeError("messages still waiting")


async def wait_worker_idle(within: float, quiet: float = 1.0) -> None:
    """Until the broker has held no job, waiting or delivered, for `quiet` seconds (the jobs that
    follow a classification, and theirs, have run)."""
    from mancrel.core.redis import get_redis

    redis = get_redis()
    deadline, idle_since = time.monotonic() + within, None
    while time.monotonic() < deadline:
        waiting = await redis.hlen("unacked")
        async for key in redis.scan_iter(count=1000):
            if await redis.type(key) in (b"list", "list"):
                waiting += await redis.llen(key)
        idle_since = (idle_since or time.monotonic()) if waiting == 0 else None
        if idle_since is not None and time.monotonic() - idle_since >= quiet:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("jobs still queued")


async def run_throughput(args, stack: Stack) -> dict:
    """Messages stored first (as a burst would leave them), then one worker drains them."""
    from mail import bodies

    from mancrel.core.db import unit_of_work
    from mancrel.inbox import service as inbox_service
    from mancrel.inbox.inbound import InboundEmail

    try:
        channel_id = await setup_channel()
        await prepare_classifier()
        results = []
        for batch in args.batches:
            async with unit_of_work() as session:
                from mancrel.channel.models import Channel

                channel = await session.get(Channel, channel_id)
                for i in range(args.messages):
                    await inbox_service.receive_email(session, channel=channel, email=InboundEmail(
                        from_address=f"c{i}@b{batch}.example", subject=f"Q {i}", text=bodies()[i % len(bodies())],
                        message_id=f"<b{batch}-{i}@bench>"))
            os.environ["MANCREL_AI_MESSAGE_BATCH"] = str(batch)
            worker = stack.spawn("worker", "-c", str(args.concurrency), "-Q", "messages", log=f"worker-{batch}.log")
            await wait_processed(1800)
            worker.terminate()
            worker.wait(timeout=30)
            (span,) = await rows(  # batch is an int from argparse
                "SELECT count(*), extract(epoch FROM max(processed_at) - min(processed_at)) FROM messages "  # noqa: S608
                f"WHERE sender LIKE '%@b{batch}.example'")
            count, seconds = span
            results.append({"batch": batch, "messages": count, "seconds": round(float(seconds), 2),
                            "messages_per_s": round(count / max(float(seconds), 1e-9), 1)})
        return {"benchmark": "throughput", "mean_chars": round(sum(map(len, bodies())) / len(bodies())),
                "runs": results}
    finally:
        await dispose_engine()


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU time of a process, its living descendants and its reaped children (/proc):
    what the worker (prefork children) or PostgreSQL (one backend per connection) spent, however
    busy the machine was."""
    stats: dict[int, list[str]] = {}
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            stats[int(path.parent.name)] = path.read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue  # ended meanwhile
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        fields = stats.get(pid)
        if fields is not None:  # utime, stime (and, for the root, cutime, cstime of reaped children)
            total += sum(int(v) for v in fields[11:15 if pid == root else 13])
        todo.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


def postmaster_pid(stack: Stack) -> int:
    return int((stack.postgres.pgdata / "postmaster.pid").read_text().split()[0])


async def run_intake(args, stack: Stack) -> dict:
    """A stored backlog of deliveries (as a burst leaves them: raw Mailgun forms, each with its
    `channel.ingest_event` job) drained by one warm worker serving the `webhooks` queue only: how
    many deliveries a second the intake turns into stored messages, classification left out."""
    from urllib.parse import urlencode

    from mail import form
    from sqlalchemy import text as text_

    from mancrel.channel.intake import Delivery
    from mancrel.channel.repository import InboundEventRepository
    from mancrel.core.db import unit_of_work, utcnow
    from mancrel.worker.outbox import publish, write_jobs

    def deliveries(prefix: str, count: int) -> list:
        return [Delivery(id=uuid.uuid4(), channel_id=channel_id, dedupe_key=f"{prefix}-{i}", replay_token=None,
                         provider="mailgun", content_type="application/x-www-form-urlencoded",
                         body=urlencode(form(i, prefix, SIGNING_KEY)).encode(), received_at=utcnow())
                for i in range(count)]

    async def store(batch: list) -> None:
        async with unit_of_work() as session:
            await InboundEventRepository(session).insert_batch(batch)
            jobs = await write_jobs(session, [("channel.ingest_event", {"event_id": d.id}) for d in batch])
        await publish(jobs)

    try:
        channel_id = await setup_channel()
        worker = stack.spawn("worker", "-c", str(args.concurrency), "-Q", "webhooks", log="worker-intake.log")
        await store(deliveries("warm", 20))  # the worker started, connected and its code warm
        await wait_ingested(120)
        backlog = deliveries("run", args.messages)
        worker_cpu, postgres_cpu = tree_cpu_seconds(worker.pid), tree_cpu_seconds(postmaster_pid(stack))
        async with unit_of_work() as session:
            await InboundEventRepository(session).insert_batch(backlog)
            jobs = await write_jobs(session, [("channel.ingest_event", {"event_id": d.id}) for d in backlog])
            (started,) = (await session.execute(text_("SELECT clock_timestamp()"))).one()
        await publish(jobs)
        await wait_ingested(1800)
        worker_cpu = tree_cpu_seconds(worker.pid) - worker_cpu
        postgres_cpu = tree_cpu_seconds(postmaster_pid(stack)) - postgres_cpu
        ((count, seconds),) = await rows(
            "SELECT count(*), extract(epoch FROM max(processed_at) - '"  # noqa: S608 (our own timestamp)
            f"{started.isoformat()}'::timestamptz) FROM inbound_events "
            "WHERE dedupe_key LIKE 'run-%' AND status = 'processed'")
        (messages,) = await rows("SELECT count(*) FROM messages WHERE sender LIKE '%@run.example'")
        return {"benchmark": "intake", "deliveries": count, "messages": messages[0],
                "seconds": round(float(seconds), 2), "deliveries_per_s": round(count / max(float(seconds), 1e-9), 1),
                # CPU per delivery moves far less with other processes on the machine than the rate does.
                "worker_cpu_ms_per_delivery": round(worker_cpu * 1000 / max(count, 1), 2),
                "postgres_cpu_ms_per_delivery": round(postgres_cpu * 1000 / max(count, 1), 2),
                "load_average": os.getloadavg()[0]}
    finally:
        await dispose_engine()


async def wait_ingested(within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        (waiting,) = await rows("SELECT count(*) FROM inbound_events WHERE status = 'pending'")
        if waiting[0] == 0:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("deliveries still waiting")


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = cli.add_subparsers(dest="benchmark", required=True)
    ack = sub.add_parser("ack")
    ack.add_argument("--rates", type=lambda v: [float(x) for x in v.split(",")], default=[300.0])
    ack.add_argument("--seconds", type=float, default=15)
    ack.add_argument("--processes", type=int, default=1)
    wa_ack = sub.add_parser("wa-ack")
    wa_ack.add_argument("--rates", type=lambda v: [float(x) for x in v.split(",")], default=[300.0])
    wa_ack.add_argument("--seconds", type=float, default=15)
    wa_ack.add_argument("--processes", type=int, default=1)
    classified = sub.add_parser("classified")
    classified.add_argument("--rate", type=float, default=50)
    classified.add_argument("--seconds", type=float, default=20)
    throughput = sub.add_parser("throughput")
    throughput.add_argument("--batches", type=lambda v: [int(x) for x in v.split(",")], default=[1, 16, 64])
    throughput.add_argument("--messages", type=int, default=1500)
    # Worker children draining the messages queue: 1 shows one batch at a time; 2 is what
    # `mancrel run`'s worker has (one child's database work overlaps the other's forward pass).
    throughput.add_argument("--concurrency", type=int, default=1)
    intake = sub.add_parser("intake")
    intake.add_argument("--messages", type=int, default=2000)
    intake.add_argument("--concurrency", type=int, default=2)
    args = cli.parse_args()
    stack = Stack()
    stack.start()
    try:
        runners = {"ack": run_ack, "wa-ack": run_wa_ack, "classified": run_classified, "throughput": run_throughput,
                   "intake": run_intake}
        runner = runners[args.benchmark]
        print(json.dumps(asyncio.run(runner(args, stack))))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
