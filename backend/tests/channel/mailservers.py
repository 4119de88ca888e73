"""Real mail servers for the channel tests: Dovecot (IMAP) in a temporary folder, as
shared/RECIPES.md describes, and an aiosmtpd SMTP server that keeps what it receives."""

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """One Dovecot for a test: users with plain passwords, maildir under `root/mail`."""

    def __init__(self, root: Path, users: dict[str, str]) -> None:
        self.root, self.users, self.port = root, users, free_port()
        self.conf = root / "dovecot.conf"

    def start(self) -> None:
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not Path(binary).exists():
            raise RuntimeError("dovecot is not installed: apt-get install -y dovecot-imapd (make backend-test does)")
        # Dovecot's auth and mail processes run as other users: they must be able to reach the folder.
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        (self.root / "mail").mkdir(exist_ok=True)
        (self.root / "run").mkdir(exist_ok=True)
        (self.root / "state").mkdir(exist_ok=True)
        (self.root / "users").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        nobody = pwd.getpwnam("nobody")
        for path in (self.root / "mail",):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        self.conf.write_text(f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={self.root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
""")
        subprocess.run([binary, "-c", str(self.conf)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def reset_mailbox(self, user: str) -> None:
        """Delete the user's maildir: the server then gives INBOX a new UIDVALIDITY."""
        shutil.rmtree(self.root / "mail" / user, ignore_errors=True)


class Inbox:
    """Keeps every message the SMTP server accepted."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        self.arrived = asyncio.Event()
        self.answer: str | None = None  # a forced reply to DATA ("451 ..." / "550 ..."), else accept
        self.answer_delay = 0.0  # seconds between keeping a message and saying so (a slow server)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.answer:
            return self.answer
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        self.arrived.set()
        if self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, *, auth: tuple[str, str] | None = None) -> None:
        self.inbox, self.port = Inbox(), free_port()
        kwargs = {}
        if auth is not None:
            def check(server, session, envelope, mechanism, data):
                from aiosmtpd.smtp import AuthResult
                ok = (data.login.decode(), data.password.decode()) == auth
                return AuthResult(success=ok)
            kwargs.update(authenticator=check, auth_require_tls=False)
        self.kwargs = kwargs
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> None:
        self.controller.start()

    def restart(self) -> None:
        """Listening again on the same port after `stop` (a stopped controller cannot start again)."""
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **self.kwargs)
        self.controller.start()

    def stop(self) -> None:
        with contextlib.suppress(AssertionError):  # a test stopped it already ("SMTP daemon not running")
            self.controller.stop()
