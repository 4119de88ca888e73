"""A stand-in for a third party (a shop's API): answers 503 until told it is fixed."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ShopServer:
    def __init__(self) -> None:
        self.status = 503
        self.requests = 0
        self._lock = threading.Lock()
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with shop._lock:
                    shop.requests += 1
                    status = shop.status
                body = b'{"ok": true}' if status == 200 else b'{"error": "maintenance"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/products"


@contextmanager
def running_shop() -> Iterator[ShopServer]:
    shop = ShopServer()
    thread = threading.Thread(target=shop.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield shop
    finally:
        shop.httpd.shutdown()
        shop.httpd.server_close()
