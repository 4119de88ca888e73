"""A local HTTP server speaking OpenAI's chat-completions protocol (POST /v1/chat/completions),
for the `openai` provider's real client: it answers with `reply` (or `status`), and keeps each
request body so tests can read the prompt that was sent."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ChatStandIn:
    def __init__(self) -> None:
        self.reply = "Hello."
        self.status = 200
        self.requests: list[dict[str, Any]] = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                standin.requests.append({"path": self.path, "body": body,
                                         "authorization": self.headers.get("authorization")})
                if standin.status != 200:
                    payload = {"error": {"message": "overloaded", "type": "server_error"}}
                    self._send(standin.status, payload)
                    return
                self._send(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 1764547200,
                    "model": body.get("model", "stand-in"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": standin.reply}}],
                    "usage": {"prompt_tokens": 321, "completion_tokens": 45, "total_tokens": 366}})

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "ChatStandIn":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
