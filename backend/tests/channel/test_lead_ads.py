"""Meta Lead Ads end to end: a signed `leadgen` delivery to /webhook/meta/{channel_id}, the real
worker fetching the lead from a local stand-in for the Graph API, and what a rep then sees through
the API: the contact, the deal in the channel's stage with the form/ad/campaign ids, the note on
the contact's timeline. Also duplicates, a known customer, Meta down, and a refused token."""

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import delete, or_, select

from mancrel.activity.models import Activity
from mancrel.ai.models import Embedding, SearchDocument
from mancrel.channel import graph, lead_ads
from mancrel.channel import service as channel_service
from mancrel.channel.models import InboundEvent
from mancrel.channel.schemas import ChannelCreate, ChannelUpdate
from mancrel.contact.models import Contact
from mancrel.core.db import commit
from mancrel.core.permissions import Role
from mancrel.customfield import service as customfield_service
from mancrel.customfield.schemas import CustomFieldCreate
from mancrel.deal.models import Deal
from mancrel.pipeline import service as pipeline_service
from mancrel.worker.errors import PermanentError, is_transient
from tests.conftest import start_worker
from tests.contact.factories import make_contact
from tests.factories import auth_headers, make_user
from tests.worker.helpers import eventually

PAGE_ID, FORM_ID, AD_ID, ADSET_ID, CAMPAIGN_ID = "104729385610", "551200334455", "23851000111", "23851000222", \
    "23851000333"
APP_SECRET, ACCESS_TOKEN, VERIFY_TOKEN = "lead-app-secret", "EAAGpagetoken123", "verify-me"
VERSION = "v21.0"


# --- a stand-in for the Graph API ------------------------------------------------------------
class GraphStandIn:
    """Meta's Graph API for Lead Ads as its docs describe it: `GET /v21.0/{lead or form id}
    ?fields=a,b` with the page token as a bearer answers the fields asked for (and `id`); a wrong
    token answers 400 OAuthException code 190; an unknown id 400 code 100. `failing` makes the next
    lead reads answer 503 with Meta's transient error."""

    def __init__(self) -> None:
        self.leads: dict[str, dict] = {}
        self.forms: dict[str, dict] = {FORM_ID: {"id": FORM_ID, "name": "Spring trial", "status": "ACTIVE"}}
        self.token = ACCESS_TOKEN
        self.failing = 0
        self.requests: list[tuple[str, dict[str, list[str]], str | None]] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{VERSION}"

    def lead_requests(self) -> list:
        return [r for r in self.requests if r[0].rsplit("/", 1)[-1] in self.leads]

    def answer(self, path: str, query: dict[str, list[str]], auth: str | None) -> tuple[int, dict]:
        with self._lock:
            self.requests.append((path, query, auth))
            match = re.fullmatch(rf"/{VERSION}/([0-9]+)", path)
            if auth != f"Bearer {self.token}":
                return 400, _error("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190)
            obj = self.leads.get(match.group(1)) if match else None
            obj = obj or (self.forms.get(match.group(1)) if match else None)
            if obj is None:
                return 400, _error(f"Unsupported get request. Object with ID '{path}' does not exist",
                                   "GraphMethodException", 100)
            if obj in self.leads.values() and self.failing > 0:
                self.failing -= 1
                return 503, {"error": {**_error("An unexpected error has occurred. Please retry your request later.",
                                                "OAuthException", 2)["error"], "is_transient": True}}
            fields = ",".join(query.get("fields", [])).split(",")
            return 200, {"id": obj["id"], **{k: v for k, v in obj.items() if k in fields}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                status, answer = standin.answer(parts.path, parse_qs(parts.query), self.headers.get("Authorization"))
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _error(message: str, kind: str, code: int) -> dict:
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}}


