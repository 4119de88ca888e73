"""Serve the built web app at `/`, with deep links falling back to `index.html`."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

DEFAULT_DIST = Path(__file__).resolve().parents[3] / "frontend" / "dist"
_NOT_SPA = ("/api/", "/webhook/", "/metrics", "/healthz", "/readyz")


def mount_spa(app: FastAPI, dist: Path | None) -> None:
    dist = (dist or DEFAULT_DIST).resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str, request: Request) -> Response:
        if request.url.path.startswith(_NOT_SPA) or not (dist / "index.html").is_file():
            raise StarletteHTTPException(404)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist):
            # Vite's hashed assets never change under one name: cache them hard.
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(dist / "index.html", headers={"Cache-Control": "no-cache"})
