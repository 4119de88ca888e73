"""Vector search on the same products: pgvector (exact and HNSW) and qdrant-client, recall@10 and latency.

    ../.venv/bin/python ml_notebooks/vector_bench.py [--products 8000] [--out ml_notebooks/data/vector_results.json]

The products are bench/ai's seeded shop catalogue (`replies_catalogue.generate`), each product
and each variant one vector of the product's own embedder (all-MiniLM-L6-v2 int8, the text the
catalogue indexes: title, options, description). The queries are the 200 hand-written customer
messages of bench/ai/replies_questions.jsonl. Truth is the exact cosine top 10 (numpy).

Stores measured, one query at a time after a warm-up:
- pgvector, exact: a sequential scan (index scans off), in an embedded PostgreSQL 18 + pgvector;
- pgvector, HNSW (m=16, ef_construction=64, cosine: the product's index) at hnsw.ef_search 40
  (pgvector's default) and 200 (what `ai/repository.nearest_embeddings` sets);
- qdrant-client in local mode (`QdrantClient(":memory:")`): the same client code as the product's
  QdrantStore, but searching in-process with numpy, exactly. No Qdrant server binary is installable
  on this machine (the package lists hold only clients), so this is NOT a Qdrant server's HNSW:
  its latency is the client's local mode, and its recall is exact by construction.
"""

import argparse
import asyncio
import importlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))
sys.path.insert(0, str(ROOT / "bench" / "ai"))
OUT = ROOT / "ml_notebooks" / "data" / "vector_results.json"
K = 10


def _texts(products: list[dict]) -> list[str]:
    texts = []
    for p in products:
        texts.append(f"{p['title']}. {p['description']}")
        for v in p.get("variants", []):
            options = " ".join(str(x) for x in v.get("options", {}).values())
            texts.append(f"{p['title']} {options}. {p['description']}")
    return texts


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(name: str, found: list[list[int]], truth: np.ndarray, times: list[float]) -> dict:
    recall = float(np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth.tolist(), strict=True)]))
    return {"store": name, "recall_at_10": round(recall, 4), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(_percentile(times, 0.95), 2), "queries": len(found)}


def _vector_literal(v: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.6f}" for x in v) + "]"


async def _pgvector(url: str, vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> list[dict]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        await conn.execute(f"CREATE TABLE items (id int PRIMARY KEY, embedding vector({vectors.shape[1]}))")
        # COPY has no binary encoder for `vector` in asyncpg: load text, then cast.
        await conn.execute("CREATE TEMP TABLE staged (id int, embedding text)")
        await conn.copy_records_to_table("staged", records=[(i, _vector_literal(v)) for i, v in enumerate(vectors)],
                                         columns=["id", "embedding"])
        await conn.execute("INSERT INTO items SELECT id, embedding::vector FROM staged")
        started = time.perf_counter()
        await conn.execute("CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops) "
                           "WITH (m = 16, ef_construction = 64)")
        build_seconds = time.perf_counter() - started
        await conn.execute("ANALYZE items")
        results = []
        modes = (("pgvector HNSW, ef_search 40", ["SET enable_indexscan = on", "SET hnsw.ef_search = 40"]),
                 ("pgvector HNSW, ef_search 200", ["SET enable_indexscan = on", "SET hnsw.ef_search = 200"]),
                 ("pgvector exact (sequential scan)", ["SET enable_indexscan = off"]))
        base = "SELECT id FROM items ORDER BY embedding <=> $1::vector LIMIT 10"  # K
        for q in queries:  # warm-up: table and index pages in memory before any mode is timed
            await conn.fetch(base, _vector_literal(q))
        for number, (name, settings) in enumerate(modes):
            for statement in settings:
                await conn.execute(statement)
            # Its own statement text per mode: asyncpg prepares statements and PostgreSQL keeps their
            # plans, which a changed setting (enable_indexscan) does not invalidate.
            sql = f"{base} /* mode {number} */"
            plan = "\n".join(r[0] for r in await conn.fetch("EXPLAIN " + sql, _vector_literal(queries[0])))
            for q in queries[:50]:
                await conn.fetch(sql, _vector_literal(q))
            found, times = [], []
            for q in queries:
                literal = _vector_literal(q)
                t = time.perf_counter()
                rows = await conn.fetch(sql, literal)
                times.append((time.perf_counter() - t) * 1000)
                found.append([r["id"] for r in rows])
            results.append({**_summary(name, found, truth, times), "uses_hnsw_index": "items_hnsw" in plan})
        results[0]["index_build_seconds"] = results[1]["index_build_seconds"] = round(build_seconds, 1)
        return results
    finally:
        await conn.close()


def _qdrant(vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> dict:
    from qdrant_client import QdrantClient, models

    client = QdrantClient(":memory:")
    client.create_collection("items", vectors_config=models.VectorParams(size=vectors.shape[1],
                                                                          distance=models.Distance.COSINE))
    client.upload_points("items", points=[models.PointStruct(id=i, vector=v.tolist()) for i, v in enumerate(vectors)])
    for q in queries[:20]:
        client.query_points("items", query=q.tolist(), limit=K)
    found, times = [], []
    for q in queries:
        t = time.perf_counter()
        points = client.query_points("items", query=q.tolist(), limit=K).points
        times.append((time.perf_counter() - t) * 1000)
        found.append([p.id for p in points])
    return _summary("qdrant-client local mode (in-process, exact; not a server)", found, truth, times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=8000, help="at most about 9,000 (the catalogue's SKU space)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    from mancrel.ai.embeddings import embed
    from mancrel.core.embedded import EmbeddedPostgres

    replies_catalogue = importlib.import_module("replies_catalogue")  # bench/ai, put on the path above
    products = replies_catalogue.generate(n=args.products)
    texts = _texts(products)
    lines = (ROOT / "bench/ai/replies_questions.jsonl").read_text().splitlines()
    questions = [json.loads(line)["text"] for line in lines if line.strip()]
    cache = Path(tempfile.gettempdir()) / f"mancrel-vector-bench-{args.products}.npz"
    started = time.perf_counter()
    cached = cache.exists()
    if cached:  # embedding is most of the run on a busy machine; the texts are seeded
        stored = np.load(cache)
        vectors, queries = stored["vectors"], stored["queries"]
    else:
        vectors, queries = embed(texts).astype(np.float32), embed(questions).astype(np.float32)
        np.savez(cache, vectors=vectors, queries=queries)
    embed_seconds = None if cached else round(time.perf_counter() - started, 1)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    truth = np.argsort(-(queries @ vectors.T), axis=1)[:, :K]

    with tempfile.TemporaryDirectory(prefix="vector-bench-") as folder:
        postgres = EmbeddedPostgres(Path(folder) / "postgres")
        postgres.start()
        try:
            stores = asyncio.run(_pgvector(postgres.url, vectors, queries, truth))
        finally:
            postgres.stop()
    stores.append(_qdrant(vectors, queries, truth))
    result = {"products": len(products), "vectors": len(texts), "queries": len(questions), "k": K,
              "dimensions": int(vectors.shape[1]), "embed_seconds": embed_seconds, "stores": stores,
              "note": "No Qdrant server binary is installable here; qdrant-client's local mode searches exactly "
                      "in-process. The HNSW comparison is pgvector's index against pgvector's exact scan."}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for store in stores:
        print(store)


if __name__ == "__main__":
    main()
