"""Realistic inbound mail for the inbox benches: the seller evaluation messages (bench/ai) wrapped
the way mail clients send them (quoted history, signatures, disclaimers; bench/ai/email_wrappers.json),
as signed Mailgun route forwards (PROTOCOLS.md). `request` is loadgen.py's --request builder."""

import csv
import functools
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

AI_BENCH = Path(__file__).resolve().parents[1] / "ai"
SHOP = "orders@northwind-outfitters.example"


@functools.cache
def bodies() -> list[str]:
    with open(AI_BENCH / "seller_eval.csv", newline="") as handle:
        messages = [row["text"] for row in csv.DictReader(handle)]
    templates = [t["template"] for t in json.loads((AI_BENCH / "email_wrappers.json").read_text())]
    return [templates[i % len(templates)].replace("{message}", message) for i, message in enumerate(messages)]


def form(index: int, prefix: str, signing_key: str) -> dict[str, str]:
    body = bodies()[index % len(bodies())]
    sender = f"customer{index % 997}@{prefix}.example"
    message_id = f"<{prefix}-{index}-{uuid.uuid4().hex[:8]}@mail.{prefix}.example>"
    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    signature = hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    headers = [["From", f"Customer {index} <{sender}>"], ["To", SHOP], ["Subject", f"Question {index}"],
               ["Message-Id", message_id], ["Date", time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())]]
    return {"sender": sender, "from": f"Customer {index} <{sender}>", "recipient": SHOP,
            "subject": f"Question {index}", "body-plain": body, "message-headers": json.dumps(headers),
            "timestamp": timestamp, "token": token, "signature": signature}


def request(host: str, path: str, secret: str, index: int, prefix: str) -> bytes:
    body = urlencode(form(index, prefix, secret)).encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body
