"""`mancrel run`'s demo shows its two promises (findings M16): a rep's reply goes out, to the local
outbox the box names (kept as a file, delivered nowhere), and the worker answers a demo customer on
its own from the demo's knowledge entries."""

import re
import time
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import httpx

from mancrel.core.embedded import free_port
from tests.core.test_run import Run, _login


def _kept(outbox: Path) -> list[tuple[str, str]]:
    """(subject, plain text) of each mail the outbox kept."""
    mails = [BytesParser(policy=default).parsebytes(path.read_bytes()) for path in sorted(outbox.glob("*.eml"))]
    return [(str(m["Subject"]), m.get_body(("plain",)).get_content()) for m in mails]


def test_the_demo_sends_a_reply_to_its_outbox_and_answers_on_its_own(tmp_path):
    data_dir, port = (tmp_path / "data").resolve(), free_port()
    run = Run(data_dir, port)
    try:
        output = run.wait_for("stop:")
        outbox = data_dir / "outbox"
        assert re.search(r"sent:\s+the demo mailbox's replies go to a local stand-in \(port \d+\):", output), output
        assert f"nothing is delivered; each is saved in {outbox}" in output

        token = _login(port, "rita.rep@example.com", "mancrel-demo-2026")["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        api = f"http://127.0.0.1:{port}/api/v1"
        conversations = httpx.get(f"{api}/conversations", params={"limit": 50}, headers=headers, timeout=10).json()
        socks = next(c for c in conversations["items"] if c["subject"] == "Socks in size L?")
        sent = httpx.post(f"{api}/conversations/{socks['id']}/messages", headers=headers, timeout=10,
                          json={"text": "Hi, size L is back on the 15th. Rita"})
        assert sent.status_code == 201, sent.text
        run.wait_for("demo mail to ", timeout=120)
        assert ("Re: Socks in size L?", "Hi, size L is back on the 15th. Rita\n") in _kept(outbox)

        # The worker trains the first model, classifies the demo's mail and answers what it may on its
        # own: with the demo's shipping text, "Do you ship to Norway?" needs no person.
        def norway() -> list[str]:
            return [text for subject, text in _kept(outbox) if subject == "Re: Shipping to Norway"]

        deadline = time.monotonic() + 420
        while time.monotonic() < deadline and not norway():
            time.sleep(1)
        assert norway(), run.output[-4000:]
        assert "Norway: delivery takes 3 to 6 business days and costs 9.90 EUR" in " ".join(norway()[0].split())
    finally:
        run.stop()
    assert run.process.returncode == 0
