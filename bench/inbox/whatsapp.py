"""WhatsApp Cloud API deliveries for the inbox ack bench: one customer message per POST, shaped as
Meta sends them (PROTOCOLS.md "Meta") and signed with X-Hub-Signature-256 over the exact bytes.
The words are the seller evaluation messages (bench/ai/seller_eval.csv), as customers type them
in a chat: no mail wrapping. `request` is loadgen.py's --request builder."""

import csv
import functools
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path

AI_BENCH = Path(__file__).resolve().parents[1] / "ai"
PHONE_NUMBER_ID = "106540352242922"


@functools.cache
def texts() -> list[str]:
    with open(AI_BENCH / "seller_eval.csv", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def delivery(index: int, prefix: str) -> bytes:
    wa_id = f"49151{index % 9973:07d}"
    message = {"from": wa_id, "id": f"wamid.{prefix}.{index}.{uuid.uuid4().hex[:12]}",
               "timestamp": str(int(time.time())), "type": "text",
               "text": {"body": texts()[index % len(texts())]}}
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "4930123456", "phone_number_id": PHONE_NUMBER_ID},
             "contacts": [{"profile": {"name": f"Customer {index % 9973}"}, "wa_id": wa_id}], "messages": [message]}
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": "WABA", "changes": [{"value": value, "field": "messages"}]}]},
                      separators=(",", ":")).encode()


def request(host: str, path: str, secret: str, index: int, prefix: str) -> bytes:
    body = delivery(index, prefix)
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"X-Hub-Signature-256: sha256={signature}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body
