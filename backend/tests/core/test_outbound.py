"""The guard on server-side fetches of user-set URLs: which addresses are public, and that
the client connects to the address it checked."""

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mancrel.core import outbound


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
def echo_server():
    class Echo(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = self.headers.get("host", "").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


async def test_the_client_connects_to_the_address_it_resolved_and_checked(echo_server, monkeypatch) -> None:
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
        response = await http.get(url)  # the suite allows private addresses, for stand-ins like this one
    assert (response.status_code, response.text, str(response.url)) == (200, url.split("/")[2], url)
    assert asked == ["shop.example.test"]

    from mancrel.core.config import get_settings

    monkeypatch.setattr(get_settings(), "allow_private_fetch", False)
    async with outbound.client() as http:
        with pytest.raises(outbound.UnsafeURL, match=r"shop\.example\.test resolves to 127\.0\.0\.1, which is a loop"):
            await http.get(url)