def meta_lead(leadgen_id: str, *, name: str = "Ann Buyer", email: str = "ann.buyer@customer.example",
              phone: str = "+49 151 23456789", extra: list[dict] | None = None) -> dict:
    """A lead as `GET /{leadgen_id}` answers it (Meta's Lead Ads docs, "Retrieving Leads")."""
    return {"id": leadgen_id, "created_time": "2026-12-05T09:30:00+0000", "form_id": FORM_ID, "ad_id": AD_ID,
            "ad_name": "Winter socks carousel", "adset_id": ADSET_ID, "adset_name": "DACH 25-45",
            "campaign_id": CAMPAIGN_ID, "campaign_name": "Winter 2026", "is_organic": False, "platform": "fb",
            "field_data": [{"name": "full_name", "values": [name]}, {"name": "email", "values": [email]},
                           {"name": "phone_number", "values": [phone]},
                           {"name": "shirt_size", "values": ["M"]},
                           {"name": "how_many_pairs?", "values": ["12"]}, *(extra or [])]}


def leadgen_delivery(*leadgen_ids: str) -> bytes:
    """What Meta posts for new leads: `object: page`, one `leadgen` change per lead."""
    changes = [{"field": "leadgen", "value": {"ad_id": AD_ID, "form_id": FORM_ID, "leadgen_id": leadgen_id,
                                              "created_time": 1796463000, "page_id": PAGE_ID,
                                              "adgroup_id": ADSET_ID}} for leadgen_id in leadgen_ids]
    return json.dumps({"object": "page", "entry": [{"id": PAGE_ID, "time": 1796463001, "changes": changes}]}).encode()


def signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-hub-signature-256": signature}


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture
def graph_api() -> Iterator[GraphStandIn]:
    standin = GraphStandIn()
    thread = threading.Thread(target=standin.httpd.serve_forever, daemon=True)
    thread.start()
    yield standin
    standin.httpd.shutdown()
    standin.httpd.server_close()


@pytest.fixture
async def setup(committed_db, graph_api) -> AsyncIterator[dict]:
    """An admin, the rep new leads go to, the lead_ads channel pointing at the stand-in; afterwards
    the rows the jobs made (not tracked by committed_db) are removed."""
    db = committed_db
    admin, rep = await make_user(db, role=Role.admin), await make_user(db, role=Role.rep)
    pipeline = await pipeline_service.get_default(db)
    stage = pipeline.stages[1]  # not the first stage: the channel's choice must be the one used
    channel = await channel_service.create(db, actor=None, data=ChannelCreate(
        kind="lead_ads", name=f"Lead ads {time.monotonic_ns()}",
        settings={"page_id": PAGE_ID, "pipeline_id": str(pipeline.id), "stage_id": str(stage.id),
                  "owner_id": str(rep.id), "graph_base_url": graph_api.base_url},
        secrets={"app_secret": APP_SECRET, "access_token": ACCESS_TOKEN, "verify_token": VERIFY_TOKEN}))
    field = await customfield_service.create(db, actor=None, data=CustomFieldCreate(
        object_type="contact", key="shirt_size", label="Shirt size", field_type="select", options=["S", "M", "L"]))
    await commit(db)
    yield {"admin": admin, "rep": rep, "channel": channel, "stage": stage, "pipeline": pipeline, "field": field}
    await _forget_leads(db)


async def _forget_leads(db) -> None:
    db.expire_all()
    deals = list(await db.scalars(select(Deal.id).where(Deal.source == lead_ads.SOURCE)))
    contacts = list(await db.scalars(select(Contact.id).where(Contact.source == lead_ads.SOURCE)))
    known = list(await db.scalars(select(Deal.contact_id).where(Deal.id.in_(deals))))
    ids = deals + contacts + [c for c in known if c]
    await db.execute(delete(SearchDocument).where(SearchDocument.entity_id.in_(ids)))
    await db.execute(delete(Embedding).where(Embedding.entity_id.in_(ids)))
    await db.execute(delete(Activity).where(or_(Activity.deal_id.in_(deals), Activity.contact_id.in_(contacts))))
    await db.execute(delete(Deal).where(Deal.id.in_(deals)))
    await db.execute(delete(Contact).where(Contact.id.in_(contacts)))
    await db.commit()


