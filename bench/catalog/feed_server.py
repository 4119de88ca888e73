"""A generic-feed stand-in serving N generated products (run as its own process).

`python feed_server.py PORT N [--changed F] [--deleted F]`: products `bench-<i>`; with
--changed a fraction carries a newer updated_at and price, with --deleted a fraction is gone.
Pages follow the feed protocol in mancrel/catalog/poller.py (`limit`, `page`, `next`).
"""

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def build(n: int, changed: float, deleted: float) -> list[bytes]:
    changed_every = int(1 / changed) if changed else 0
    deleted_every = int(1 / deleted) if deleted else 0
    items = []
    for i in range(n):
        if deleted_every and i % deleted_every == deleted_every - 1:
            continue
        newer = changed_every and i % changed_every == 0
        items.append({"id": f"bench-{i}", "title": f"Bench product {i}", "vendor": "Bench Co", "status": "active",
                      "description": "<p>Generated for the reconciliation benchmark.</p>",
                      "updated_at": "2026-11-27T12:00:00Z" if newer else "2026-11-27T10:00:00Z",
                      "variants": [{"id": f"bench-{i}-v", "sku": f"BENCH-{i}", "price": "21.00" if newer else "20.00",
                                    "currency": "EUR", "stock": i % 50, "options": {"size": "M"}}]})
    return items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("products", type=int)
    parser.add_argument("--changed", type=float, default=0.0)
    parser.add_argument("--deleted", type=float, default=0.0)
    args = parser.parse_args()
    items = build(args.products, args.changed, args.deleted)
    pages: dict[tuple[int, int], bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            limit, page = int(query.get("limit", ["1000"])[0]), int(query.get("page", ["0"])[0])
            if (limit, page) not in pages:
                chunk = items[page * limit:(page + 1) * limit]
                more = (page + 1) * limit < len(items)
                nxt = f"http://127.0.0.1:{args.port}/feed?limit={limit}&page={page + 1}" if more else None
                pages[(limit, page)] = json.dumps({"products": chunk, "next": nxt}).encode()
            body = pages[(limit, page)]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
