"""Both stores, the same fixture vectors: the same nearest records, the same visibility."""

import uuid
from types import SimpleNamespace

import pytest
from qdrant_client import AsyncQdrantClient

from mancrel.ai.embeddings import get_embedder
from mancrel.ai.vectorstore import PgVectorStore, QdrantStore, VectorItem
from mancrel.core.permissions import Role

TEXTS = ["Merino hiking socks", "Wool throw blanket", "Insulated water bottle", "Rain shell jacket",
         "Stoneware coffee mug", "Two-person dome tent", "Oak desk lamp", "Electric gooseneck kettle"]
MANAGER = SimpleNamespace(id=uuid.uuid4(), role=Role.manager)  # sees every record
QUERIES = ["warm socks for trekking", "a cup for my coffee", "something to keep me dry in the rain",
           "light for reading at my desk"]


@pytest.fixture
async def stores(db):
    client = AsyncQdrantClient(":memory:")
    yield [PgVectorStore(), QdrantStore(client, collection=f"test_{uuid.uuid4().hex}")]
    await client.close()


def _items(owner_a: uuid.UUID, owner_b: uuid.UUID) -> list[VectorItem]:
    vectors = get_embedder().embed(TEXTS)
    owners = [None, None, owner_a, owner_a, owner_b, owner_b, None, None]
    return [VectorItem("product", uuid.UUID(int=i + 1), owners[i], vectors[i], "m", "v") for i in range(len(TEXTS))]


async def test_pgvector_and_qdrant_return_the_same_top_results(db, stores):
    items = _items(uuid.uuid4(), uuid.uuid4())
    for store in stores:
        await store.upsert(db, items)
    for query in QUERIES:
        vector = get_embedder().embed_one(query)
        results = [await store.query(db, vector, entity_types=["product"], actor=MANAGER, limit=3) for store in stores]
        pg, qd = ([h.entity_id for h in r] for r in results)
        assert pg == qd, query
        assert [round(h.score, 3) for h in results[0]] == [round(h.score, 3) for h in results[1]]
    top = await stores[0].query(db, get_embedder().embed_one(QUERIES[0]), entity_types=["product"], actor=MANAGER,
                                limit=1)
    assert top[0].entity_id == uuid.UUID(int=1)  # the socks


async def test_both_stores_hide_other_owners_records_and_deleted_ones(db, stores):
    owner_a, owner_b = uuid.uuid4(), uuid.uuid4()
    items = _items(owner_a, owner_b)
    mug = uuid.UUID(int=5)  # owned by b
    for store in stores:
        await store.upsert(db, items)
        seen = await store.query(db, get_embedder().embed_one("a cup for my coffee"), entity_types=["product"],
                                 actor=SimpleNamespace(id=owner_a, role=Role.rep), limit=8)
        ids = {h.entity_id for h in seen}
        assert mug not in ids and uuid.UUID(int=3) in ids and uuid.UUID(int=1) in ids
        assert len(ids) == 6
        await store.delete(db, "product", [uuid.UUID(int=1)])
        left = await store.query(db, get_embedder().embed_one("warm socks"), entity_types=["product"],
                                 actor=MANAGER, limit=8)
        assert uuid.UUID(int=1) not in {h.entity_id for h in left}


async def test_upserting_again_replaces_the_vector(db, stores):
    record = uuid.uuid4()
    for store in stores:
        first = VectorItem("contact", record, None, get_embedder().embed_one("coffee mug"), "m", "v")
        await store.upsert(db, [first])
        boots = get_embedder().embed_one("hiking boots")
        await store.upsert(db, [VectorItem("contact", record, None, boots, "m", "v")])
        hits = await store.query(db, get_embedder().embed_one("hiking boots"), entity_types=["contact"],
                                 actor=MANAGER, limit=5)
        assert [h.entity_id for h in hits] == [record]
        assert hits[0].score > 0.99
