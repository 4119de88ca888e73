"""RFC 9457 problem details: one error vocabulary and one renderer for the whole API."""

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mancrel.core.logging import request_id_var

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("mancrel.errors")


class AppError(Exception):
    """Base of every error a user can see. Subclasses set status, title and a type slug."""

    status: int = 400
    title: str = "Bad request"
    slug: str = "bad-request"
    # Most errors undo the unit of work; a few must keep what was written before them
    # (a refresh token family revoked on reuse is still revoked after the 401).
    keeps_changes: bool = False

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers
        self.extra = extra

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        return problem(self.status, self.title, self.detail, slug=self.slug, instance=instance, **self.extra)


class NotFound(AppError):
    status, title, slug = 404, "Not found", "not-found"


class Forbidden(AppError):
    status, title, slug = 403, "Forbidden", "forbidden"


class Unauthorized(AppError):
    status, title, slug = 401, "Not authenticated", "unauthorized"

    def __init__(self, detail: str | None = None, **extra: Any):
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extra)


class Conflict(AppError):
    status, title, slug = 409, "Conflict", "conflict"


class PreconditionFailed(AppError):
    status, title, slug = 412, "Precondition failed", "precondition-failed"


class TooManyRequests(AppError):
    status, title, slug = 429, "Too many requests", "too-many-requests"

    def __init__(self, detail: str | None = None, *, retry_after: int, **extra: Any):
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, retry_after=retry_after, **extra)


class InvalidInput(AppError):
    """A request that is well-formed but cannot be accepted; `errors` names the fields."""

    status, title, slug = 422, "Invalid input", "validation-error"


def problem(status: int, title: str, detail: str | None = None, *, slug: str | None = None,
            instance: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], headers=headers, media_type=PROBLEM_JSON)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        # "body" / "query" lead every location; the field is what follows.
        field = ".".join(location[1:]) if len(location) > 1 else ".".join(location)
        errors.append({"field": field, "in": location[0] if location else None, "message": error.get("msg")})
    return errors


async def _app_error(request: Request, exc: AppError) -> JSONResponse:
    return problem_response(exc.to_problem(instance=request.url.path), exc.headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = _field_errors(exc)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    body = problem(422, "Invalid input", detail, slug="validation-error",
                   instance=request.url.path, errors=errors)
    return problem_response(body)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    title = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
    return problem_response(problem(exc.status_code, title, detail, instance=request.url.path),
                            getattr(exc, "headers", None))


def internal_error_problem(path: str) -> dict[str, Any]:
    """The body for an unhandled error; RequestContextMiddleware sends it and logs the stack."""
    return problem(500, "Internal server error",
                   "Something went wrong on our side. Quote the request id if you report it.",
                   instance=path)


async def _stale_write(request: Request, exc: StaleDataError) -> JSONResponse:
    # Two writes to one record interleaved between read and save: the version check
    # caught the second. Same answer as a stale If-Match, so clients handle one case.
    body = problem(412, "Precondition failed",
                   "Someone else changed this record at the same moment. Reload it and try again.",
                   slug="precondition-failed", instance=request.url.path)
    return problem_response(body)


_KEY = re.compile(r"Key \(([^)]+)\)=")


def _column(exc: DBAPIError) -> str | None:
    """The column PostgreSQL names in a constraint error's detail ("Key (owner_id)=(...)")."""
    match = _KEY.search(getattr(exc.orig, "detail", None) or "")
    return match.group(1) if match else None


async def _database_refused(request: Request, exc: DBAPIError) -> JSONResponse:
    """The last line of defence for values the schemas and services did not check themselves.

    An id in the request that names no row (an owner, an assignee) or a value a column cannot
    hold (too long, out of range) is the client's mistake: a 422 naming the field when PostgreSQL
    names it, not a 500. Constraints a service maps to its own error never get here; anything
    else (a lost connection, a bug in a query) stays a 500.
    """
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    column = _column(exc)
    if sqlstate == "23503":
        body = problem(422, "Invalid reference", f"{column or 'A referenced record'}: no such record.",
                       slug="invalid-reference", instance=request.url.path,
                       errors=[{"field": column or "", "in": "body", "message": "no such record"}])
    elif sqlstate == "23505":
        body = problem(409, "Conflict", f"{column or 'A value'} is already taken.", slug="conflict",
                       instance=request.url.path)
    elif sqlstate.startswith("22") or isinstance(exc, DataError):  # data exceptions; DataError: the driver's own
        body = problem(422, "Invalid input", "A value is too long or out of the range that can be stored.",
                       slug="validation-error", instance=request.url.path, errors=[])
    else:
        raise exc
    logger.warning("database refused a write on %s: %s", request.url.path, str(exc.orig).splitlines()[0])
    return problem_response(body)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StaleDataError, _stale_write)
    app.add_exception_handler(DBAPIError, _database_refused)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
