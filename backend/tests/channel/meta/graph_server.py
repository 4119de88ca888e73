"""A local stand-in for Meta's Graph API: it checks what our client sends (bearer token, URL
shape, JSON body) and answers as Meta documents, so the code under test uses its real client."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.channel.meta import graph_templates

VERSION = "v21.0"
TOKEN = "EAAG-test-access-token"
PHONE_NUMBER_ID = "106540352242922"
PAGE_ID = "102938475610"
WABA_ID = "102290129340398"  # the WhatsApp Business Account that owns PHONE_NUMBER_ID
TEMPLATE_FIELDS = "name,language,status,category,parameter_format,components"
MEDIA_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048
TOKEN_ERROR = {"error": {"message": "Error validating access token: Session has expired.",
                         "type": "OAuthException", "code": 190, "error_subcode": 463, "fbtrace_id": "AbCdEf"}}


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    body: Any


@dataclass
class GraphState:
    requests: list[Seen] = field(default_factory=list)
    token: str = TOKEN
    fail_sends_with: int | None = None  # an HTTP status to answer sends with (5xx: transient)
    profiles: dict[str, dict] = field(default_factory=dict)
    sent: int = 0
    # The WABA's message templates as Meta lists them (name, language, status, category, components).
    templates: list[dict] = field(default_factory=list)
    template_page_size: int = 100  # Meta's own cap on a page, whatever `limit` asks


class _Handler(BaseHTTPRequestHandler):
    state: GraphState
    base: str

    def log_message(self, *args) -> None:  # quiet test output
        pass

    def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _seen(self) -> tuple[Seen, list[str]]:
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        seen = Seen(self.command, parts.path, parse_qs(parts.query), self.headers.get("authorization"),
                    json.loads(raw) if raw else None)
        self.state.requests.append(seen)
        return seen, [p for p in parts.path.split("/") if p]

    def _authorised(self, seen: Seen) -> bool:
        if seen.authorization != f"Bearer {self.state.token}":
            self._answer(401, TOKEN_ERROR)
            return False
        return True

    def do_POST(self) -> None:
        seen, parts = self._seen()
        if not self._authorised(seen):
            return
        if len(parts) != 3 or parts[0] != VERSION or parts[2] != "messages":
            return self._answer(404, {"error": {"message": "Unknown path", "code": 100}})
        if self.state.fail_sends_with:
            return self._answer(self.state.fail_sends_with, {"error": {"message": "Service unavailable", "code": 2}})
        self.state.sent += 1
        if parts[1] == PHONE_NUMBER_ID:
            body = seen.body or {}
            refusal = self._refuse_whatsapp(body)
            if refusal:
                return self._answer(400, {"error": {"message": refusal, "code": 100}})
            return self._answer(200, {"messaging_product": "whatsapp",
                                      "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                      "messages": [{"id": f"wamid.OUT{self.state.sent}"}]})
        if parts[1] == PAGE_ID:
            body = seen.body or {}
            # RESPONSE inside the 24-hour window; after it only a tagged message (HUMAN_AGENT: a person's).
            tagged = body.get("messaging_type") == "MESSAGE_TAG" and body.get("tag") == "HUMAN_AGENT"
            if not ((body.get("messaging_type") == "RESPONSE" and "tag" not in body) or tagged) \
                    or not (body.get("recipient") or {}).get("id"):
                return self._answer(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}})
            return self._answer(200, {"recipient_id": body["recipient"]["id"], "message_id": f"m_OUT{self.state.sent}"})
        return self._answer(404, {"error": {"message": "Unknown object", "code": 100}})

    def _refuse_whatsapp(self, body: dict) -> str | None:
        """Why Meta would refuse this send, or None: a text, or an approved template with the values it needs."""
        if body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return "(#100) Invalid parameter"
        if body.get("type") == "text":
            return None if (body.get("text") or {}).get("body") else "(#100) text.body is required"
        if body.get("type") != "template":
            return "(#100) Invalid parameter"
        return graph_templates.refusal(self.state.templates, body.get("template") or {})

    def _templates(self, seen: Seen, waba_id: str) -> None:
        """`GET /{waba_id}/message_templates`: the requested fields, pages of `limit` with `paging.next`."""
        if waba_id != WABA_ID:
            return self._answer(400, {"error": {
                "message": f"Unsupported get request. Object with ID '{waba_id}' does not exist, cannot be loaded "
                           "due to missing permissions, or does not support this operation.",
                "type": "GraphMethodException", "code": 100, "error_subcode": 33}})
        if seen.query.get("fields") != [TEMPLATE_FIELDS]:
            return self._answer(400, {"error": {"message": "(#100) fields are not the ones we test for", "code": 100}})
        limit = min(int((seen.query.get("limit") or ["25"])[0]), self.state.template_page_size)
        start = int((seen.query.get("after") or ["0"])[0])
        page = self.state.templates[start:start + limit]
        answer: dict = {"data": page, "paging": {"cursors": {"before": str(start), "after": str(start + len(page))}}}
        if start + limit < len(self.state.templates):
            answer["paging"]["next"] = (f"{self.base}/{VERSION}/{waba_id}/message_templates?fields={TEMPLATE_FIELDS}"
                                        f"&limit={limit}&after={start + limit}")
        return self._answer(200, answer)

    def do_GET(self) -> None:
        seen, parts = self._seen()
        if parts[:1] == ["cdn"]:  # Messenger's attachment links: signed URLs, no token
            return self._answer(200 if seen.authorization is None else 400, MEDIA_BYTES, "image/jpeg")
        if not self._authorised(seen):
            return
        if len(parts) == 3 and parts[0] == VERSION and parts[2] == "message_templates":
            return self._templates(seen, parts[1])
        if parts == ["media", "file-1"]:
            return self._answer(200, MEDIA_BYTES, "image/png")
        if len(parts) == 2 and parts[0] == VERSION and parts[1].startswith("MEDIA"):
            return self._answer(200, {"messaging_product": "whatsapp", "url": f"{self.base}/media/file-1",
                                      "mime_type": "image/png", "sha256": "abc", "file_size": len(MEDIA_BYTES),
                                      "id": parts[1]})
        if len(parts) == 2 and parts[0] == VERSION and parts[1] in self.state.profiles:
            return self._answer(200, {**self.state.profiles[parts[1]], "id": parts[1]})
        return self._answer(404, {"error": {"message": "Unsupported get request.", "code": 100}})


class GraphServer:
    def __init__(self) -> None:
        self.state = GraphState()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._server.RequestHandlerClass = type("Handler", (_Handler,), {"state": self.state, "base": self.base})
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """What a channel's settings.graph_base_url points at."""
        return f"{self.base}/{VERSION}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