@pytest.fixture
def worker(servers, clean_redis, tmp_path):
    """The real worker, with the lead fetch's retry waits shortened from seconds to tenths."""
    process = start_worker(servers, tmp_path / "worker.log", MANCREL_LEAD_FETCH_RETRY_BASE="0.05")
    yield process
    process.stop()


# --- helpers: what a user sees through the API ---------------------------------------------------
async def _get(client, user, path: str, **params) -> dict:
    response = await client.get(f"/api/v1{path}", params=params, headers=auth_headers(user))
    assert response.status_code == 200, response.text
    return response.json()


async def _lead_deals(client, user) -> list[dict]:
    return [d for d in (await _get(client, user, "/deals", q="Lead:", limit=100))["items"]
            if d["source"] == "lead_ads"]


async def _post_delivery(client, channel_id, body: bytes) -> dict:
    response = await client.post(f"/webhook/meta/{channel_id}", content=body, headers=signed(body))
    assert response.status_code == 200, response.text
    return response.json()


async def _deals_once_there(client, user, count: int = 1, worker=None) -> list[dict]:
    try:
        return await eventually(lambda: _lead_deals_if(client, user, count), within=60, interval=0.2)
    except AssertionError:
        raise AssertionError(worker.output()[-4000:] if worker else "no deal") from None


async def _lead_deals_if(client, user, count: int) -> list[dict] | None:
    deals = await _lead_deals(client, user)
    return deals if len(deals) >= count else None


# --- the whole path ------------------------------------------------------------------------------
async def test_a_signed_leadgen_delivery_becomes_a_contact_a_deal_and_a_timeline_note(
        committed_client, setup, graph_api, worker):
    admin, rep, channel = setup["admin"], setup["rep"], setup["channel"]
    graph_api.leads["900100200300"] = meta_lead("900100200300")

    assert (await _post_delivery(committed_client, channel.id, leadgen_delivery("900100200300")))["stored"] == 1
    (deal,) = await _deals_once_there(committed_client, admin, worker=worker)

    # The Graph API was asked for the lead by its id, with the page token and the fields we read.
    path, query, auth = graph_api.lead_requests()[0]
    assert path == f"/{VERSION}/900100200300" and auth == f"Bearer {ACCESS_TOKEN}"
    assert {"field_data", "form_id", "ad_id", "campaign_id"} <= set(query["fields"][0].split(","))

    assert deal["title"] == "Lead: Ann Buyer (Spring trial)"
    assert (deal["pipeline_id"], deal["stage_id"]) == (str(setup["pipeline"].id), str(setup["stage"].id))
    assert deal["owner_id"] == str(rep.id) and deal["status"] == "open"
    assert deal["source_details"].items() >= {
        "leadgen_id": "900100200300", "form_id": FORM_ID, "ad_id": AD_ID, "adset_id": ADSET_ID,
        "campaign_id": CAMPAIGN_ID, "campaign_name": "Winter 2026", "form_name": "Spring trial"}.items()

    contact = await _get(committed_client, rep, f"/contacts/{deal['contact_id']}")
    assert (contact["first_name"], contact["last_name"]) == ("Ann", "Buyer")
    assert contact["emails"] == ["ann.buyer@customer.example"] and contact["phones"] == ["+4915123456789"]
    assert contact["owner_id"] == str(rep.id) and contact["source"] == "lead_ads"
    assert contact["custom_fields"] == {"shirt_size": "M"}  # a question named like a contact field fills it

    timeline = (await _get(committed_client, rep, f"/contacts/{contact['id']}/timeline"))["items"]
    (note,) = [e["data"] for e in timeline if e["kind"] == "activity"]
    assert note["type"] == "note" and note["subject"] == "Lead form: Spring trial"
    assert note["deal_id"] == deal["id"] and note["occurred_at"].startswith("2026-12-05T09:30:00")
    assert "How many pairs?: 12" in note["body"] and "Shirt size: M" in note["body"]
    assert f"Campaign: {CAMPAIGN_ID} (Winter 2026)" in note["body"] and f"Ad: {AD_ID}" in note["body"]

    health = await _get(committed_client, admin, f"/channels/{channel.id}/health")
    assert health["last_received_at"] is not None and health["last_error"] is None


