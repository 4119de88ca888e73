"""The demo mailbox's outgoing mail server: a local SMTP stand-in that `mancrel run` starts with the
demo, so replies (typed, approved or automatic) can be sent and seen without a real mail server.

It accepts every mail on 127.0.0.1 and delivers none: each one is written to `<data>/outbox/` as an
.eml file and announced on the console. The demo channel is pointed at its port on every start
(`inbox.demo.use_outbox`); a real channel never is.

The SMTP it speaks is what a sending client needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT;
RFC 5321 dot-stuffing); no AUTH or STARTTLS, the channel's security is "none".
"""

import asyncio
import itertools
import logging
import threading
import time
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

logger = logging.getLogger("mancrel.demo.outbox")
HOST = "127.0.0.1"
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
_names = itertools.count(1)


class DemoOutbox:
    def __init__(self, folder: Path, on_mail: Callable[[str], None]) -> None:
        self.folder, self.on_mail = folder, on_mail
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Listen on a free port of 127.0.0.1 (in a thread of its own); the port."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._loop = asyncio.new_event_loop()
        listening = threading.Event()

        def serve() -> None:  # the loop is run only in its own thread (the caller may be running one)
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(asyncio.start_server(self._session, HOST, 0))
            listening.set()
            self._loop.run_forever()
            sessions = asyncio.all_tasks(self._loop)  # clients still connected: end them, then the loop
            for task in sessions:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*sessions, return_exceptions=True))
            self._loop.close()

        self._thread = threading.Thread(target=serve, name="demo-outbox", daemon=True)
        self._thread.start()
        if not listening.wait(timeout=10):
            raise RuntimeError("the demo outbox did not start listening")
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    def stop(self) -> None:
        if self._loop is None or self._server is None:
            return

        async def close() -> None:
            self._server.close()
            await self._server.wait_closed()

        try:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=3)
        except Exception:  # stopping anyway; the thread is a daemon
            logger.warning("demo outbox did not close cleanly", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=3)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sender, recipients = "", []
        writer.write(b"220 mancrel demo outbox ESMTP (keeps mail, delivers none)\r\n")
        try:
            while line := await reader.readline():
                command = line.decode("utf-8", "replace").strip()
                verb, argument = command[:4].upper(), command[4:].strip()
                if verb == "EHLO":
                    writer.write(b"250-mancrel demo outbox\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                                 b"250 SIZE %d\r\n" % MAX_MESSAGE_BYTES)
                elif verb == "HELO":
                    writer.write(b"250 mancrel demo outbox\r\n")
                elif verb == "MAIL":
                    sender, recipients = _address(argument), []
                    writer.write(b"250 OK\r\n")
                elif verb == "RCPT":
                    recipients.append(_address(argument))
                    writer.write(b"250 OK\r\n")
                elif verb == "DATA" and not recipients:
                    writer.write(b"503 RCPT first\r\n")
                elif verb == "DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    await writer.drain()
                    name = self._keep(sender, recipients, await _data(reader))
                    writer.write(f"250 OK: kept as {name}, not delivered\r\n".encode())
                    sender, recipients = "", []
                elif verb in ("RSET", "NOOP"):
                    sender, recipients = ("", []) if verb == "RSET" else (sender, recipients)
                    writer.write(b"250 OK\r\n")
                elif verb == "QUIT":
                    writer.write(b"221 Bye\r\n")
                    await writer.drain()
                    break
                else:
                    writer.write(b"502 Not implemented\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def _keep(self, sender: str, recipients: list[str], data: bytes) -> str:
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(_names):04d}.eml"
        (self.folder / name).write_bytes(data.replace(b"\r\n", b"\n"))  # a file to read: this system's line ends
        headers = BytesParser(policy=default).parsebytes(data, headersonly=True)
        self.on_mail(f"demo mail to {', '.join(recipients)}: \"{headers.get('Subject', '')}\" "
                     f"(not delivered; saved as {self.folder / name})")
        return name


def _address(argument: str) -> str:
    """The address of `FROM:<a@b> SMTPUTF8` / `TO:<a@b>`."""
    _, _, rest = argument.partition(":")
    return rest.strip().split(" ")[0].strip("<>")


async def _data(reader: asyncio.StreamReader) -> bytes:
    lines, size = [], 0
    while True:
        line = await reader.readline()
        if not line or line in (b".\r\n", b".\n"):
            return b"".join(lines)
        size += len(line)
        if size <= MAX_MESSAGE_BYTES:
            lines.append(line[1:] if line.startswith(b"..") else line)  # dot-stuffing undone

