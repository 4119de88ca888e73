"""Serve the built web app at `/`, with deep links falling back to `index.html`."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

DEFAULT_DIST = Path(__file__).resolve().parents[3] / "frontend" / "dist"
_NOT_SPA = ("/api/", "/webhook/", "/metrics", "/healthz", "/readyz")


class SpaRoute(APIRoute):
    """The catch-all GET that never claims an API path.

    Matching `/api/...` as a GET-only route made every unknown API path with another method
    answer 405 from here; not matching lets the router answer 404 problem+json, while a known
    API path called with the wrong method still gets its own 405.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["path"].startswith(_NOT_SPA):
            return Match.NONE, {}
        return super().matches(scope)


def mount_spa(app: FastAPI, dist: Path | None) -> None:
    dist = (dist or DEFAULT_DIST).resolve()

    async def spa(path: str, request: Request) -> Response:
        if not (dist / "index.html").is_file():
            raise StarletteHTTPException(404)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist):
            # Vite's hashed assets never change under one name: cache them hard.
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(dist / "index.html", headers={"Cache-Control": "no-cache"})

    app.router.add_api_route("/{path:path}", spa, methods=["GET"], include_in_schema=False,
                             route_class_override=SpaRoute)