async def test_a_lead_delivered_again_never_makes_a_second_deal(committed_client, committed_db, setup, graph_api,
                                                                worker):
    admin, channel = setup["admin"], setup["channel"]
    graph_api.leads["900100200301"] = meta_lead("900100200301")
    body = leadgen_delivery("900100200301")
    await _post_delivery(committed_client, channel.id, body)
    await _deals_once_there(committed_client, admin, worker=worker)

    # Meta redelivers the same POST, and later batches the lead with a new one.
    graph_api.leads["900100200302"] = meta_lead("900100200302", name="Bob Stone", email="bob@stone.example",
                                                phone="+33612345678")
    again = await _post_delivery(committed_client, channel.id, body)
    batched = await _post_delivery(committed_client, channel.id, leadgen_delivery("900100200301", "900100200302"))
    assert (again["stored"], again["duplicates"]) == (0, 1) and (batched["stored"], batched["duplicates"]) == (1, 1)
    deals = await _deals_once_there(committed_client, admin, count=2, worker=worker)

    assert sorted(d["title"] for d in deals) == ["Lead: Ann Buyer (Spring trial)", "Lead: Bob Stone (Spring trial)"]
    # The same lead stored as a second event (a second channel for the page) finds its deal made.
    event = InboundEvent(channel_id=channel.id, dedupe_key="leadgen:900100200301:again", provider="lead_ads",
                         content_type="application/json", body=json.dumps({"leadgen_id": "900100200301",
                                                                           "page_id": PAGE_ID}).encode())
    committed_db.add(event)
    await commit(committed_db)
    assert await lead_ads.fetch_lead.run_async(committed_db, event_id=event.id) == "duplicate"
    await committed_db.commit()
    assert len(await _lead_deals(committed_client, admin)) == 2


async def test_a_lead_from_a_known_email_joins_that_contact(committed_client, committed_db, setup, graph_api,
                                                           worker):
    admin, channel = setup["admin"], setup["channel"]
    owner = await make_user(committed_db, role=Role.rep)
    known = await make_contact(committed_db, actor=owner, first_name="Annie", last_name="Buyer-Smith",
                               emails=["ann.buyer@customer.example"])
    await commit(committed_db)
    graph_api.leads["900100200303"] = meta_lead("900100200303", email="Ann.Buyer@Customer.example ")

    await _post_delivery(committed_client, channel.id, leadgen_delivery("900100200303"))
    (deal,) = await _deals_once_there(committed_client, admin, worker=worker)

    assert deal["contact_id"] == str(known.id)
    assert deal["owner_id"] == str(owner.id)  # the customer's own rep, not the channel's default
    contact = await _get(committed_client, admin, f"/contacts/{known.id}")
    assert (contact["first_name"], contact["last_name"]) == ("Annie", "Buyer-Smith")  # a rep's edits win
    assert contact["phones"] == ["+4915123456789"]  # what it lacked is added
    assert contact["source"] != "lead_ads"
    assert (await _get(committed_client, admin, "/contacts", q="ann.buyer@customer.example"))["items"] == [contact]


