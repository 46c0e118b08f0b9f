"""A small declarative layer over aiohttp routes: each endpoint declares its query parameters
once, and the same declaration validates requests (4xx with a JSON error naming the parameter)
and writes the endpoint into the OpenAPI document. Handlers get typed values, never raw strings.
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

log = logging.getLogger("fleet.api")

Handler = Callable[[web.Request, dict[str, Any]], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Param:
    """A query parameter."""

    name: str
    kind: type = str  # str, int, bool or datetime
    help: str = ""
    default: Any = None
    lo: int | None = None
    hi: int | None = None
    choices: tuple[str, ...] | None = None
    max_len: int = 100

    def parse(self, raw: str) -> Any:
        """The typed value, or :class:`web.HTTPBadRequest` naming the parameter."""
        if len(raw) > self.max_len and self.kind is str:
            raise bad_request(f"{self.name} is longer than {self.max_len} characters")
        if self.kind is int:
            try:
                value: Any = int(raw)
            except ValueError:
                raise bad_request(f"{self.name} must be an integer, got {raw!r}") from None
            if (self.lo is not None and value < self.lo) or (
                self.hi is not None and value > self.hi
            ):
                raise bad_request(f"{self.name} must be {self.lo}-{self.hi}, got {value}")
            return value
        if self.kind is bool:
            if raw not in ("true", "false"):
                raise bad_request(f"{self.name} must be true or false, got {raw!r}")
            return raw == "true"
        if self.kind is datetime:
            try:
                value = datetime.fromisoformat(raw)
            except ValueError:
                raise bad_request(f"{self.name} must be an ISO 8601 time, got {raw!r}") from None
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if self.choices is not None and raw not in self.choices:
            raise bad_request(f"{self.name} must be one of {', '.join(self.choices)}, got {raw!r}")
        return raw

    def schema(self) -> dict[str, Any]:
        """OpenAPI schema of the parameter."""
        if self.kind is int:
            s: dict[str, Any] = {"type": "integer"}
            if self.lo is not None:
                s["minimum"] = self.lo
            if self.hi is not None:
                s["maximum"] = self.hi
        elif self.kind is bool:
            s = {"type": "boolean"}
        elif self.kind is datetime:
            s = {"type": "string", "format": "date-time"}
        else:
            s = {"type": "string", "maxLength": self.max_len}
            if self.choices:
                s["enum"] = list(self.choices)
        if self.default is not None:
            s["default"] = self.default
        return s


def bad_request(message: str) -> web.HTTPBadRequest:
    """A 400 with a JSON body ``{"error": message}``."""
    return web.HTTPBadRequest(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


def not_found(message: str) -> web.HTTPNotFound:
    """A 404 with a JSON body."""
    return web.HTTPNotFound(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


LIMIT = Param("limit", int, "Items per page", default=100, lo=1, hi=1000)
AFTER = Param("after", str, "Cursor: the `next` value of the previous page", max_len=64)


class Api:
    """Endpoints declared with their parameters; ``routes`` for aiohttp, ``openapi()`` for docs."""

    def __init__(self) -> None:
        self.routes = web.RouteTableDef()
        self._docs: list[tuple[str, str, str, tuple[Param, ...], str | None, dict[str, Any]]] = []

    def endpoint(
        self,
        method: str,
        path: str,
        summary: str,
        params: tuple[Param, ...] = (),
        body: str | None = None,
        responses: dict[str, Any] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Register ``handler(request, params)`` at ``method path``."""

        def wrap(handler: Handler) -> Handler:
            known = {p.name for p in params}

            async def route(request: web.Request) -> web.StreamResponse:
                unknown = set(request.query) - known
                if unknown:
                    raise bad_request(
                        f"unknown parameter {sorted(unknown)[0]!r}"
                        + (f" (known: {', '.join(sorted(known))})" if known else "")
                    )
                values = {}
                for p in params:
                    raw = request.query.get(p.name)
                    values[p.name] = p.default if raw is None else p.parse(raw)
                return await handler(request, values)

            route.__doc__ = handler.__doc__
            self.routes.route(method, path)(route)
            self._docs.append((method, path, summary, params, body, responses or {}))
            return handler

        return wrap

    def openapi(self, title: str, version: str) -> dict[str, Any]:
        """The OpenAPI 3.1 document of every declared endpoint."""
        paths: dict[str, Any] = {}
        for method, path, summary, params, body, responses in self._docs:
            op: dict[str, Any] = {
                "summary": summary,
                "parameters": [
                    {"name": p.name, "in": "query", "description": p.help, "schema": p.schema()}
                    for p in params
                ]
                + [
                    {
                        "name": seg[1:-1],
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                    for seg in path.split("/")
                    if seg.startswith("{")
                ],
                "responses": {
                    "200": {"description": "OK"},
                    "400": {"description": "Invalid parameter (JSON `error` names it)"},
                    **responses,
                },
            }
            if body:
                op["requestBody"] = {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}
                    },
                }
            paths.setdefault(path, {})[method.lower()] = op
        return {
            "openapi": "3.1.0",
            "info": {"title": title, "version": version},
            "paths": paths,
        }


@web.middleware
async def json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every error as JSON ``{"error": ...}``; an unexpected exception is a logged 500."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        return web.json_response({"error": exc.text or exc.reason}, status=exc.status)
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return web.json_response({"error": "internal error (logged)"}, status=500)
