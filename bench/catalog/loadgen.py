"""Open-loop webhook load: signed deliveries sent on a fixed schedule, latency measured
from each delivery's scheduled time (so a slow server cannot hide its queue, as it can
from a closed loop of N senders, where p99 >= N / throughput by Little's law).

Lean on purpose: raw HTTP/1.1 over keep-alive asyncio sockets on uvloop, split across
several processes, so the generator is not what limits the figure.

    python loadgen.py --port P --path /webhook/catalog/<id> --secret whsec_... --rate 1500 --seconds 15
prints one JSON line: offered and accepted rates, p50/p90/p99/max latency, statuses.
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import multiprocessing
import os
import time
import uuid


def signed_request(host: str, path: str, secret: str, index: int, prefix: str) -> bytes:
    """A Standard Webhooks catalogue delivery (the default --request)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    body = json.dumps({"type": "product.updated", "timestamp": "2026-11-27T10:00:00Z", "data": {
        "id": f"{prefix}-{index}", "title": f"Bench product {index}", "status": "active",
        "updated_at": "2026-11-27T10:00:00Z", "variants": [{"id": f"{prefix}-{index}-v", "price": "20.00",
                                                           "sku": f"{prefix.upper()}-{index}", "currency": "EUR",
                                                           "stock": 5}]}}).encode()
    msg_id, timestamp = f"msg_{uuid.uuid4().hex}", str(int(time.time()))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nwebhook-id: {msg_id}\r\nwebhook-timestamp: {timestamp}\r\n"
            f"webhook-signature: v1,{base64.b64encode(digest).decode()}\r\n\r\n")
    return head.encode() + body


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return int(head[9:12])


async def run_share(args, share: int, rate: float) -> dict:
    host = "127.0.0.1"
    build = request_builder(args.request)
    total = int(rate * args.seconds)
    requests = [build(host, args.path, args.secret, i, f"{args.prefix}{share}") for i in range(total)]
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    opened = 0
    latencies: list[float] = []
    sent_at: list[float] = []  # scheduled time of each latency, from the start
    statuses: dict[str, int] = {}

    async def connection() -> Connection:
        nonlocal opened
        if idle.empty() and opened < args.connections:
            opened += 1
            return Connection(*await asyncio.open_connection(host, args.port))
        return await idle.get()

    async def send(request: bytes, scheduled: float) -> None:
        conn = await connection()
        try:
            status = str(await conn.exchange(request))
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status = "error"
            conn = None
        latencies.append(time.perf_counter() - scheduled)
        sent_at.append(scheduled - began)
        statuses[status] = statuses.get(status, 0) + 1
        if conn is not None:
            idle.put_nowait(conn)
        else:
            nonlocal opened
            opened -= 1

    tasks = []
    # The schedule starts at --start-at (wall clock) when given, so a caller can tell when
    # each delivery was due: share s sends its i-th at start_at + i / (rate / processes).
    began = time.perf_counter() + (args.start_at - time.time() if args.start_at else 0.2)
    for i, request in enumerate(requests):
        scheduled = began + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(request, scheduled)))
    await asyncio.gather(*tasks)
    return {"latencies": latencies, "sent_at": sent_at, "statuses": statuses,
            "elapsed": time.perf_counter() - began}


def request_builder(spec: str | None):
    """`path/to/module.py:function` building one request's bytes, or the catalogue's default; other
    benches (bench/inbox) bring their own payloads and signatures this way."""
    if not spec:
        return signed_request
    import importlib.util

    path, name = spec.rsplit(":", 1)
    module_spec = importlib.util.spec_from_file_location(f"loadgen_request_{name}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return getattr(module, name)


def share_main(args, share: int, rate: float, out) -> None:
    import uvloop

    out.send(uvloop.run(run_share(args, share, rate)))
    out.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def run(args) -> dict:
    """Run the shares in parallel processes; their figures merged."""
    pipes, processes = [], []
    for share in range(args.processes):
        receiver, sender = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.Process(target=share_main, args=(args, share, args.rate / args.processes, sender))
        process.start()
        pipes.append(receiver)
        processes.append(process)
    results = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join()
    latencies = [value for result in results for value in result["latencies"]]
    statuses: dict[str, int] = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    elapsed = max(result["elapsed"] for result in results)
    worst: dict[int, float] = {}  # the slowest ack of each second: shows stalls, not just their share
    for result in results:
        for at, latency in zip(result["sent_at"], result["latencies"], strict=True):
            worst[int(at)] = max(worst.get(int(at), 0.0), latency)
    def ms(p: float) -> float:
        return round(percentile(latencies, p) * 1000, 2)

    return {"offered_per_s": args.rate, "seconds": args.seconds, "sent": len(latencies),
            "accepted_per_s": round(statuses.get("200", 0) / elapsed, 1), "statuses": statuses,
            "p50_ms": ms(50), "p90_ms": ms(90), "p99_ms": ms(99), "max_ms": ms(100),
            "processes": args.processes, "connections_per_process": args.connections,
            "worst_ms_by_second": [round(worst[second] * 1000) for second in sorted(worst)]}


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--port", type=int, required=True)
    cli.add_argument("--path", required=True)
    cli.add_argument("--secret", required=True)
    cli.add_argument("--rate", type=float, default=1500)
    cli.add_argument("--seconds", type=float, default=15)
    cli.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    cli.add_argument("--connections", type=int, default=64, help="per process, opened as needed")
    cli.add_argument("--prefix", default="load", help="product ids are <prefix><share>-<i>")
    cli.add_argument("--request", default=None, help="module.py:function building each request (host, path, "
                     "secret, index, prefix) -> bytes; default: a signed catalogue delivery")
    cli.add_argument("--start-at", type=float, default=0.0, help="wall-clock start of the schedule")
    return cli


if __name__ == "__main__":
    print(json.dumps(run(parser().parse_args())))