async def test_meta_down_retries_then_dead_letters_and_a_replay_makes_the_contact_and_deal(
        committed_client, setup, graph_api, worker):
    admin, channel = setup["admin"], setup["channel"]
    graph_api.leads["900100200304"] = meta_lead("900100200304")
    graph_api.failing = 1000  # Meta answers 503 to every try

    await _post_delivery(committed_client, channel.id, leadgen_delivery("900100200304"))

    async def dead_letter():
        items = (await _get(committed_client, admin, "/dead-letters", task_name="channel.fetch_lead"))["items"]
        return items[0] if items else None

    letter = await eventually(dead_letter, within=90, interval=0.3)
    assert letter["attempts"] == lead_ads.FETCH_RETRIES + 1 == len(graph_api.lead_requests())
    assert "503" in letter["error"] and await _lead_deals(committed_client, admin) == []
    health = await _get(committed_client, admin, f"/channels/{channel.id}/health")
    assert "503" in health["last_error"] and health["inbound_failed"] == 1

    graph_api.failing = 0  # Meta is back; an admin replays
    replay = await committed_client.post(f"/api/v1/dead-letters/{letter['id']}/replay", headers=auth_headers(admin))
    assert replay.status_code == 200, replay.text
    (deal,) = await _deals_once_there(committed_client, admin, worker=worker)
    assert deal["contact_id"] is not None and deal["title"] == "Lead: Ann Buyer (Spring trial)"
    health = await _get(committed_client, admin, f"/channels/{channel.id}/health")
    assert health["inbound_failed"] == 0


async def test_a_refused_token_is_on_the_channel_health_dead_lettered_without_retries_and_replayed_once_fixed(
        committed_client, setup, graph_api, worker):
    admin, channel = setup["admin"], setup["channel"]
    graph_api.leads["900100200305"] = meta_lead("900100200305")
    graph_api.token = "a-new-token-the-channel-does-not-have"

    await _post_delivery(committed_client, channel.id, leadgen_delivery("900100200305"))

    async def dead_letter():
        items = (await _get(committed_client, admin, "/dead-letters", task_name="channel.fetch_lead"))["items"]
        return items[0] if items else None

    letter = await eventually(dead_letter, within=60, interval=0.3)
    assert letter["attempts"] == 1 and len(graph_api.requests) == 1  # retrying cannot fix a token
    health = await _get(committed_client, admin, f"/channels/{channel.id}/health")
    assert "190" in health["token_error"] and health["token_error_at"] is not None
    assert await _lead_deals(committed_client, admin) == []

    # An admin pastes the new token, then replays: the lead arrives and the warning goes.
    patched = await committed_client.patch(f"/api/v1/channels/{channel.id}", headers=auth_headers(admin),
                                           json={"secrets": {"access_token": graph_api.token}})
    assert patched.status_code == 200, patched.text
    replay = await committed_client.post(f"/api/v1/dead-letters/{letter['id']}/replay", headers=auth_headers(admin))
    assert replay.status_code == 200, replay.text
    (deal,) = await _deals_once_there(committed_client, admin, worker=worker)
    assert deal["source_details"]["leadgen_id"] == "900100200305"
    assert (await _get(committed_client, admin, f"/channels/{channel.id}/health"))["token_error"] is None


# --- the job on its own ---------------------------------------------------------------------------
async def _stored_event(db, channel, leadgen_id: str) -> InboundEvent:
    event = InboundEvent(channel_id=channel.id, dedupe_key=f"leadgen:{leadgen_id}", provider="lead_ads",
                         content_type="application/json",
                         body=json.dumps({"leadgen_id": leadgen_id, "page_id": PAGE_ID, "form_id": FORM_ID}).encode())
    db.add(event)
    await commit(db)
    return event


async def test_a_slow_graph_api_is_a_failure_worth_retrying(committed_db, setup, graph_api, monkeypatch):
    graph_api.leads["900100200306"] = meta_lead("900100200306")
    event = await _stored_event(committed_db, setup["channel"], "900100200306")
    original = graph_api.answer
    monkeypatch.setattr(graph_api, "answer", lambda *a: (time.sleep(1.0), original(*a))[1])
    monkeypatch.setattr(graph, "TIMEOUT", httpx.Timeout(0.3))

    with pytest.raises(Exception) as failure:
        await lead_ads.fetch_lead.run_async(committed_db, event_id=event.id)
    assert is_transient(failure.value) and "did not answer" in str(failure.value)
    await committed_db.rollback()


