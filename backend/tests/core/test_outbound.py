"""The guard on server-side fetches of user-set URLs: which addresses are public, and that
the client connects to the address it checked."""

import ipaddress
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mancrel.core import outbound
from mancrel.core.config import Settings, get_settings


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "a loopback address"),
    ("127.255.0.9", "a loopback address"),
    ("::1", "a loopback address"),
    ("10.20.30.40", "a private address"),
    ("172.16.0.1", "a private address"),
    ("192.168.1.1", "a private address"),
    ("169.254.169.254", "a link-local address (cloud metadata lives there)"),
    ("fe80::1", "a link-local address (cloud metadata lives there)"),
    ("fd00:ec2::254", "a unique-local address"),
    ("224.0.0.251", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("0.0.0.0", "the unspecified address"),
    ("::", "the unspecified address"),
    ("240.0.0.1", "a reserved address"),
    ("100.64.0.1", "not a publicly routable address"),
    ("::ffff:169.254.169.254",
     "a link-local address (cloud metadata lives there) (169.254.169.254 inside an IPv6 address)"),
    ("64:ff9b::7f00:1", "a loopback address (127.0.0.1 inside an IPv6 address)"),
    ("2002:a00:1::1", "a private address (10.0.0.1 inside an IPv6 address)"),
])
def test_addresses_that_are_not_public(address, reason) -> None:
    assert outbound.refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "::ffff:8.8.8.8", "2002:808:808::1"])
def test_public_addresses(address) -> None:
    assert outbound.refusal(ipaddress.ip_address(address)) is None


def test_only_http_and_https_urls(monkeypatch) -> None:
    for url in ("file:///etc/passwd", "gopher://shop.example/", "ftp://shop.example/feed", "http:///no-host"):
        with pytest.raises(outbound.UnsafeURL):
            outbound.check_url(url)
    outbound.check_url("https://shop.example/wp-json/wc/v3/products")


@pytest.fixture
def allow(monkeypatch):
    """Sets MANCREL_FETCH_ALLOWED_NETWORKS for one test, parsed as it is at startup."""
    def set_networks(networks: str) -> None:
        parsed = Settings(_env_file=None, fetch_allowed_networks=networks).fetch_allowed_networks
        monkeypatch.setattr(get_settings(), "fetch_allowed_networks", parsed)

    return set_networks


@pytest.fixture
def echo_server():
    requests: list[str] = []

    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = self.headers.get("host", "").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.requests = requests
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


async def test_the_client_connects_to_the_address_it_resolved_and_checked(echo_server, monkeypatch, allow) -> None:
    """The name is resolved once, by the guard; the connection goes to that address with the
    name kept in the Host header. (Nothing else could resolve `.test`, a reserved name.)"""
    asked: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def stand_in_dns(host, *args, **kwargs):
        asked.append(host)
        return real_getaddrinfo("127.0.0.1" if host == "shop.example.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stand_in_dns)
    url = f"http://shop.example.test:{echo_server.server_address[1]}/products"
    async with outbound.client() as http:
        response = await http.get(url)  # the suite allows loopback, for stand-ins like this one
    assert (response.status_code, response.text, str(response.url)) == (200, url.split("/")[2], url)
    assert asked == ["shop.example.test"]

    allow("")
    async with outbound.client() as http:
        with pytest.raises(outbound.UnsafeURL, match=r"shop\.example\.test resolves to 127\.0\.0\.1, which is a loop"):
            await http.get(url)


async def test_an_allowed_private_network_is_fetched_and_nothing_else(echo_server, allow) -> None:
    url = f"http://127.0.0.1:{echo_server.server_address[1]}/products"
    allow("127.0.0.1/32")
    outbound.check_url(url)
    async with outbound.client() as http:
        assert (await http.get(url)).status_code == 200
    assert echo_server.requests == ["/products"]

    allow("10.20.0.0/16")  # a shop on the LAN; loopback stays out of reach
    refused = re.escape("127.0.0.1 is a loopback address; only public addresses are fetched")
    with pytest.raises(outbound.UnsafeURL, match=refused):
        outbound.check_url(url)
    async with outbound.client() as http:
        with pytest.raises(outbound.UnsafeURL, match=refused):
            await http.get(url)
    assert echo_server.requests == ["/products"]
    outbound.check_url("http://10.20.0.5/feed")
    with pytest.raises(outbound.UnsafeURL, match=r"10\.21\.0\.5 is a private address; only public"):
        outbound.check_url("http://10.21.0.5/feed")
    with pytest.raises(outbound.UnsafeURL, match=r"169\.254\.169\.254 is a link-local address"):
        outbound.check_url("http://169.254.169.254/latest/meta-data/")


async def test_a_name_is_allowed_when_it_resolves_into_an_allowed_network(monkeypatch, allow) -> None:
    real_getaddrinfo = socket.getaddrinfo
    dns = {"shop.lan.test": "10.20.0.5", "db.lan.test": "10.30.0.7"}

    def stand_in_dns(host, *args, **kwargs):
        return real_getaddrinfo(dns.get(host, host), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stand_in_dns)
    allow("10.20.0.0/16")
    assert await outbound.public_addresses("shop.lan.test", 80) == ["10.20.0.5"]
    with pytest.raises(outbound.UnsafeURL, match=r"db\.lan\.test resolves to 10\.30\.0\.7, which is a private address"):
        await outbound.public_addresses("db.lan.test", 80)


async def test_an_allowed_ipv4_network_covers_its_ipv4_mapped_form_only(allow) -> None:
    """::ffff:10.20.0.5 is that host itself; NAT64 and 6to4 forms lead through another machine."""
    allow("10.20.0.0/16")
    mapped = ipaddress.ip_address("::ffff:10.20.0.5")
    assert await outbound.public_addresses(str(mapped), 80) == [str(mapped)]
    for wrapped in ("64:ff9b::a14:5", "2002:a14:5::1"):
        with pytest.raises(outbound.UnsafeURL, match=r"a private address \(10\.20\.0\.5 inside an IPv6 address\)"):
            await outbound.public_addresses(wrapped, 80)


@pytest.mark.parametrize(("networks", "passes"), [
    ("127.0.0.0/8,::1/128", True), ("127.0.0.1/32", False), ("10.20.0.0/16", False), ("", False)])
def test_localhost_passes_when_saved_only_if_both_loopback_addresses_are_allowed(allow, networks, passes) -> None:
    allow(networks)
    for url in ("http://localhost:8080/feed", "http://shop.localhost/feed"):
        if passes:
            outbound.check_url(url)
        else:
            with pytest.raises(outbound.UnsafeURL, match="is a loopback address; only public addresses are fetched"):
                outbound.check_url(url)
