"""Refuse NUL characters in the query string and path of every request, before any route runs.

PostgreSQL cannot store or compare text holding U+0000, so a `?q=%00` used to reach the
database and end in a 500. Query parameters are declared in many routers (and `cf.<key>`
filters are read raw), so one check here covers them all, present and future; JSON bodies are
covered by `mancrel.core.types.Text` in the schemas.
"""

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from mancrel.core.errors import problem, problem_response


def _nul_fields(scope: Scope) -> list[dict[str, str]]:
    errors = []
    if "\x00" in scope["path"]:
        errors.append({"field": "path", "in": "path", "message": "must not contain NUL (U+0000) characters"})
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                errors.append({"field": name.replace("\x00", "\\u0000"), "in": "query",
                               "message": "must not contain NUL (U+0000) characters"})
    return errors


class RefuseNulMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            errors = _nul_fields(scope)
            if errors:
                detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
                body = problem(422, "Invalid input", detail, slug="validation-error",
                               instance=scope["path"].replace("\x00", "\\u0000"), errors=errors)
                await problem_response(body)(scope, receive, send)
                return
        await self.app(scope, receive, send)