async def test_answers_without_a_usable_phone_keep_it_in_the_note(committed_db, setup, graph_api):
    graph_api.leads["900100200307"] = meta_lead(
        "900100200307", phone="0151 2345678", extra=[{"name": "shirt_size", "values": ["XXL"]}])
    graph_api.leads["900100200307"]["field_data"] = [  # XXL is not an option: the note keeps it
        f for f in graph_api.leads["900100200307"]["field_data"] if f["values"] != ["M"]]
    event = await _stored_event(committed_db, setup["channel"], "900100200307")

    assert await lead_ads.fetch_lead.run_async(committed_db, event_id=event.id) == "stored"
    await commit(committed_db)
    deal = await committed_db.scalar(select(Deal).where(Deal.source_ref == "900100200307"))
    contact = await committed_db.get(Contact, deal.contact_id)
    note = await committed_db.scalar(select(Activity).where(Activity.deal_id == deal.id))
    assert contact.phones == [] and contact.custom_fields == {}
    assert "Phone number: 0151 2345678" in note.body and "Shirt size: XXL" in note.body


async def test_a_lead_from_a_known_phone_joins_that_contact_and_adds_the_new_email(committed_db, setup, graph_api):
    owner = await make_user(committed_db, role=Role.rep)
    known = await make_contact(committed_db, actor=owner, first_name="Ann", last_name="B.", emails=[],
                               phones=["+4915123456789"])
    await commit(committed_db)
    graph_api.leads["900100200309"] = meta_lead("900100200309", phone="0049 151 23456789",
                                                email="ann.new@customer.example")
    event = await _stored_event(committed_db, setup["channel"], "900100200309")

    assert await lead_ads.fetch_lead.run_async(committed_db, event_id=event.id) == "stored"
    await commit(committed_db)
    deal = await committed_db.scalar(select(Deal).where(Deal.source_ref == "900100200309"))
    await committed_db.refresh(known)
    assert deal.contact_id == known.id and deal.owner_id == owner.id
    assert known.emails == ["ann.new@customer.example"] and known.phones == ["+4915123456789"]


async def test_a_deleted_stage_fails_the_job_for_good_with_the_reason_on_the_channel(committed_db, setup):
    channel = setup["channel"]
    await channel_service.update(committed_db, channel=channel, actor=None, data=ChannelUpdate(
        settings={"stage_id": str(setup["pipeline"].id)}))  # an id that is no stage
    event_id = (await _stored_event(committed_db, channel, "900100200308")).id

    with pytest.raises(PermanentError, match="stage_id"):
        await lead_ads.fetch_lead.run_async(committed_db, event_id=event_id)
    await committed_db.rollback()
    committed_db.expire_all()
    stored = await committed_db.get(InboundEvent, event_id)
    assert stored.status == "failed" and "stage_id" in stored.error


def test_field_data_is_read_as_meta_sends_it() -> None:
    answers = lead_ads.read_answers([
        {"name": "first_name", "values": ["Zoë"]}, {"name": "last_name", "values": ["Ng"]},
        {"name": "email", "values": [" ZOE@Example.COM"]}, {"name": "work_email", "values": ["zoe@example.com"]},
        {"name": "phone_number", "values": ["+1 (415) 555-0132"]}, {"name": "interests", "values": ["wool", "silk"]},
        {"name": "empty", "values": []}, {"bogus": True}])
    assert answers.name == "Zoë Ng" and answers.emails == ["zoe@example.com"] and answers.phones == ["+14155550132"]
    assert answers.other == {"interests": "wool, silk"}
