"""Fetching URLs that users set (a shop's poll URL) from the server: public addresses only.

An admin can type any URL, and fetched from inside our network it could reach the
database, Valkey, the cloud metadata service at 169.254.169.254 or anything else only the
server can reach (server-side request forgery). So every such fetch goes through `client()`:

- `check_url` when the URL is saved: http or https, and a host written as an address (or
  `localhost`) must be public, so an admin learns at once rather than at the first poll.
- `client()` when it is fetched: its transport resolves the host once, refuses the request
  when any address is not public, and connects to the address it checked (TLS still
  verifies the hostname), so DNS that changes between check and connect (rebinding)
  cannot slip through. Every request goes through it, server-supplied next-page links
  included; redirects are not followed, and environment proxies are not used.

Not public: loopback, private (RFC 1918), shared (100.64/10), link-local (169.254/16,
fe80::/10), unique-local (fc00::/7), site-local, multicast, unspecified, reserved and
documentation ranges, also when wrapped in IPv6 (IPv4-mapped, NAT64, 6to4).
Addresses inside `MANCREL_FETCH_ALLOWED_NETWORKS` (settings.fetch_allowed_networks, empty
by default) are fetched all the same, at both steps: a self-hosted shop on the company LAN
(10.20.0.5/32), or loopback (127.0.0.0/8,::1/128) for the test suite's and `make run`'s
stand-in shops. `localhost` passes when both 127.0.0.1 and ::1 are inside. Every address
outside keeps the rule above, and the scheme rule holds for all.
"""

import asyncio
import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx

from mancrel.core.config import get_settings

SCHEMES = {"http", "https"}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_UNIQUE_LOCAL = ipaddress.IPv6Network("fc00::/7")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCALHOST = (ipaddress.IPv4Address("127.0.0.1"), ipaddress.IPv6Address("::1"))


class UnsafeURL(ValueError):
    """A URL the server will not fetch; the message says why, for the admin who set it."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if ip.version == 4:
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why `ip` is not a public address (e.g. "a loopback address"), or None when it is."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        reason = refusal(inner)
        return f"{reason} ({inner} inside an IPv6 address)" if reason else None
    for test, reason in ((ip.is_unspecified, "the unspecified address"), (ip.is_loopback, "a loopback address"),
                         (ip.is_link_local, "a link-local address (cloud metadata lives there)"),
                         (ip.version == 6 and ip in _UNIQUE_LOCAL, "a unique-local address"),
                         (ip.is_multicast, "a multicast address"), (ip.is_reserved, "a reserved address"),
                         (ip.version == 6 and ip.is_site_local, "a site-local address"),
                         (ip.is_private, "a private address")):
        if test:
            return reason
    return None if ip.is_global else "not a publicly routable address"


def _allowed(ip: IPAddress) -> bool:
    """Inside a network the operator allowed. Its IPv4-mapped form (::ffff:10.20.0.5) is the
    same host, reached by IPv4 packets to that address, so an IPv4 network covers it too.
    NAT64 and 6to4 forms are not covered: they lead to a translator or relay, a machine the
    operator did not list, so `refusal` judges them (and refuses a private address inside)."""
    forms = (ip, ip.ipv4_mapped) if ip.version == 6 and ip.ipv4_mapped else (ip,)
    return any(form in network for network in get_settings().fetch_allowed_networks for form in forms)


def _reason_to_refuse(ip: IPAddress) -> str | None:
    return None if _allowed(ip) else refusal(ip)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    ip = _literal(host)
    return ip.is_loopback if ip else host == "localhost" or host.endswith(".localhost")


def check_url(url: str) -> None:
    """What can be told without DNS: the scheme, and a literal address or localhost."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeURL("only http and https URLs are fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL("the URL has no host")
    ip = _literal(host)
    if ip is None and is_loopback_host(host):
        # It may resolve to either loopback address when fetched, and one outside the list
        # fails the fetch, so it passes only when both are inside.
        reason = None if all(map(_allowed, _LOCALHOST)) else "a loopback address"
    else:
        reason = _reason_to_refuse(ip) if ip else None
    if reason:
        raise UnsafeURL(f"{host} is {reason}; only public addresses are fetched")


async def _resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = []
    for *_, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    return addresses


async def public_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for `host`: each public or allowed, or UnsafeURL."""
    literal = _literal(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await _resolve(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise httpx.ConnectError(f"{host} has no address")
    for address in addresses:
        reason = _reason_to_refuse(ipaddress.ip_address(address))
        if reason:
            shown = host if literal is not None else f"{host} resolves to {address}, which"
            raise UnsafeURL(f"{shown} is {reason}; only public addresses are fetched")
    return addresses


class PublicOnlyTransport(httpx.AsyncBaseTransport):
    """Sends each request to an address `public_addresses` approved, under its own hostname:
    the Host header and TLS (SNI, certificate check) keep the name while the connection
    goes to the checked address. One inner pool per hostname, so a TLS connection verified
    for one name is never reused for another name on the same address."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._pools: dict[str, httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in SCHEMES:
            raise UnsafeURL("only http and https URLs are fetched")
        host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
        addresses = await public_addresses(host, url.port or (443 if url.scheme == "https" else 80))
        if host not in self._pools:
            self._pools[host] = httpx.AsyncHTTPTransport(**self._options)
        if url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        try:
            for address in addresses[:-1]:  # the next address when one does not answer, as browsers do
                request.url = url.copy_with(host=address)
                try:
                    return await self._pools[host].handle_async_request(request)
                except httpx.ConnectError:
                    continue
            request.url = url.copy_with(host=addresses[-1])
            return await self._pools[host].handle_async_request(request)
        finally:
            request.url = url  # the response reports the URL as asked

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()


def client(**kwargs: Any) -> httpx.AsyncClient:
    """An httpx client for user-set URLs (see the module docstring); kwargs as for httpx."""
    return httpx.AsyncClient(transport=PublicOnlyTransport(), follow_redirects=False, **kwargs)
