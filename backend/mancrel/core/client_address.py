"""Who is really calling: the peer, or what a trusted reverse proxy says the peer was.

Forwarded headers are just text the caller wrote. Only a proxy listed in
MANCREL_TRUSTED_PROXIES appends a hop it actually saw, so the chain is read from the right,
past every trusted hop, and the first address not in that list is the client. Headers from
any other peer are ignored: a client on loopback cannot name itself 1.2.3.4 to escape the
per-address login limit, and behind a configured proxy each user has their own address
instead of all sharing the proxy's.
"""

import ipaddress

from starlette.types import Scope

from mancrel.core.config import IPNetwork

FORWARDED_UNTRUSTED = "mancrel.forwarded_untrusted"
_FORWARDED_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: str, proxies: tuple[IPNetwork, ...]) -> bool:
    if not proxies:  # the usual case, on every request: no parsing
        return False
    ip = _parse_ip(address)
    return ip is not None and any(ip in network for network in proxies)


def _header_values(scope: Scope, name: bytes) -> list[str]:
    """Every value of a header: a proxy may add a second X-Forwarded-For line, not extend the first."""
    return [value.decode("latin-1") for key, value in scope["headers"] if key == name]


def _client_from_chain(peer: str, chain: list[str], proxies: tuple[IPNetwork, ...]) -> str:
    hop = peer
    for entry in reversed(chain):
        if not _trusted(hop, proxies):
            break
        if _parse_ip(entry) is None:
            # Garbage a client wrote before the proxy's own entry: stop at the last real hop.
            return hop
        hop = entry.strip()
    return hop


def resolve(scope: Scope, proxies: tuple[IPNetwork, ...]) -> None:
    """Set scope["client"] to the real client and scope["scheme"] to what it used.

    Also records in scope[FORWARDED_UNTRUSTED] whether the request carried
    forwarded headers that were ignored: its origin is then unknown, which /metrics treats
    as "not from an allowed network" (a proxy on the same host would otherwise make every
    outside caller look like loopback).
    """
    client = scope.get("client")
    peer = client[0] if client else ""
    if not _trusted(peer, proxies):
        scope[FORWARDED_UNTRUSTED] = any(_header_values(scope, name) for name in _FORWARDED_HEADERS)
        return
    scope[FORWARDED_UNTRUSTED] = False
    chain = [part for value in _header_values(scope, b"x-forwarded-for") for part in value.split(",")]
    if chain:
        real = _client_from_chain(peer, chain, proxies)
        scope["client"] = (real, 0)
    proto = _header_values(scope, b"x-forwarded-proto")
    if proto and proto[-1].strip().lower() in ("http", "https"):
        scope["scheme"] = proto[-1].strip().lower()
