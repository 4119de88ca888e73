"""Who the client is: forwarded headers count only from MANCREL_TRUSTED_PROXIES."""

import socket
import subprocess
import time

import httpx
import pytest

from mancrel.core.config import get_settings
from tests.auth.helpers import client_from, sign_in
from tests.conftest import mancrel_command, worker_env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_api(servers, tmp_path):
    """`mancrel serve` as deployed, on loopback, with a per-address ceiling of 3 failed sign-ins."""
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(mancrel_command("serve", "--port", str(port)), stdout=out,
                                   stderr=subprocess.STDOUT,
                                   env=worker_env(servers, MANCREL_LOGIN_MAX_FAILURES_PER_IP="3"))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"mancrel serve did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=20)


async def test_a_client_on_loopback_cannot_escape_the_address_limit_with_x_forwarded_for(served_api):
    async with httpx.AsyncClient(base_url=served_api) as http:
        for n in range(3):
            answer = await sign_in(http, f"spray{n}@example.com", "guess-guess-guess",
                                   **{"X-Forwarded-For": f"198.51.100.{n + 1}"})
            assert answer.status_code == 401
        # A fourth made-up address is still the same caller.
        blocked = await sign_in(http, "spray9@example.com", "guess-guess-guess",
                                **{"X-Forwarded-For": "198.51.100.99"})
    assert blocked.status_code == 429


async def test_behind_a_trusted_proxy_each_user_has_their_own_address(app, client, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "trusted_proxies", settings.model_validate(
        {"trusted_proxies": "10.0.0.2"}).trusted_proxies)
    monkeypatch.setattr(settings, "login_max_failures_per_ip", 3)
    async with client_from(app, "10.0.0.2") as proxy:
        for n in range(3):
            answer = await sign_in(proxy, f"spray{n}@example.com", "guess-guess-guess",
                                   **{"X-Forwarded-For": "203.0.113.9"})
            assert answer.status_code == 401
        # The guesser behind the proxy is stopped ...
        assert (await sign_in(proxy, "spray9@example.com", "guess-guess-guess",
                              **{"X-Forwarded-For": "203.0.113.9"})).status_code == 429
        # ... and a colleague behind the same proxy is not; nor can the guesser pass for them by
        # writing their address first: the proxy appends the address it saw.
        assert (await sign_in(proxy, "other@example.com", "first-try-wrong",
                              **{"X-Forwarded-For": "192.0.2.44"})).status_code == 401
        assert (await sign_in(proxy, "spray10@example.com", "guess-guess-guess",
                              **{"X-Forwarded-For": "192.0.2.44, 203.0.113.9"})).status_code == 429


async def test_forwarded_headers_from_an_untrusted_peer_are_ignored(app, client, db, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "trusted_proxies", settings.model_validate(
        {"trusted_proxies": "10.0.0.2"}).trusted_proxies)
    monkeypatch.setattr(settings, "login_max_failures_per_ip", 2)
    async with client_from(app, "203.0.113.50") as direct:
        for n in range(2):
            await sign_in(direct, f"spray{n}@example.com", "guess-guess-guess",
                          **{"X-Forwarded-For": f"198.51.100.{n}"})
        assert (await sign_in(direct, "x@example.com", "guess-guess-guess",
                              **{"X-Forwarded-For": "198.51.100.77"})).status_code == 429
