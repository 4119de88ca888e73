"""Poll URLs are fetched by the server, so they may only lead to public addresses (no SSRF).

The suite allows loopback (MANCREL_FETCH_ALLOWED_NETWORKS) for its stand-in servers on
127.0.0.1; these tests empty the list, as it is by default in production.
"""

import ipaddress
import socket

import pytest

from mancrel.catalog import tasks
from mancrel.core.config import get_settings
from mancrel.core.permissions import Role
from tests.catalog.factories import STANDARD_SECRET, StandInServer, make_source
from tests.factories import auth_headers, make_user

PRIVATE_URLS = {
    "http://127.0.0.1:8080/feed": "127.0.0.1 is a loopback address",
    "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
    "http://[::1]:8080/feed": "::1 is a loopback address",
    "http://10.0.0.5/feed": "10.0.0.5 is a private address",
    "http://localhost:8080/feed": "localhost is a loopback address",
    "http://[::ffff:127.0.0.1]/feed": "is a loopback address (127.0.0.1 inside an IPv6 address)",
    "http://[fd00::1]/feed": "fd00::1 is a unique-local address",
    "http://0.0.0.0/feed": "0.0.0.0 is the unspecified address",
}


@pytest.fixture
def public_only(monkeypatch):
    """Production's rule: private addresses are refused."""
    monkeypatch.setattr(get_settings(), "fetch_allowed_networks", ())


def feed_shop():
    def handler(path, query, headers):
        product = {"id": "p-1", "title": "Should never be read", "updated_at": "2026-11-27T10:00:00Z",
                   "variants": [{"id": "v-1", "price": "1.00"}]}
        return 200, {}, {"products": [product], "next": None}

    return StandInServer(handler)


async def test_private_poll_urls_are_refused_when_saved(client, db, public_only) -> None:
    admin = await make_user(db, role=Role.admin)
    existing = await make_source(db, kind="feed", poll_url="https://feed.example.com/products")
    for n, (url, reason) in enumerate(PRIVATE_URLS.items()):
        body = {"name": f"Inside {n}", "kind": "feed", "webhook_secret": STANDARD_SECRET, "poll_url": url}
        created = await client.post("/api/v1/catalog/sources", json=body, headers=auth_headers(admin))
        changed = await client.patch(f"/api/v1/catalog/sources/{existing.id}", json={"poll_url": url},
                                     headers=auth_headers(admin))
        for response in (created, changed):
            assert response.status_code == 422, (url, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            problem = response.json()
            assert problem["errors"][0]["field"] == "poll_url" and reason in problem["errors"][0]["message"], problem
    await db.refresh(existing)
    assert existing.poll_url == "https://feed.example.com/products"


async def test_a_poll_that_would_reach_a_private_address_fails_with_a_clear_message(client, db, monkeypatch) -> None:
    admin = await make_user(db, role=Role.admin)
    with feed_shop() as shop:
        port = shop.server.server_address[1]
        targets = {f"http://127.0.0.1:{port}/feed": "127.0.0.1 is a loopback address",
                   f"http://localhost:{port}/feed": "localhost resolves to 127.0.0.1, which is a loopback address",
                   "http://169.254.169.254/latest/meta-data/":
                       "169.254.169.254 is a link-local address (cloud metadata lives there)",
                   f"http://[::1]:{port}/feed": "::1 is a loopback address",
                   "http://10.0.0.5/feed": "10.0.0.5 is a private address"}
        # Saved while every network was allowed (as before the rule existed), polled under it.
        everywhere = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
        monkeypatch.setattr(get_settings(), "fetch_allowed_networks", everywhere)
        sources = {url: await make_source(db, kind="feed", poll_url=url) for url in targets}
        monkeypatch.setattr(get_settings(), "fetch_allowed_networks", ())
        for url, reason in targets.items():
            assert (await tasks.poll_source.run_async(db, source_id=sources[url].id))["fetched"] == 0
            shown = (await client.get(f"/api/v1/catalog/sources/{sources[url].id}", headers=auth_headers(admin))).json()
            assert shown["last_poll_error"] == f"Refused to fetch {url}: {reason}; only public addresses are fetched"
    assert shop.requests == []


async def test_a_name_that_resolves_to_loopback_is_refused_when_fetched(client, db, public_only, monkeypatch) -> None:
    """A public-looking name passes when saved (no DNS then); the address it resolves to at
    fetch time is what counts."""
    real_getaddrinfo = socket.getaddrinfo

    def stand_in_dns(host, *args, **kwargs):
        return real_getaddrinfo("127.0.0.1" if host == "shop.example.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stand_in_dns)
    admin = await make_user(db, role=Role.admin)
    with feed_shop() as shop:
        url = f"http://shop.example.test:{shop.server.server_address[1]}/feed"
        created = await client.post("/api/v1/catalog/sources", json={
            "name": "Rebinding shop", "kind": "feed", "webhook_secret": STANDARD_SECRET, "poll_url": url},
            headers=auth_headers(admin))
        assert created.status_code == 201, created.text
        source_id = created.json()["id"]
        await tasks.poll_source.run_async(db, source_id=source_id)
    assert shop.requests == []
    shown = (await client.get(f"/api/v1/catalog/sources/{source_id}", headers=auth_headers(admin))).json()
    assert shown["last_poll_error"] == (f"Refused to fetch {url}: shop.example.test resolves to 127.0.0.1, which is "
                                        "a loopback address; only public addresses are fetched")


async def test_redirects_are_not_followed(client, db) -> None:
    def handler(path, query, headers):
        return 302, {"Location": "http://169.254.169.254/latest/meta-data/"}, {}

    admin = await make_user(db, role=Role.admin)
    with StandInServer(handler) as shop:
        source = await make_source(db, kind="feed", poll_url=f"{shop.base_url}/feed")
        await tasks.poll_source.run_async(db, source_id=source.id)
    assert len(shop.requests) == 1
    shown = (await client.get(f"/api/v1/catalog/sources/{source.id}", headers=auth_headers(admin))).json()
    assert shown["last_poll_error"] == (f"{shop.base_url}/feed answered 302, a redirect to http://169.254.169.254"
                                        "/latest/meta-data/: set the poll URL to the final address")
