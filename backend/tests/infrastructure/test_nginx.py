"""The repository's nginx config (infrastructure/nginx) in front of a real `mancrel run`:
what a browser, a shop, a mail provider and Prometheus meet through it."""

import contextlib
import hashlib
import hmac
import json
import queue
import threading
import time
import uuid
from urllib.parse import urlencode

import httpx
import pytest

from tests.catalog.factories import STANDARD_SECRET, standard_headers, standard_payload
from tests.core.test_run import ADMIN
from tests.infrastructure.stack import DOMAIN, Stack


def _client(stack: Stack, source: str = "127.0.0.1", token: str | None = None) -> httpx.Client:
    """A client connecting from `source` (any 127.0.0.0/8 address is this machine)."""
    headers = {"Host": DOMAIN, **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.Client(base_url=f"http://127.0.0.1:{stack.http_port}", headers=headers,
                        transport=httpx.HTTPTransport(local_address=source), timeout=30)


@pytest.fixture(scope="module")
def admin_token(stack) -> str:
    with _client(stack, "127.0.0.2") as client:
        answer = client.post("/api/v1/auth/login", json={"email": ADMIN, "password": stack.admin_password})
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def _mailgun_form(signing_key: str, subject: str) -> dict[str, str]:
    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    return {"sender": "walk.in@example.org", "from": "Walk In <walk.in@example.org>",
            "recipient": "hello@trailhead-outfitters.example", "subject": subject,
            "body-plain": "Do you have the merino socks in size L?", "timestamp": timestamp, "token": token,
            "signature": hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()}


def _api_log(stack: Stack) -> list[dict]:
    lines = (stack.data_dir / "logs/api.log").read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_deep_links_get_the_web_app_and_hashed_files_are_cached_for_good(stack):
    with _client(stack) as client:
        deep = client.get("/deals/42")
        asset = client.get("/assets/index-3f9a1c.js", headers={"Accept-Encoding": "gzip"})
        missing = client.get("/assets/index-000000.js")
        unknown_api = client.get("/api/v1/no-such-thing")
    assert deep.status_code == 200 and "Mancrel web app" in deep.text
    assert deep.headers["cache-control"] == "no-cache"  # a release is seen on the next load
    assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing.status_code == 404  # an old hashed file is not answered with index.html
    # /api is the app's, never the web app's fallback.
    assert unknown_api.status_code == 404
    assert unknown_api.headers["content-type"] == "application/problem+json"


def test_security_headers_and_hsts_only_over_tls(stack):
    with _client(stack) as client:
        page = client.get("/")
        api = client.get("/healthz")
    for answer in (page, api):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "strict-transport-security" not in answer.headers  # plain HTTP
        assert answer.headers["server"] == "nginx"  # no version
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp

    # The certificate is the test's own, for mancrel.test, reached at 127.0.0.1.
    with httpx.Client(verify=False, timeout=30) as client:  # noqa: S501
        tls = client.get(f"https://127.0.0.1:{stack.tls_port}/deals/42", headers={"Host": DOMAIN})
        plain = client.get(f"http://127.0.0.1:{stack.tls_redirect_port}/deals/42?x=1", headers={"Host": DOMAIN})
        challenge = client.get(f"http://127.0.0.1:{stack.tls_redirect_port}/.well-known/acme-challenge/none",
                               headers={"Host": DOMAIN})
    assert tls.status_code == 200 and "Mancrel web app" in tls.text
    assert tls.headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
    assert tls.http_version in ("HTTP/1.1", "HTTP/2")
    assert plain.status_code == 301 and plain.headers["location"] == f"https://{DOMAIN}/deals/42?x=1"
    assert challenge.status_code == 404  # certbot's folder, not a redirect


def test_the_app_sees_the_callers_own_address_and_metrics_stay_restricted(stack):
    """MANCREL_METRICS_ALLOWED_NETWORKS admits 127.0.0.7 only (besides nginx's 127.0.0.1, which
    the app never takes for the caller): the app must see who is really calling."""
    with _client(stack, "127.0.0.7") as monitoring, _client(stack, "127.0.0.8") as other:
        allowed = monitoring.get("/metrics")
        refused = other.get("/metrics")
        spoofed = other.get("/metrics", headers={"X-Forwarded-For": "127.0.0.7"})
    assert allowed.status_code == 200 and "mancrel_http_requests_total" in allowed.text
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert spoofed.status_code == 403  # nginx appends the real address; the app reads from the right


def test_an_oversized_body_is_refused_by_nginx_before_the_app(stack):
    big = b"x" * (2 * 1024 * 1024)
    source = uuid.uuid4()
    with _client(stack) as client:
        catalogue = client.post(f"/webhook/catalog/{source}", content=big, headers={"Content-Type": "application/json"})
        # The same size is within the 25 MB a mail with attachments may have: nginx lets it
        # through and the app answers (an unknown channel).
        email = client.post(f"/webhook/email/{uuid.uuid4()}", content=big,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert catalogue.status_code == 413
    assert catalogue.headers["content-type"] == "application/problem+json"
    assert catalogue.json()["status"] == 413
    assert "x-request-id" not in catalogue.headers  # nginx's answer: the app never saw it
    assert not [e for e in _api_log(stack) if e.get("path") == f"/webhook/catalog/{source}"]
    assert email.status_code != 413 and "x-request-id" in email.headers


def test_a_signed_catalogue_webhook_through_nginx_is_accepted(stack, admin_token):
    auth = {"Authorization": f"Bearer {admin_token}"}
    with _client(stack, "127.0.0.2") as client:
        created = client.post("/api/v1/catalog/sources", headers=auth, json={
            "name": "Shop behind nginx", "kind": "standard", "webhook_secret": STANDARD_SECRET, "currency": "EUR"})
        assert created.status_code == 201, created.text
        body = json.dumps(standard_payload("nginx-1", sku="NGINX-1")).encode()
        delivered = client.post(f"/webhook/catalog/{created.json()['id']}", content=body,
                                headers=standard_headers(body))
        tampered = client.post(f"/webhook/catalog/{created.json()['id']}", content=body + b" ",
                               headers=standard_headers(body))
    assert delivered.status_code == 200 and delivered.json()["status"] == "accepted"
    assert tampered.status_code == 401  # the raw bytes reached the app unchanged: the signature matters


def _read_events(url: str, token: str, into: queue.Queue, stop: threading.Event) -> None:
    with contextlib.suppress(httpx.HTTPError), \
            httpx.Client(timeout=httpx.Timeout(10, read=120), headers={"Host": DOMAIN}) as client, \
            client.stream("GET", url, params={"access_token": token}) as response:
        into.put(("status", response.status_code, dict(response.headers)))
        for line in response.iter_lines():
            into.put(("line", line, time.monotonic()))
            if stop.is_set():
                return


def test_live_events_arrive_through_nginx_as_they_happen(stack, admin_token):
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    reader = threading.Thread(target=_read_events, daemon=True, args=(
        f"http://127.0.0.1:{stack.http_port}/api/v1/events", admin_token, events, stop))
    reader.start()
    _, status, headers = events.get(timeout=30)
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    assert "content-encoding" not in headers  # gzip would hold events back
    # The stream's first bytes ("retry:", ": connected") come at once, not held in a buffer.
    assert [events.get(timeout=30)[1] for _ in range(2)] == ["retry: 3000", ": connected"]

    # A customer writes in: the mail provider's signed webhook goes through nginx too.
    subject = f"Through nginx {uuid.uuid4().hex[:8]}"
    with _client(stack) as client:
        posted = client.post(stack.mail_path, content=urlencode(_mailgun_form(stack.mail_key, subject)),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert posted.status_code == 200, posted.text
    # Events carry ids, not text: the conversation each names is read back to find ours.
    deadline = time.monotonic() + 180  # a worker busy training the first classifier takes its time
    with _client(stack, "127.0.0.2", admin_token) as api:
        while True:
            _, line, _ = events.get(timeout=max(0.1, deadline - time.monotonic()))
            if not line.startswith("data:"):
                continue
            event = json.loads(line[5:])
            if event["topic"] != "message.created":
                continue
            conversation = api.get(f"/api/v1/conversations/{event['payload']['conversation_id']}").json()
            if conversation["subject"] == subject:
                break
    stop.set()
    assert event["payload"]["direction"] == "inbound"


def test_sign_in_floods_are_cut_by_nginx(stack):
    with _client(stack, "127.0.0.9") as client:
        answers = [client.post("/api/v1/auth/login", json={"email": "nobody@example.com", "password": "wrong-1"})
                   for _ in range(30)]
    by_nginx = [a for a in answers if a.status_code == 429 and "x-request-id" not in a.headers]
    assert by_nginx, [a.status_code for a in answers]
    assert by_nginx[0].headers["content-type"] == "application/problem+json"
    assert by_nginx[0].headers["retry-after"] == "60"
    # The burst allowance lets a person's retries through to the app first.
    assert all("x-request-id" in a.headers for a in answers[:20])
