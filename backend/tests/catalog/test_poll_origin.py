"""A poll follows next-page links on the poll URL's own origin only: the source's
credentials go with every page request, so a link to another host must not take them there."""

from sqlalchemy import select

from mancrel.catalog import tasks
from mancrel.catalog.models import CatalogSource
from tests.catalog.factories import StandInServer, count_products, make_source, shopify_product

TOKEN = "shpat_origin_token"
FEED_TOKEN = "feed-origin-token"


def _elsewhere() -> StandInServer:
    """Another origin (same machine, another port) that would gladly collect credentials."""
    return StandInServer(lambda path, query, headers: (200, {}, {"products": [], "next": None}))


def _feed_item(external_id: str) -> dict:
    return {"id": external_id, "title": f"Item {external_id}", "updated_at": "2026-11-27T10:00:00Z",
            "variants": [{"id": f"{external_id}-v", "price": "5.00", "currency": "EUR"}]}


async def _source_after(db, source) -> CatalogSource:
    return await db.scalar(select(CatalogSource).where(CatalogSource.id == source.id)
                           .execution_options(populate_existing=True))


async def test_a_shopify_link_to_another_host_is_not_followed(db) -> None:
    with _elsewhere() as other:
        def shop(path, query, headers):
            link = f'<{other.base_url}/admin/api/2025-10/products.json?page_info=abc>; rel="next"'
            return 200, {"Link": link}, {"products": [shopify_product(1)]}

        with StandInServer(shop) as server:
            source = await make_source(db, kind="shopify", currency="USD", poll_credentials=TOKEN,
                                       poll_url=f"{server.base_url}/admin/api/2025-10/products.json")
            await tasks.poll_source.run_async(db, source_id=source.id)

        assert other.requests == []  # the token never left for the other origin
    assert len(server.requests) == 1
    stored = await _source_after(db, source)
    assert "another origin" in stored.last_poll_error and other.base_url.split("//")[1] in stored.last_poll_error
    assert stored.poll_failures == 1 and stored.last_poll_at is None


async def test_a_feed_next_link_to_another_host_is_not_followed_but_one_on_the_same_origin_is(db) -> None:
    with _elsewhere() as other:
        def feed(path, query, headers):
            if query.get("page") == ["2"]:
                return 200, {}, {"products": [_feed_item("b")], "next": f"{other.base_url}/steal?page=3"}
            return 200, {}, {"products": [_feed_item("a")], "next": "/feed?page=2"}  # relative: same origin

        with StandInServer(feed) as server:
            source = await make_source(db, kind="feed", poll_credentials=FEED_TOKEN, poll_url=f"{server.base_url}/feed")
            await tasks.poll_source.run_async(db, source_id=source.id)

        assert other.requests == []
    assert [request[1].get("page") for request in server.requests] == [None, ["2"]]
    assert all(request[2]["authorization"] == f"Bearer {FEED_TOKEN}" for request in server.requests)
    assert await count_products(db, source.id) == 2  # the pages read before the refusal are kept
    assert "another origin" in (await _source_after(db, source)).last_poll_error
