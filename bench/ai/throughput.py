"""Classify and embed paths: throughput in-process and latency through the API.

    ../../.venv/bin/python throughput.py [--messages 2000] [--requests 300] [--batches 64,256]

1. In-process (the worker's path): embed-only and full classification (embedding, intent,
   calibrated confidence, out-of-scope, sentiment, priority), one message at a time and in
   batches (64 and 256 by default: a worker draining a backlog, a re-classification), on
   CLINC150 test sentences used as realistic short customer messages.
2. Through HTTP: a fresh embedded PostgreSQL and Valkey in a temporary folder, `mancrel serve`
   (one uvicorn process), then sequential `POST /api/v1/ai/classify` requests from one
   keep-alive client after a warm-up: p50/p95 latency and requests/s. Each request also stores
   its classification row.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
BACKEND = HERE.parents[1] / "backend"
sys.path.insert(0, str(BACKEND))
DATA = HERE.parents[2] / "shared" / "data" / "clinc150" / "data_full.json"
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def messages(n: int) -> list[str]:
    data = json.loads(DATA.read_text())
    texts = [t for t, _ in data["test"] + data["oos_test"]]
    return (texts * (n // len(texts) + 1))[:n]


def in_process(texts: list[str], batches: list[int]) -> dict[str, float]:
    from mancrel.ai import service, training_data
    from mancrel.ai.embeddings import get_embedder

    embedder = get_embedder()
    model, _ = service.train_rows(training_data.shipped_rows())
    service.predict(model, texts[:64])  # warm-up
    results = {}
    single = texts[: max(200, len(texts) // 10)]
    started = time.perf_counter()
    for text in single:
        embedder.embed([text])
    results["embed single msg/s"] = len(single) / (time.perf_counter() - started)
    started = time.perf_counter()
    embedder.embed(texts)
    results["embed batched msg/s"] = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for text in single:
        service.predict(model, [text])
    results["classify single msg/s"] = len(single) / (time.perf_counter() - started)
    for size in batches:
        started = time.perf_counter()
        for start in range(0, len(texts), size):
            service.predict(model, texts[start:start + size])
        results[f"classify batched ({size}) msg/s"] = len(texts) / (time.perf_counter() - started)
    return results


def through_api(texts: list[str], requests: int) -> dict[str, float]:
    from mancrel.core.embedded import EmbeddedPostgres, EmbeddedValkey, free_port

    with tempfile.TemporaryDirectory(prefix="mancrel-bench-ai-") as tmp:
        postgres, valkey = EmbeddedPostgres(Path(tmp) / "pg"), EmbeddedValkey(Path(tmp) / "valkey")
        postgres.start()
        valkey.start()
        api = None
        try:
            env = dict(os.environ, DATABASE_URL=postgres.url, REDIS_URL=valkey.url, MANCREL_ENV="development",
                       MANCREL_SECRET_KEY=SECRET, MANCREL_DEMO="0", MANCREL_LOG_LEVEL="WARNING")
            os.environ.update(env)
            subprocess.run([sys.executable, "-m", "mancrel", "migrate"], cwd=BACKEND, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            created = subprocess.run([sys.executable, "-m", "mancrel", "users", "create", "--email",
                                      "bench-ai@example.com", "--password", "bench-password-123", "--role", "rep"],
                                     cwd=BACKEND, env=env, check=True, capture_output=True, text=True).stdout
            user_id = created.rsplit("(", 1)[1].split(")")[0]
            port = free_port()
            api = subprocess.Popen([sys.executable, "-m", "mancrel", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=BACKEND, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return _timed_requests(port, user_id, texts, requests)
        finally:
            if api is not None:
                api.terminate()
                api.wait(timeout=15)
            valkey.stop()
            postgres.stop()


def _timed_requests(port: int, user_id: str, texts: list[str], requests: int) -> dict[str, float]:
    import uuid

    from mancrel.core.permissions import Role
    from mancrel.core.security import create_access_token

    token, _ = create_access_token(uuid.UUID(user_id), Role.rep)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120, headers=headers) as client:
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        # The first classification on a fresh database trains and stores version 1.
        started = time.perf_counter()
        client.post("/api/v1/ai/classify", json={"text": "warm-up"}).raise_for_status()
        first = time.perf_counter() - started
        for text in texts[:20]:
            client.post("/api/v1/ai/classify", json={"text": text}).raise_for_status()
        times = []
        started = time.perf_counter()
        for text in texts[20:20 + requests]:
            t0 = time.perf_counter()
            client.post("/api/v1/ai/classify", json={"text": text}).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
        elapsed = time.perf_counter() - started
    return {"first request (trains v1) s": first, "classify API p50 ms": statistics.median(times),
            "classify API p95 ms": percentile(times, 0.95), "classify API sequential req/s": len(times) / elapsed}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--batches", default="64,256", help="batch sizes for batched classification")
    args = parser.parse_args()
    texts = messages(args.messages)
    results = in_process(texts, [int(size) for size in args.batches.split(",")])
    results |= through_api(texts, args.requests)
    print("\n| measure | value |\n|---|---:|")
    for name, value in results.items():
        print(f"| {name} | {value:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
