"""A small declarative layer over aiohttp routes: each endpoint is declared once, with its query
parameters, its request body and response as pydantic models, and its place in the access model
(section and function, or public). The same declaration validates requests (4xx with a JSON
error naming the problem), is what the access middleware enforces (``fleet/office/guard.py``),
and writes the endpoint into the OpenAPI document. Handlers get typed values, never raw strings.
"""

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import available_timezones

import orjson
from aiohttp import web
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from tortoise.queryset import QuerySet
from typing_extensions import TypeAliasType

from crmsensor.errors import ConfigError, Conflict, Missing

log = logging.getLogger("fleet.api")

Handler = Callable[[web.Request, dict[str, Any]], Awaitable[web.StreamResponse]]
MAX_BODY = 16384


class Body(BaseModel):
    """A request body: unknown fields refused, no type coercion (``0`` is not ``false``,
    ``"5"`` is not ``5``): what the OpenAPI document says is what is accepted."""

    model_config = ConfigDict(extra="forbid", strict=True)


def _integral(v: Any) -> Any:
    # JSON Schema counts 5.0 as an integer; strict pydantic does not. Booleans stay out.
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def int_in(lo: int, hi: int) -> Any:
    """An integer from ``lo`` to ``hi`` in a request body, as JSON Schema means integers
    (``5`` or ``5.0``, never ``"5"`` or ``true``)."""
    return Annotated[int, Field(ge=lo, le=hi), BeforeValidator(_integral)]


# Any JSON value a device or the database can hold (command arguments): 64-bit integers.
JsonValue = TypeAliasType(
    "JsonValue",
    "Annotated[int, Field(ge=-(2**63), le=2**63 - 1)] | float | str | bool"
    " | list[JsonValue] | dict[str, JsonValue] | None",
)

_ZONES = sorted(available_timezones())


def _known_zone(name: str) -> str:
    if name not in _ZONES:
        raise ValueError(f"unknown time zone {name!r}")
    return name


# A time zone in a request body: one of the IANA names this machine knows (an enum in the
# OpenAPI document, so clients and fuzzers send only real ones).
TimeZone = Annotated[str, Field(json_schema_extra={"enum": _ZONES}), AfterValidator(_known_zone)]


@dataclass(frozen=True)
class Access:
    """Who may call a route: a principal allowed ``function`` in ``section`` (somewhere in
    their scope; handlers check the object's own scope), or anyone when ``public``.

    ``page``: a browser page (anonymous callers are sent to the login page, not given a 401).
    ``audit``: an action name for the audit log on reads that must be logged (listening to and
    downloading audio); every state-changing request is logged anyway.
    """

    section: str = ""
    function: str = ""
    public: bool = False
    page: bool = False
    audit: str = ""


PUBLIC = Access(public=True)


def declare(handler: Any, access: Access) -> None:
    """Attach ``access`` to a route handler for the access middleware to enforce."""
    handler.__access__ = access


def access_of(handler: Any) -> Access | None:
    """The access declared for a route handler (None: none was, and the route is refused)."""
    found = getattr(handler, "__access__", None)
    return found if isinstance(found, Access) else None


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
    pattern: str | None = None  # a regular expression a string value must match in full

    def parse(self, raw: str) -> Any:
        """The typed value, or :class:`web.HTTPBadRequest` naming the parameter."""
        if "\x00" in raw:
            raise bad_request(f"{self.name} may not hold NUL characters")
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
        if self.pattern is not None and not re.fullmatch(self.pattern, raw):
            raise bad_request(f"{self.name} must match {self.pattern}, got {raw[:40]!r}")
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
            if self.pattern:
                s["pattern"] = self.pattern
        if self.default is not None:
            s["default"] = self.default
        return s


def bad_request(message: str) -> web.HTTPBadRequest:
    """A 400 with a JSON body ``{"error": message}``."""
    return web.HTTPBadRequest(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


def config_error(exc: ConfigError) -> web.HTTPException:
    """A rejected request as HTTP: 409 for a clash with what exists, 404 for a reference to
    something missing, 400 for anything else that is wrong with it."""
    if isinstance(exc, Conflict):
        cls: type[web.HTTPException] = web.HTTPConflict
    elif isinstance(exc, Missing):
        cls = web.HTTPNotFound
    else:
        cls = web.HTTPBadRequest
    return cls(text=web.json_response({"error": str(exc)}).text, content_type="application/json")


def conflict(message: str) -> web.HTTPConflict:
    """A 409 with a JSON body: refused by the state of things (the message says which)."""
    return web.HTTPConflict(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


def not_found(message: str) -> web.HTTPNotFound:
    """A 404 with a JSON body."""
    return web.HTTPNotFound(
        text=web.json_response({"error": message}).text, content_type="application/json"
    )


LIMIT = Param("limit", int, "Items per page", default=100, lo=1, hi=1000)
AFTER = Param(
    "after", str, "Cursor: the `next` value of the previous page", max_len=18,
    pattern=r"^[0-9]{1,18}$",
)  # fmt: skip


def cursor(pattern: str, max_len: int) -> Param:
    """An ``after`` cursor that is an id of the listed objects (``pattern``)."""
    return Param("after", str, "Cursor: the `next` value of the previous page",
                 max_len=max_len, pattern=pattern)  # fmt: skip


SINCE = Param("since", datetime, "Only items at or after this time (ISO 8601)")
UNTIL = Param("until", datetime, "Only items before this time (ISO 8601)")


def _int_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit():
        raise bad_request(f"after must be a cursor from a previous page, got {after!r}")
    return int(after)


async def newest_first(qs: QuerySet[Any], p: dict[str, Any]) -> tuple[list[Any], str | None]:
    """A page of rows with integer ids, newest first: the rows and the next cursor."""
    cursor = _int_cursor(p["after"])
    if cursor is not None:
        qs = qs.filter(id__lt=cursor)
    rows = await qs.order_by("-id").limit(p["limit"] + 1)
    more = len(rows) > p["limit"]
    rows = rows[: p["limit"]]
    return rows, str(rows[-1].id) if more else None


def page(items: list[Any], next_cursor: str | None) -> web.Response:
    """The JSON body of one page of a list: ``{"items": [...], "next": cursor}``."""
    # orjson: a page of 1,000 devices encodes several times faster than with json.dumps
    body = orjson.dumps({"items": items, "next": next_cursor})
    return web.Response(body=body, content_type="application/json")


def time_range(qs: QuerySet[Any], p: dict[str, Any], field: str) -> QuerySet[Any]:
    """Filter ``qs`` on ``field`` by the request's ``since``/``until``."""
    if p["since"]:
        qs = qs.filter(**{f"{field}__gte": p["since"]})
    if p["until"]:
        qs = qs.filter(**{f"{field}__lt": p["until"]})
    return qs


@dataclass
class _Doc:
    method: str
    path: str
    summary: str
    params: tuple[Param, ...]
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    responses: dict[str, Any]
    access: Access
    content_type: str = "application/json"
    path_patterns: dict[str, str] = field(default_factory=dict)
    request_body: dict[str, Any] | None = None  # an OpenAPI requestBody that is not JSON


class Api:
    """Endpoints declared with their parameters, bodies and access; ``routes`` for aiohttp,
    :func:`openapi_document` for the document."""

    def __init__(self) -> None:
        self.routes = web.RouteTableDef()
        self.docs: list[_Doc] = []

    def endpoint(
        self,
        method: str,
        path: str,
        summary: str,
        params: tuple[Param, ...] = (),
        *,
        access: Access,
        body: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        responses: dict[str, Any] | None = None,
        content_type: str = "application/json",
        path_patterns: dict[str, str] | None = None,
        request_body: dict[str, Any] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Register ``handler(request, params)`` at ``method path``; with ``body``, the
        validated model is ``params["body"]``. ``path_patterns`` documents what each path
        parameter looks like (a regular expression); a value that does not match is a 404.
        ``request_body``: the OpenAPI requestBody of a body the handler reads itself
        (multipart)."""

        def wrap(handler: Handler) -> Handler:
            known = {p.name for p in params}

            async def route(request: web.Request) -> web.StreamResponse:
                for name, pattern in (path_patterns or {}).items():
                    value = request.match_info.get(name, "")
                    if not re.fullmatch(pattern, value):
                        raise not_found(f"no {name.removesuffix('_id')} {value[:70]!r}")
                unknown = set(request.query) - known
                if unknown:
                    raise bad_request(
                        f"unknown parameter {sorted(unknown)[0]!r}"
                        + (f" (known: {', '.join(sorted(known))})" if known else "")
                    )
                values: dict[str, Any] = {}
                for p in params:
                    raws = request.query.getall(p.name, [])
                    if len(raws) > 1:
                        raise bad_request(f"{p.name} is given {len(raws)} times")
                    values[p.name] = p.default if not raws else p.parse(raws[0])
                if body is not None:
                    values["body"] = await model_body(request, body)
                return await handler(request, values)

            route.__doc__ = handler.__doc__
            declare(route, access)
            self.routes.route(method, path)(route)
            doc = _Doc(method, path, summary, params, body, response, status, responses or {},
                       access, content_type, dict(path_patterns or {}),
                       request_body)  # fmt: skip
            self.docs.append(doc)
            return handler

        return wrap

    def paths(self, schemas: dict[str, Any]) -> dict[str, Any]:
        """The OpenAPI ``paths`` of every endpoint declared here; the models they use are
        added to ``schemas``."""
        paths: dict[str, Any] = {}
        for d in self.docs:
            paths.setdefault(d.path, {})[d.method.lower()] = _operation(d, schemas)
        return paths


def _model_ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schema.pop("$defs", {}).items():
        schemas[name] = sub
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


# What path parameters look like (documented, and checked before the handler runs).
DEVICE_ID = r"^[a-z0-9][a-z0-9_-]{1,31}$"
ROW_ID = r"^[0-9]{1,18}$"
SMALL_ID = r"^[0-9]{1,9}$"
USER_NAME = r"^[a-z0-9][a-z0-9._@-]{1,63}$"
STATION_ID = r"^[a-z0-9][a-z0-9._-]{0,63}$"
COMMAND_ID = r"^c-[0-9a-f]{16}$"
TOKEN_NAME = r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$"

_V4 = (
    r"((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(/(3[0-2]|[12]?\d))?"
)
_H = "[0-9a-fA-F]{1,4}"
_V6 = (
    rf"(({_H}:){{7}}{_H}|({_H}:){{1,7}}:|({_H}:){{1,6}}:{_H}|({_H}:){{1,5}}(:{_H}){{1,2}}"
    rf"|({_H}:){{1,4}}(:{_H}){{1,3}}|({_H}:){{1,3}}(:{_H}){{1,4}}|({_H}:){{1,2}}(:{_H}){{1,5}}"
    rf"|{_H}:((:{_H}){{1,6}})|:((:{_H}){{1,7}}|:))(/(12[0-8]|1[01]\d|[1-9]?\d))?"
)
CIDR = rf"^({_V4}|{_V6})$"  # an IPv4 or IPv6 address or network, as ipaddress reads them

CONFLICT = {"409": _error("It clashes with what exists (a name that is taken)")}
REFERS = {"404": _error("Something the body refers to does not exist")}
SSE_EVENT = {  # one Server-Sent Event, as its fields
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer"},
    },
}


def _operation(d: _Doc, schemas: dict[str, Any]) -> dict[str, Any]:
    path_params = [seg[1:-1] for seg in d.path.split("/") if seg.startswith("{")]
    ok: dict[str, Any] = {"description": "OK"}
    if d.response is not None:
        ok["content"] = {d.content_type: {"schema": _model_ref(d.response, schemas)}}
    elif d.content_type == "text/event-stream":
        ok["content"] = {d.content_type: {"schema": SSE_EVENT}}
    elif d.content_type != "application/json":
        ok["content"] = {d.content_type: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(d.status): ok}
    if d.params or d.body is not None or d.request_body is not None:
        responses["400"] = _error("Invalid parameter or body (JSON `error` names it)")
    if not d.access.public:
        responses["401"] = _error("Not logged in: no valid session, token or certificate")
        responses["403"] = _error(
            "Not allowed: outside the caller's grants or scope, address not allowed, or a "
            "missing or wrong CSRF token"
        )
    if path_params:
        responses["404"] = _error("No such object")
    responses.update(d.responses)
    op: dict[str, Any] = {
        "summary": d.summary,
        "parameters": [
            {"name": p.name, "in": "query", "description": p.help, "schema": p.schema()}
            for p in d.params
        ]
        + [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": d.path_patterns[name]}
                if name in d.path_patterns
                else {"type": "string", "minLength": 1, "maxLength": 100},
            }
            for name in path_params
        ],
        "responses": responses,
    }
    if d.access.public:
        op["security"] = []
    else:
        op["x-access"] = {"section": d.access.section, "function": d.access.function}
    if d.request_body is not None:
        op["requestBody"] = d.request_body
    if d.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _model_ref(d.body, schemas)}},
        }
    return op


async def model_body(request: web.Request, model: type[BaseModel]) -> Any:
    """The request's JSON body validated by ``model``, or a 400 naming the first problem."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise bad_request(f"request body over {MAX_BODY // 1024} KiB")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise bad_request(f"request body over {MAX_BODY // 1024} KiB")
    if b"\\u0000" in raw:  # PostgreSQL text cannot hold NUL; no field needs one
        raise bad_request("NUL characters (\\u0000) are not accepted")
    try:  # pydantic's parser also refuses lone surrogates (\udb3d), which no column holds
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise bad_request(_problem(exc.errors()[0])) from None


def _problem(error: Any) -> str:
    """One pydantic error as a sentence naming the field."""
    where = ".".join(str(x) for x in error.get("loc", ()))
    kind, msg = error.get("type", ""), error.get("msg", "invalid")
    if kind == "json_invalid":
        return f"the request body must be JSON ({msg})"
    if not where:
        return "the request body must be a JSON object" if kind.endswith("_type") else msg
    if kind == "extra_forbidden":
        return f"unknown field {where!r}"
    if kind == "missing":
        return f"{where} is required"
    return f"{where}: {msg}"


def openapi_document(apis: list[Api], title: str, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every endpoint of ``apis`` (each capability has its own)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string"}},
        }
    }
    for a in apis:
        for path, ops in a.paths(schemas).items():
            paths.setdefault(path, {}).update(ops)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "an API token"},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "crms_session",
                    "description": "a browser session (state changes also need X-CSRF-Token)",
                },
            },
        },
        "security": [{"bearer": []}, {"session": []}],
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
        keep = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after")}
        return web.json_response({"error": exc.text or exc.reason}, status=exc.status, headers=keep)
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return web.json_response({"error": "internal error (logged)"}, status=500)
